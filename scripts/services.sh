#!/usr/bin/env bash
# Starts the services Encore needs on a machine without Docker, each only if it is not already
# running, and prints the connection settings:
#   MariaDB  (creates the app user and databases over the root socket; root over TCP is refused)
#   Redis    127.0.0.1:6379
#   Kafka    a real Apache Kafka 4.x broker in KRaft mode from Maven Central jars, 127.0.0.1:9092
# Usage: npm run services            start (idempotent)
#        npm run services -- down    stop what this script started
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.services"
kafka_home="$root/.tools/kafka"
mkdir -p "$state"

DB_USER="${ENCORE_DB_USER:-encore}"
DB_PASSWORD="${ENCORE_DB_PASSWORD:-encore}"
KAFKA_PORT=9092

log() { echo "[services] $*" >&2; }
fail() { echo "[services] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port, seconds, name
  for _ in $(seq 1 "$(( $2 * 4 ))"); do port_open "$1" && return 0; sleep 0.25; done
  return 1
}

start_mariadb() {
  if ! mariadb-admin -uroot ping >/dev/null 2>&1; then
    log "starting MariaDB"
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || fail "MariaDB is not installed (apt-get install mariadb-server)"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    echo mariadb >> "$state/started"
    for _ in $(seq 1 60); do mariadb-admin -uroot ping >/dev/null 2>&1 && break; sleep 0.5; done
    mariadb-admin -uroot ping >/dev/null 2>&1 || fail "MariaDB did not start within 30 s"
  fi
  # The app connects over TCP as its own user; it may create and drop encore* databases (tests
  # make one per parallel test worker).
  mariadb -uroot <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`encore%\`.* TO '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`encore%\`.* TO '$DB_USER'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS encore CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
FLUSH PRIVILEGES;
SQL
}

start_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    command -v redis-server >/dev/null || fail "Redis is not installed (apt-get install redis-server)"
    mkdir -p /var/lib/redis /var/log/redis
    # AOF (fsync every second), as in docker-compose.yml: a restart keeps the waiting room's order
    # and the queued jobs. Only for a Redis this script starts; a running one is left as it is.
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly yes \
      --appendfsync everysec --maxmemory-policy noeviction \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    echo redis >> "$state/started"
    for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
    redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || fail "Redis did not start"
  fi
}

kafka_jars() {
  if [ ! -f "$kafka_home/libs/.complete" ]; then
    log "resolving the Kafka broker jars from Maven Central (once)"
    command -v mvn >/dev/null || fail "Maven is needed to fetch the Kafka broker jars"
    command -v java >/dev/null || fail "Java 17+ is needed to run the Kafka broker"
    rm -rf "$kafka_home/libs"
    mvn -B -q -f "$root/services/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$kafka_home/libs" >&2 || fail "could not resolve the Kafka jars"
    touch "$kafka_home/libs/.complete"
  fi
}

start_kafka() {
  if port_open "$KAFKA_PORT"; then return 0; fi
  kafka_jars
  log "starting Kafka (KRaft, single node) on 127.0.0.1:$KAFKA_PORT"
  local data="$state/kafka-data" props="$state/kafka-server.properties"
  mkdir -p "$data"
  cp "$root/services/kafka/server.properties" "$props"
  echo "log.dirs=$data" >> "$props"
  local cp="$kafka_home/libs/*"
  # A fixed cluster id keeps the formatted data dir reusable across restarts.
  java -cp "$cp" kafka.tools.StorageTool format -t 4L6g3nShT-eMCtK--X86sw -c "$props" --ignore-formatted \
    > "$state/kafka-format.log" 2>&1 || { cat "$state/kafka-format.log" >&2; fail "kafka storage format failed"; }
  setsid nohup java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$root/services/kafka/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$props" > "$state/kafka.log" 2>&1 < /dev/null &
  echo $! > "$state/kafka.pid"
  echo kafka >> "$state/started"
  if ! wait_port "$KAFKA_PORT" 90; then
    tail -50 "$state/kafka.log" >&2
    fail "Kafka did not open port $KAFKA_PORT within 90 s (log: $state/kafka.log)"
  fi
}

stop_all() {
  [ -f "$state/started" ] || { log "nothing was started by this script"; return 0; }
  if grep -qx kafka "$state/started" && [ -f "$state/kafka.pid" ]; then
    local pid; pid="$(cat "$state/kafka.pid")"
    log "stopping Kafka ($pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/kafka.pid"
  fi
  if grep -qx redis "$state/started"; then log "stopping Redis"; redis-cli -h 127.0.0.1 shutdown nosave >/dev/null 2>&1 || true; fi
  if grep -qx mariadb "$state/started"; then log "stopping MariaDB"; mariadb-admin -uroot shutdown >/dev/null 2>&1 || true; fi
  rm -f "$state/started"
}

case "${1:-up}" in
  up)
    start_mariadb
    start_redis
    start_kafka
    cat <<ENV
DATABASE_URL=mysql://$DB_USER:$DB_PASSWORD@127.0.0.1:3306/encore
REDIS_URL=redis://127.0.0.1:6379
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
ENV
    ;;
  down) stop_all ;;
  jars) kafka_jars ;;  # only make sure the broker's jars are there (tests start private brokers)
  redis-cluster|kafka-cluster) exec bash "$root/scripts/$1.sh" "${@:2}" ;;  # docs/topologies.md
  *) fail "usage: npm run services [-- up|down|jars]" ;;
esac
