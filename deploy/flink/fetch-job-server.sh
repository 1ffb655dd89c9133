#!/usr/bin/env bash
# Assemble Beam's Flink job server (FlinkJobServerDriver with an embedded Flink) from
# Maven Central into a local cache, once, and print the path of a jar that
# `java -jar` starts. pipeline/runners.py hands that jar to Beam's Python FlinkRunner
# as --flink_job_server_jar.
#
# Why not the prebuilt beam-runners-flink-<ver>-job-server jar: the registry reachable
# here does not serve it. Its parts are served, so deploy/flink/pom.xml copies them
# (mvn dependency:copy-dependencies) and this script writes a manifest-only jar whose
# Class-Path lists them, with Main-Class = the job server driver and the Add-Opens /
# Add-Exports Flink asks for on Java 17 (so no JAVA_TOOL_OPTIONS is needed).
#
# Environment:
#   NEWSBEAM_FLINK_DIR    cache dir (default <repo>/var/flink)
# A second run finds the jar (keyed by a hash of pom.xml and this script) and touches
# no network.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${NEWSBEAM_FLINK_DIR:-$repo/var/flink}"
key="$(cat "$here/pom.xml" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)"
dest="$cache/job-server-$key"
jar="$dest/flink-job-server.jar"

say() { echo "fetch-job-server.sh: $*" >&2; }

if [ -s "$jar" ] && [ -f "$dest/.complete" ]; then
  echo "$jar"
  exit 0
fi

command -v mvn >/dev/null || { say "mvn not found (apt-get install maven)"; exit 1; }
command -v java >/dev/null || { say "java not found (need a JDK 11 or 17)"; exit 1; }
command -v python3 >/dev/null || { say "python3 not found"; exit 1; }

mkdir -p "$cache"
tmp="$cache/.fetch.$$"
rm -rf "$tmp"
mkdir -p "$tmp/libs"
trap 'rm -rf "$tmp"' EXIT
say "fetching the Beam Flink runner and its dependencies from Maven Central into $dest"
(cd "$here" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/libs") >&2
ls "$tmp"/libs/beam-runners-flink-*.jar >/dev/null

# Manifest-only launcher jar: relative Class-Path entries resolve next to the jar.
python3 - "$tmp" <<'PY'
import pathlib
import sys
import zipfile

root = pathlib.Path(sys.argv[1])
libs = sorted(p.name for p in (root / "libs").glob("*.jar"))
opens = [
    "java.base/java.lang", "java.base/java.lang.reflect", "java.base/java.io",
    "java.base/java.net", "java.base/java.nio", "java.base/sun.nio.ch",
    "java.base/java.text", "java.base/java.time", "java.base/java.util",
    "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
    "java.base/java.util.concurrent.locks",
]
exports = ["java.base/sun.net.util", "java.rmi/sun.rmi.registry",
           "java.security.jgss/sun.security.krb5"]


def header(name: str, value: str) -> bytes:
    """One manifest header folded at 72 bytes, as the JAR spec requires."""
    raw = f"{name}: {value}".encode()
    lines = [raw[:72]]
    raw = raw[72:]
    while raw:
        lines.append(b" " + raw[:71])
        raw = raw[71:]
    return b"\r\n".join(lines) + b"\r\n"


manifest = (
    b"Manifest-Version: 1.0\r\n"
    + header("Main-Class", "org.apache.beam.runners.flink.FlinkJobServerDriver")
    + header("Class-Path", " ".join("libs/" + n for n in libs))
    + header("Add-Opens", " ".join(opens))
    + header("Add-Exports", " ".join(exports))
    + b"\r\n"
)
logging_conf = (
    "org.slf4j.simpleLogger.defaultLogLevel=warn\n"
    "org.slf4j.simpleLogger.log.org.apache.beam.runners.jobsubmission=info\n"
    "org.slf4j.simpleLogger.showDateTime=true\n"
)
with zipfile.ZipFile(root / "flink-job-server.jar", "w") as jar:
    jar.writestr("META-INF/MANIFEST.MF", manifest)
    jar.writestr("simplelogger.properties", logging_conf)
PY

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
touch "$dest/.complete"
# Drop job servers assembled from an older pom.xml.
for old in "$cache"/job-server-*; do
  [ "$old" = "$dest" ] || rm -rf "$old"
done
say "ready: $jar"
echo "$jar"
