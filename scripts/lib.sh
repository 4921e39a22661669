# Shared by the local cluster scripts (redis-cluster.sh, kafka-cluster.sh): sourced, not run.
# The sourcing script sets `tag` (the log prefix) and `dir` (its data), and defines `up` and
# `down`; `run_command "$@"` then dispatches its command line.

log() { echo "[$tag] $*" >&2; }
fail() { echo "[$tag] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops the processes whose pids this script recorded, then removes the pid files. All get SIGTERM
# first, so the nodes shut down together rather than one failing over while the next waits; each
# gets `seconds` to exit before SIGKILL. Only recorded pids are signalled, never a name.
# Usage: stop_pidfiles SECONDS NAME PIDFILE [NAME PIDFILE ...]   (NAME as logged: "node 7001")
stop_pidfiles() {
  local seconds=$1; shift
  local args=("$@") i pid
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    [ -f "${args[i + 1]}" ] || continue
    pid=$(cat "${args[i + 1]}")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping ${args[i]} ($pid)"
      kill "$pid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    [ -f "${args[i + 1]}" ] || continue
    pid=$(cat "${args[i + 1]}")
    for _ in $(seq 1 $((seconds * 4))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "${args[i + 1]}"
  done
}

# The command line of every cluster script: [up] (default) | down | purge (down, then delete $dir).
run_command() {
  case "${1:-up}" in
    up) up ;;
    down) down ;;
    purge) down; rm -rf "$dir" ;;
    *) fail "usage: bash scripts/$(basename "$0") [up|down|purge]" ;;
  esac
}
