#!/usr/bin/env bash
# A short run of the load scenarios against a real API and worker on this machine, so the load
# runner never rots (run by .ci/run after the tests). It fails if the runner or the system fails,
# not on the performance goals, which are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
# The hot seat admits more fans than there are seats on purpose (50 fans race for one seat), and
# seed-plan has sold seats by then: lift the inventory-aware admission cap for the smoke.
export NODE_ENV=development RATE_LIMITS=off LOG_LEVEL=warn PORT="${SMOKE_PORT:-3900}" QUEUE_MAX_ACTIVE=1000 QUEUE_ADMIT_PER_SEAT=1000
# Its own database, Redis prefix and topics: the smoke never touches another run's data.
export REDIS_PREFIX=encore-smoke KAFKA_TOPIC_PREFIX=smoke.
export DATABASE_URL="${DATABASE_URL%/*}/encore_smoke"
url="http://127.0.0.1:$PORT"

mariadb -uroot -e "drop database if exists encore_smoke; create database encore_smoke character set utf8mb4 collate utf8mb4_unicode_ci"
npm run -s migrate >/dev/null
npm run -s seed -- --concerts 3 --schedules 2 --seats 50 --users 2000 >/dev/null
npm run -s load:reset -- 2000 >/dev/null

node src/api/server.ts & api=$!
node src/workers/main.ts & worker=$!
trap 'kill $api $worker 2>/dev/null; wait $api $worker 2>/dev/null || true' EXIT
for _ in $(seq 1 80); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.25; done
curl -sf "$url/health/ready" >/dev/null || { echo "smoke: API not ready" >&2; exit 1; }

npm run -s load -- seed-plan --url "$url" --users 73 --duration 5 --ramp 1 | tr '\r' '\n' | grep -v '^\['
npm run -s load -- hot-seat --url "$url" --n 50 | tr '\r' '\n' | grep -v '^\['
npm run -s load -- rush --url "$url" --users 400 --arrival 2 --limit 120 | tr '\r' '\n' | grep -v '^\['
echo "smoke: load runner OK"
