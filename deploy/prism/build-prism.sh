#!/usr/bin/env bash
# Build Beam's Prism runner (a Go binary) from the Go module proxy into a local cache,
# once. Prints the binary path. Beam's Python SDK would otherwise download a release
# binary from GitHub, which is not reachable here; pipeline/runners.py passes this
# binary as --prism_location.
#
# Environment:
#   BEAM_VERSION          Beam version to build (default 2.77.0, must match apache-beam)
#   NEWSBEAM_PRISM_DIR    cache dir (default <repo>/var/prism); binary at <dir>/<ver>/bin/prism
# A second run finds the binary and touches no network.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
beam_version="${BEAM_VERSION:-2.77.0}"
cache="${NEWSBEAM_PRISM_DIR:-$repo/var/prism}"
bindir="$cache/$beam_version/bin"
binary="$bindir/prism"

say() { echo "build-prism.sh: $*" >&2; }

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

go_bin="$(command -v go || true)"
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then
  go_bin=/usr/local/go/bin/go
fi
[ -n "$go_bin" ] || { say "go not found (apt-get install golang-go, or a Go toolchain >= 1.23)"; exit 1; }

mkdir -p "$bindir"
say "building github.com/apache/beam/sdks/v2/go/cmd/prism@v$beam_version into $bindir"
GOBIN="$bindir" GOFLAGS=-mod=mod CGO_ENABLED=0 \
  "$go_bin" install "github.com/apache/beam/sdks/v2/go/cmd/prism@v$beam_version" >&2
test -x "$binary"
say "built $binary"
echo "$binary"
