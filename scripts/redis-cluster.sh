#!/usr/bin/env bash
# A local Redis Cluster for development and CI: 3 masters + 3 replicas from Debian's
# `redis-server`, AOF on, data under .services/redis-cluster/<port>/.
# Prints the settings to use on stdout (logs go to stderr):
#   REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,...
# Usage: bash scripts/redis-cluster.sh [up]     start (idempotent: a running cluster is reused)
#        bash scripts/redis-cluster.sh down     stop the nodes this script started (by pid)
#        bash scripts/redis-cluster.sh purge    stop them and delete their data
# REDIS_CLUSTER_BASE_PORT (default 7001) moves the six ports (and their bus ports, +10000).
# REDIS_CLUSTER_NODE_TIMEOUT_MS (default 3000) is how long a master may be silent before its
# replica is promoted: the failover pause of the data on that master (docs/topologies.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tag=redis-cluster
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
dir="$root/.services/redis-cluster"
base="${REDIS_CLUSTER_BASE_PORT:-7001}"
node_timeout="${REDIS_CLUSTER_NODE_TIMEOUT_MS:-3000}"
ports=$(seq "$base" $((base + 5)))

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
nodes_list() { local out=""; for p in $ports; do out="$out${out:+,}127.0.0.1:$p"; done; echo "$out"; }
cluster_ok() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'; }
slots_assigned() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p'; }

start_node() {
  local p=$1 d="$dir/$1"
  if cli "$p" ping >/dev/null 2>&1; then return 0; fi
  mkdir -p "$d"
  # nodes.conf keeps each node's identity and the slot map, so `down` then `up` rejoins the same
  # cluster. appendfsync everysec: at most about a second of writes is lost if a node dies hard.
  redis-server --port "$p" --bind 127.0.0.1 --daemonize yes --dir "$d" \
    --pidfile "$d/redis.pid" --logfile "$d/redis.log" \
    --cluster-enabled yes --cluster-config-file "$d/nodes.conf" --cluster-node-timeout "$node_timeout" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction
}

up() {
  command -v redis-server >/dev/null || fail "Redis is not installed (apt-get install redis-server)"
  mkdir -p "$dir"
  for p in $ports; do start_node "$p"; done
  for p in $ports; do
    for _ in $(seq 1 40); do cli "$p" ping >/dev/null 2>&1 && break; sleep 0.25; done
    cli "$p" ping >/dev/null 2>&1 || fail "node $p did not start (log: $dir/$p/redis.log)"
  done
  local first; first=$(echo "$ports" | head -1)
  if [ "$(slots_assigned "$first")" != "16384" ]; then
    log "creating the cluster (3 masters, 1 replica each)"
    local addrs=(); for p in $ports; do addrs+=("127.0.0.1:$p"); done
    redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >&2 \
      || fail "redis-cli --cluster create failed"
  fi
  for _ in $(seq 1 120); do
    local all=1
    for p in $ports; do cluster_ok "$p" || { all=0; break; }; done
    [ "$all" = 1 ] && break
    sleep 0.25
  done
  for p in $ports; do cluster_ok "$p" || fail "cluster_state is not ok on $p after 30 s"; done
  log "cluster ok: $(cli "$first" cluster nodes | awk '$3 ~ /master/ {n++} END {print n}') masters"
  echo "REDIS_CLUSTER_NODES=$(nodes_list)"
}

down() {
  local nodes=(); for p in $ports; do nodes+=("node $p" "$dir/$p/redis.pid"); done
  stop_pidfiles 10 "${nodes[@]}"
}

run_command "$@"
