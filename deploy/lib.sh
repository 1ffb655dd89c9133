# Shared helpers of the local service scripts (sourced; expects $pidfile and a say()).

# The process in $pidfile is alive.
pid_alive() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# Something listens on 127.0.0.1:$port.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Stop the process in $pidfile: TERM, wait up to 30 s, then KILL; remove the pid file.
stop_pidfile() {
  if ! pid_alive; then
    say "not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "did not stop in 30s; killing pid $pid"
    kill -KILL "$pid" || true
  fi
  rm -f "$pidfile"
  say "stopped"
}
