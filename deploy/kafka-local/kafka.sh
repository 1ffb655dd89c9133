#!/usr/bin/env bash
# A real single-node Apache Kafka 4.x broker (KRaft combined mode: broker+controller)
# on loopback, for tests, benchmarks and the embedded job. No Docker, no tarball:
# the jars come from Maven Central via deploy/kafka-local/pom.xml and are cached.
#
#   kafka.sh fetch    assemble the jars (once; later starts need no network)
#   kafka.sh start    fetch if needed, format storage once, start, wait until it answers
#   kafka.sh stop     stop the broker started by this script
#   kafka.sh status   exit 0 when running and answering, 3 otherwise
#   kafka.sh sasl     print the SASL listener: bootstrap, username, password file
#   kafka.sh tls      print the TLS listener: bootstrap, CA file to trust
#
# Environment:
#   KAFKA_PORT             client port on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT+1)
#   KAFKA_SASL_PORT        SASL_PLAINTEXT listener (PLAIN, user "newsbeam") on 127.0.0.1
#                          (default KAFKA_PORT+2); its password is generated once into
#                          <state>/sasl-password-<port> (mode 600), never into the repo
#   KAFKA_SSL_PORT         SSL (TLS) listener on 127.0.0.1 (default KAFKA_PORT+3), with a
#                          certificate for 127.0.0.1/localhost signed by a local CA that is
#                          generated once into <state>/tls-<port>/ (openssl); clients trust
#                          <state>/tls-<port>/ca.pem
#   NEWSBEAM_KAFKA_DIR     state dir: jars, data, log, pid (default <repo>/var/kafka)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms512m -Xmx512m)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
sasl_port="${KAFKA_SASL_PORT:-$((port + 2))}"
sasl_user="newsbeam"
ssl_port="${KAFKA_SSL_PORT:-$((port + 3))}"
state="${NEWSBEAM_KAFKA_DIR:-$repo/var/kafka}"
libs="$state/libs"
data="$state/data-$port"
conf="$state/server-$port.properties"
log4j_conf="$state/log4j2.properties"
pidfile="$state/kafka-$port.pid"
sasl_password_file="$state/sasl-password-$port"
tls="$state/tls-$port"
logfile="$state/kafka-$port.log"
heap="${KAFKA_HEAP_OPTS:--Xms512m -Xmx512m}"
timeout="${KAFKA_START_TIMEOUT:-90}"

say() { echo "kafka.sh: $*" >&2; }
# shellcheck source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

pom_hash() { sha256sum "$here/pom.xml" | cut -c1-16; }

fetch() {
  local stamp="$libs/.complete-$(pom_hash)"
  if [ -f "$stamp" ]; then
    return 0
  fi
  command -v mvn >/dev/null || { say "mvn not found (apt-get install maven)"; exit 1; }
  command -v java >/dev/null || { say "java not found (need a JDK >= 17)"; exit 1; }
  say "fetching Kafka jars from Maven Central into $libs"
  mkdir -p "$state"
  local tmp="$state/libs.tmp.$$"
  rm -rf "$tmp"
  if ! (cd "$here" && mvn -q -B dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp") >"$state/mvn.log" 2>&1; then
    say "mvn failed; log tail:"
    tail -n 40 "$state/mvn.log" >&2
    exit 1
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null
  rm -rf "$libs"
  mv "$tmp" "$libs"
  touch "$stamp"
}

python_bin() {
  if [ -x "$repo/.venv/bin/python" ]; then echo "$repo/.venv/bin/python"; fi
}

# The broker answers a metadata request (kafka-python when the venv exists, else TCP).
answering() {
  port_open || return 1
  local py
  py="$(python_bin)"
  if [ -n "$py" ] && "$py" -c 'import kafka' 2>/dev/null; then
    "$py" - "$port" <<'EOF' 2>/dev/null
import sys
from kafka import KafkaAdminClient
admin = KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{sys.argv[1]}",
                         request_timeout_ms=5000)
try:
    admin.list_topics()
finally:
    admin.close()
EOF
  else
    grep -q "Kafka Server started" "$logfile" 2>/dev/null
  fi
}

write_tls() {
  # a local CA and a server certificate it signs (SAN 127.0.0.1, localhost), once
  [ -s "$tls/server-keystore.pem" ] && [ -s "$tls/ca.pem" ] && return 0
  say "generating the TLS listener's CA and certificate in $tls"
  mkdir -p "$tls"
  chmod 700 "$tls"
  local ext="$tls/server.ext"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$ext"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=newsbeam local CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  openssl x509 -req -days 3650 -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
    -CAcreateserial -extfile "$ext" -out "$tls/server.pem" 2>/dev/null
  # Kafka's PEM keystore: an unencrypted PKCS#8 key followed by the certificate
  (umask 077 && openssl pkcs8 -topk8 -nocrypt -in "$tls/server.key" \
    | cat - "$tls/server.pem" >"$tls/server-keystore.pem")
  rm -f "$tls/server.csr" "$ext"
}

