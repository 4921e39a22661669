#!/usr/bin/env bash
# `npm run up`: the whole of Encore on a machine without Docker, in one command.
#   Node 24 (if the node on PATH is not 24) → npm ci (if node_modules is missing) → MariaDB, Redis
#   and Kafka (scripts/services.sh starts only what is not running) → migrate → seed (idempotent)
#   → build → the API and WORKERS worker processes (default 2), every output line prefixed by its
#   process. Ctrl-C stops what this command started, by pid, and nothing else: services that were
#   already running stay up.
# Settings from the environment win (PORT, WORKERS, DATABASE_URL, REDIS_URL, KAFKA_BROKERS, ...).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$root/.services"
mkdir -p "$state"

say() { printf '\033[1mup |\033[0m %s\n' "$*"; }
fail() { printf 'up | ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT="${PORT:-3000}"
WORKERS="${WORKERS:-2}"
[[ "$PORT" =~ ^[0-9]+$ ]] || fail "PORT must be a number (got '$PORT')"
[[ "$WORKERS" =~ ^[0-9]+$ ]] || fail "WORKERS must be a number (got '$WORKERS')"
port_open "$PORT" && fail "port $PORT is already in use; choose another, e.g. PORT=3100 npm run up"

# 1. Node 24.
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)" != "24" ]; then
  say "installing Node 24 (scripts/install-node.sh)"
  eval "$(bash scripts/install-node.sh --env)"
fi
say "node $(node --version)"

# 2. Dependencies.
if [ ! -d node_modules ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# 3. Services. What this run starts is what services.sh appends to .services/started now.
before="$( [ -f "$state/started" ] && cat "$state/started" || true )"
keep_DATABASE_URL="${DATABASE_URL-}" keep_REDIS_URL="${REDIS_URL-}" keep_KAFKA_BROKERS="${KAFKA_BROKERS-}"
services_env="$(bash scripts/services.sh)"
set -a; eval "$services_env"; set +a
# Connection settings given by the caller win over the local defaults.
[ -n "$keep_DATABASE_URL" ] && export DATABASE_URL="$keep_DATABASE_URL"
[ -n "$keep_REDIS_URL" ] && export REDIS_URL="$keep_REDIS_URL"
[ -n "$keep_KAFKA_BROKERS" ] && export KAFKA_BROKERS="$keep_KAFKA_BROKERS"
after="$( [ -f "$state/started" ] && cat "$state/started" || true )"
started_services="$(comm -13 <(printf '%s\n' "$before" | sort) <(printf '%s\n' "$after" | sort) | grep -v '^$' || true)"
export PORT

pids=()
names=()
stopping=0
cleanup() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap - INT TERM
  say "stopping what this command started"
  for i in "${!pids[@]}"; do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then say "${names[$i]} did not stop in 15 s: SIGKILL"; kill -KILL "${pids[$i]}" 2>/dev/null || true; fi
  done
  if [ -n "$started_services" ]; then
    # services.sh stops what its state file lists: hand it only what this run started.
    say "stopping the services this command started: $(echo "$started_services" | tr '\n' ' ')"
    printf '%s\n' "$started_services" > "$state/started"
    bash scripts/services.sh down || true
    [ -n "$before" ] && printf '%s\n' "$before" > "$state/started"
  fi
  say "stopped"
}
trap 'cleanup; exit 130' INT TERM

# 4. Schema, data, build.
say "migrating $(echo "$DATABASE_URL" | sed -E 's#//[^@]*@#//#')"
node src/cli/migrate.ts
say "seeding (idempotent: creates only what is missing)"
node src/cli/seed.ts
say "building (TypeScript → dist/, fans' pages → dist/web)"
npm run -s build

# 5. Processes, each line prefixed by its name. $! is the node process itself (the prefixer runs
# in a process substitution), so stopping is by that pid. Job control puts each in its own process
# group: a Ctrl-C at the terminal reaches this script only, which then sends each one SIGTERM once
# (a second signal would make them skip their graceful shutdown). The prefixers ignore SIGINT so
# the last lines of a shutdown still get printed.
set -m
start() { # name, command...
  local name="$1"; shift
  "$@" > >(trap '' INT; exec sed -u "s/^/$name | /") 2>&1 &
  pids+=("$!")
  names+=("$name")
}
start api node dist/api/main.js
for i in $(seq 1 "$WORKERS"); do start "worker-$i" node dist/workers/main.js; done

base="http://127.0.0.1:$PORT"
for _ in $(seq 1 240); do
  curl -fsS "$base/health/live" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { cleanup; fail "the API exited during start (see its lines above)"; }
  sleep 0.25
done
curl -fsS "$base/health/live" >/dev/null 2>&1 || { cleanup; fail "the API did not answer on $base within 60 s"; }

admin_user="${ADMIN_USER:-admin}"
admin_password="${ADMIN_PASSWORD:-encore-dev-admin}"
cat <<BANNER

  Encore is up (API pid ${pids[0]}, $WORKERS worker(s): ${pids[*]:1})
    Fans' pages      $base/app/          sign in as fan 1..10000 (seeded, 1,000,000 won each)
    API docs         $base/docs
    Bull Board       $base/admin/queues  (user $admin_user, password $admin_password)
    Admin pages      $base/admin/sales/<concertId>
    Health, metrics  $base/health/ready  $base/metrics
  Development sign-in (NODE_ENV=${NODE_ENV:-development}):
    curl -s -X POST $base/api/dev/tokens -H 'content-type: application/json' -d '{"userId":1}'
    (add "admin":true for an organizer token; or: npm run token -- 1)
  Ctrl-C stops the API and the workers$( [ -n "$started_services" ] && echo " and the services started here ($(echo "$started_services" | tr '\n' ' ' | sed 's/ $//'))" || echo "; MariaDB, Redis and Kafka were already running and stay up").

BANNER

# Run until Ctrl-C, or until one process ends on its own (then stop the rest).
set +e
wait -n "${pids[@]}"
code=$?
if [ "$stopping" = 0 ]; then
  say "a process exited (code $code): stopping the others"
  cleanup
  exit 1
fi
