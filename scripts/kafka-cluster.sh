#!/usr/bin/env bash
# A local three-broker Apache Kafka (KRaft; each node is broker + controller, three voters) from
# the same Maven jars as the single broker of scripts/services.sh, with small heaps. Internal
# topics are replicated three times with min.insync.replicas=2, so one broker may die without
# losing an acknowledged (acks=all) write or stopping producers.
# Prints the settings to use on stdout (logs go to stderr):
#   KAFKA_BROKERS=127.0.0.1:9111,127.0.0.1:9112,127.0.0.1:9113
# Usage: bash scripts/kafka-cluster.sh [up]     start (idempotent: running brokers are reused)
#        bash scripts/kafka-cluster.sh down     stop the brokers this script started (by pid)
#        bash scripts/kafka-cluster.sh purge    stop them and delete their data
# KAFKA_CLUSTER_BASE_PORT (default 9111) moves the client ports; controllers listen on +10000; data
# then lives under .services/kafka-cluster-<base>/ (a second cluster beside the default one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tag=kafka-cluster
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
libs="$root/.tools/kafka/libs"
base="${KAFKA_CLUSTER_BASE_PORT:-9111}"
# Another base port is another cluster: its own data dirs (a formatted dir names its voters' ports).
if [ "$base" = 9111 ]; then dir="$root/.services/kafka-cluster"; else dir="$root/.services/kafka-cluster-$base"; fi
heap="${KAFKA_CLUSTER_HEAP:-256m}"
# A fixed cluster id keeps the formatted data dirs reusable across restarts.
cluster_id="Q2x1c3RlckVuY29yZTAx"

brokers_list() { echo "127.0.0.1:$base,127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2))"; }
voters() { echo "1@127.0.0.1:$((base + 10000)),2@127.0.0.1:$((base + 10001)),3@127.0.0.1:$((base + 10002))"; }

write_props() { # node id (1..3) -> path of its server.properties
  local id=$1 port=$((base + $1 - 1)) cport=$((base + 10000 + $1 - 1)) d="$dir/$1"
  mkdir -p "$d/data"
  cat > "$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$(voters)
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
num.partitions=3
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  echo "$d/server.properties"
}

start_broker() {
  local id=$1 port=$((base + $1 - 1)) d="$dir/$1"
  if port_open "$port"; then return 0; fi
  local props; props=$(write_props "$id")
  java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" --ignore-formatted \
    > "$d/format.log" 2>&1 || { cat "$d/format.log" >&2; fail "storage format of broker $id failed"; }
  log "starting broker $id on 127.0.0.1:$port"
  setsid nohup java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$root/services/kafka/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$props" > "$d/kafka.log" 2>&1 < /dev/null &
  echo $! > "$d/kafka.pid"
}

up() {
  [ -f "$libs/.complete" ] || bash "$root/scripts/services.sh" jars
  command -v java >/dev/null || fail "Java 17+ is needed to run the Kafka brokers"
  for id in 1 2 3; do start_broker "$id"; done
  for id in 1 2 3; do
    local port=$((base + id - 1)) ok=0
    for _ in $(seq 1 360); do port_open "$port" && { ok=1; break; }; sleep 0.25; done
    [ "$ok" = 1 ] || { tail -30 "$dir/$id/kafka.log" >&2; fail "broker $id did not open $port within 90 s"; }
  done
  # An open port is not a formed quorum: wait until the cluster's metadata names all three.
  if command -v node >/dev/null && [ -d "$root/node_modules/kafkajs" ]; then
    (cd "$root" && BROKERS="$(brokers_list)" node --no-warnings --input-type=module -e '
      import { Kafka, logLevel } from "kafkajs";
      const admin = new Kafka({ brokers: process.env.BROKERS.split(","), logLevel: logLevel.NOTHING }).admin();
      for (let i = 0; i < 120; i++) {
        try {
          await admin.connect();
          if ((await admin.describeCluster()).brokers.length === 3) { await admin.disconnect(); process.exit(0); }
        } catch {}
        await new Promise((r) => setTimeout(r, 500));
      }
      process.exit(1);') || fail "the three brokers did not form a cluster within 60 s (logs: $dir/*/kafka.log)"
  fi
  log "three brokers up"
  echo "KAFKA_BROKERS=$(brokers_list)"
}

down() {
  stop_pidfiles 30 "broker 1" "$dir/1/kafka.pid" "broker 2" "$dir/2/kafka.pid" "broker 3" "$dir/3/kafka.pid"
}

run_command "$@"