write_config() {
  mkdir -p "$state" "$data"
  local ssl_listener="" ssl_map="" ssl_conf=""
  if command -v openssl >/dev/null 2>&1; then
    write_tls
    ssl_listener=",SSL://127.0.0.1:$ssl_port"
    ssl_map=",SSL:SSL"
    ssl_conf="# TLS listener (server authentication; clients trust $tls/ca.pem)
listener.name.ssl.ssl.keystore.type=PEM
listener.name.ssl.ssl.keystore.location=$tls/server-keystore.pem"
  else
    say "openssl not found: starting without the TLS listener"
  fi
  if [ ! -s "$sasl_password_file" ]; then
    (umask 077 && python3 -c 'import secrets;print(secrets.token_urlsafe(18))' >"$sasl_password_file")
  fi
  local sasl_password
  sasl_password="$(cat "$sasl_password_file")"
  (umask 077 && cat >"$conf" <<EOF
# Generated by deploy/kafka-local/kafka.sh; edits are overwritten on start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sasl_port$ssl_listener,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sasl_port$ssl_listener,CONTROLLER://127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT$ssl_map
$ssl_conf
# SASL/PLAIN listener: what a secured cluster asks of clients (tests use it end to end)
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$sasl_user="$sasl_password";
log.dirs=$data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
# pages up to 20 MB (connectors.pages default limit) plus envelope overhead
message.max.bytes=26214400
replica.fetch.max.bytes=26214400
log.retention.hours=168
log.segment.bytes=268435456
num.network.threads=2
num.io.threads=4
EOF
  )
  chmod 600 "$conf"  # holds the SASL user's password
  cat >"$log4j_conf" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = INFO
EOF
}

java_cmd() {
  # The classpath wildcard must reach java unexpanded, hence the array.
  local -a heap_opts
  read -r -a heap_opts <<<"$heap"
  java_args=(java "${heap_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$log4j_conf" -cp "$libs/*")
}

format_storage() {
  if [ -f "$data/meta.properties" ]; then
    return 0
  fi
  local cluster_id
  # base64url of a random UUID, never starting with "-" (kafka-storage would read it as an
  # option; Kafka's own random-uuid avoids that too)
  cluster_id="$(python3 -c 'import base64,uuid
while True:
    cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not cid.startswith("-"):
        print(cid)
        break')"
  say "formatting storage $data (cluster id $cluster_id)"
  java_cmd
  "${java_args[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$conf" >&2
}

start() {
  if pid_alive && answering; then
    say "already running (pid $(cat "$pidfile"), 127.0.0.1:$port)"
    return 0
  fi
  if ! pid_alive && port_open; then
    say "port $port is taken by another process; set KAFKA_PORT"
    exit 1
  fi
  if ! pid_alive && (exec 3<>"/dev/tcp/127.0.0.1/$sasl_port") 2>/dev/null; then
    say "port $sasl_port (the SASL listener) is taken by another process; set KAFKA_SASL_PORT"
    exit 1
  fi
  if ! pid_alive && (exec 3<>"/dev/tcp/127.0.0.1/$ssl_port") 2>/dev/null; then
    say "port $ssl_port (the TLS listener) is taken by another process; set KAFKA_SSL_PORT"
    exit 1
  fi
  fetch
  if ! pid_alive; then
    write_config
    format_storage
    say "starting broker on 127.0.0.1:$port (log $logfile)"
    java_cmd
    nohup "${java_args[@]}" kafka.Kafka "$conf" >"$logfile" 2>&1 </dev/null &
    echo $! >"$pidfile"
  fi
  local waited=0
  while ! answering; do
    if ! pid_alive; then
      say "broker exited during start; log tail:"
      tail -n 40 "$logfile" >&2 || true
      rm -f "$pidfile"
      exit 1
    fi
    if [ "$waited" -ge "$((timeout * 2))" ]; then
      say "broker did not answer within ${timeout}s; stopping it; log tail:"
      tail -n 40 "$logfile" >&2 || true
      stop || true
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "ready on 127.0.0.1:$port (pid $(cat "$pidfile"))"
}

stop() { stop_pidfile; }

status() {
  if pid_alive && answering; then
    echo "running pid=$(cat "$pidfile") bootstrap=127.0.0.1:$port"
    return 0
  fi
  echo "stopped"
  return 3
}

sasl() {
  echo "bootstrap=127.0.0.1:$sasl_port username=$sasl_user password_file=$sasl_password_file"
}

tls() {
  if [ ! -s "$tls/ca.pem" ]; then
    say "no TLS listener (openssl was not found when the broker was configured)"
    exit 3
  fi
  echo "bootstrap=127.0.0.1:$ssl_port cafile=$tls/ca.pem"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  sasl) sasl ;;
  tls) tls ;;
  *) echo "usage: $0 {fetch|start|stop|status|sasl|tls}" >&2; exit 2 ;;
esac
