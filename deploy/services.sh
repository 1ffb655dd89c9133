#!/usr/bin/env bash
# Start/stop every local service the tests and the embedded job need.
# Each service has its own script under deploy/<service>-local/ (or deploy/<service>/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action="${1:-start}"
scripts=(
  "$here/kafka-local/kafka.sh"
  "$here/postgres-local/postgres.sh"
  "$here/prometheus/prometheus-local.sh"
  "$here/flink/fetch-job-server.sh"
  "$here/prism/build-prism.sh"
)
for s in "${scripts[@]}"; do
  if [ -f "$s" ]; then
    case "$action" in
      start)
        case "$s" in
          */fetch-job-server.sh|*/build-prism.sh) bash "$s" ;;   # fetch/build only
          *) bash "$s" start ;;
        esac ;;
      stop)
        case "$s" in
          */fetch-job-server.sh|*/build-prism.sh) ;;
          *) bash "$s" stop || true ;;
        esac ;;
    esac
  fi
done
