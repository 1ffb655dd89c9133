#!/usr/bin/env bash
# Offline validators for the deploy/ files, fetched from package registries only:
#
#   validate.sh fetch   install/fetch the validators (once; later runs need no network)
#                       and print the directory that holds them
#   validate.sh         fetch, then run tests/deploy/test_deploy_files.py
#
# What is fetched (into ${NEWSBEAM_VALIDATORS_DIR:-<repo>/var/validators}):
#   compose-spec.json      the Compose specification JSON Schema, as shipped inside the
#                          PyPI wheel docker-compose==1.29.2 (compose/config/compose_spec.json;
#                          `pip download --no-deps`, nothing installed)
#   flink-operator-crds/   the Flink Kubernetes Operator CRDs, as shipped inside the Maven
#                          Central jar org.apache.flink:flink-kubernetes-operator-api
#                          (META-INF/fabric8/*.yml)
#   node/                  npm @kubernetes-models/prometheus-operator (compiled JSON Schema
#                          validators of the Prometheus Operator CRDs: ServiceMonitor)
#   python/                PyPI kubernetes-validate (Kubernetes JSON Schemas for 1.25..1.37,
#                          offline), only when the venv does not already have it
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
dir="${NEWSBEAM_VALIDATORS_DIR:-$repo/var/validators}"
py="${PYTHON:-$repo/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"

COMPOSE_WHEEL_VERSION=1.29.2
FLINK_OPERATOR_VERSION=1.10.0
PROM_OPERATOR_MODELS_VERSION=6.0.0
KUBERNETES_VALIDATE_VERSION=1.37.0

say() { echo "validate.sh: $*" >&2; }

fetch_compose_schema() {
  local out="$dir/compose-spec.json"
  [ -s "$out" ] && return 0
  local tmp
  tmp="$(mktemp -d)"
  say "fetching the Compose spec schema (PyPI docker-compose==$COMPOSE_WHEEL_VERSION wheel)"
  "$py" -m pip download -q --no-deps --only-binary=:all: \
    "docker-compose==$COMPOSE_WHEEL_VERSION" -d "$tmp" >&2
  "$py" - "$tmp" "$out" <<'PY'
import glob
import sys
import zipfile

wheel = glob.glob(f"{sys.argv[1]}/docker_compose-*.whl")[0]
with zipfile.ZipFile(wheel) as zf:
    data = zf.read("compose/config/compose_spec.json")
with open(sys.argv[2] + ".tmp", "wb") as out:
    out.write(data)
PY
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}

fetch_flink_crds() {
  local out="$dir/flink-operator-crds"
  [ -f "$out/.complete-$FLINK_OPERATOR_VERSION" ] && return 0
  command -v mvn >/dev/null || { say "mvn not found (apt-get install maven)"; exit 1; }
  local tmp
  tmp="$(mktemp -d)"
  say "fetching the Flink Kubernetes Operator CRDs (Maven flink-kubernetes-operator-api:$FLINK_OPERATOR_VERSION)"
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.apache.flink:flink-kubernetes-operator-api:$FLINK_OPERATOR_VERSION:jar" \
    -DoutputDirectory="$tmp" >&2
  rm -rf "$out"
  mkdir -p "$out"
  "$py" - "$tmp" "$out" <<'PY'
import glob
import os
import sys
import zipfile

jar = glob.glob(f"{sys.argv[1]}/flink-kubernetes-operator-api-*.jar")[0]
with zipfile.ZipFile(jar) as zf:
    for name in zf.namelist():
        if name.startswith("META-INF/fabric8/") and name.endswith(".yml"):
            with open(os.path.join(sys.argv[2], os.path.basename(name)), "wb") as out:
                out.write(zf.read(name))
PY
  ls "$out"/flinkdeployments.flink.apache.org-*.yml >/dev/null
  touch "$out/.complete-$FLINK_OPERATOR_VERSION"
  rm -rf "$tmp"
}

fetch_node_models() {
  local out="$dir/node"
  [ -f "$out/.complete-$PROM_OPERATOR_MODELS_VERSION" ] && return 0
  command -v npm >/dev/null || { say "npm not found (apt-get install nodejs npm)"; exit 1; }
  say "installing npm @kubernetes-models/prometheus-operator@$PROM_OPERATOR_MODELS_VERSION"
  rm -rf "$out"
  mkdir -p "$out"
  npm install -q --no-audit --no-fund --no-save --prefix "$out" \
    "@kubernetes-models/prometheus-operator@$PROM_OPERATOR_MODELS_VERSION" >&2
  touch "$out/.complete-$PROM_OPERATOR_MODELS_VERSION"
}

fetch_kubernetes_validate() {
  if "$py" -c "import kubernetes_validate" 2>/dev/null; then
    return 0
  fi
  local out="$dir/python"
  [ -f "$out/.complete-$KUBERNETES_VALIDATE_VERSION" ] && return 0
  say "installing PyPI kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into $out"
  rm -rf "$out"
  # Its other dependencies (PyYAML, jsonschema, referencing, packaging,
  # typing-extensions) come with apache-beam / jsonschema in the venv.
  "$py" -m pip install -q --no-deps --target "$out" \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "importlib-resources>=5" >&2
  touch "$out/.complete-$KUBERNETES_VALIDATE_VERSION"
}

fetch() {
  mkdir -p "$dir"
  fetch_compose_schema
  fetch_flink_crds
  fetch_node_models
  fetch_kubernetes_validate
}

case "${1:-check}" in
  fetch)
    fetch
    echo "$dir"
    ;;
  check)
    fetch
    cd "$repo"
    exec "$py" -m pytest -q -p no:cacheprovider tests/deploy/test_deploy_files.py
    ;;
  *)
    echo "usage: $0 [fetch|check]" >&2
    exit 2
    ;;
esac
