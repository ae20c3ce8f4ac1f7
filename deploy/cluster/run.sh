#!/usr/bin/env bash
# The production topology on one machine, as separate processes on loopback ports:
# `tdkt temporal-server` (PostgreSQL persistence and visibility, 4 history shards),
# two `tdkt serve` and two `tdkt worker`. Ctrl-C stops them all.
#
#   PG      PostgreSQL server URL without a database (default postgres://postgres@127.0.0.1:5432)
#   PREFIX  database name prefix (default tdkt_cluster): PREFIX, PREFIX_temporal, PREFIX_temporal_visibility
set -euo pipefail
BIN=${BIN:-bin/tdkt}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PREFIX=${PREFIX:-tdkt_cluster}
LOGS=${LOGS:-.tdkt/cluster}
mkdir -p "$LOGS"

export DATABASE_URL="$PG/$PREFIX?sslmode=disable"
export TEMPORAL_ADDRESS=127.0.0.1:7233
export TDKT_TEMPORAL_DATABASE_URL="$PG/${PREFIX}_temporal?sslmode=disable"
export TDKT_TEMPORAL_VISIBILITY_DATABASE="${PREFIX}_temporal_visibility"
export TDKT_TEMPORAL_HISTORY_SHARDS=4

if command -v psql >/dev/null 2>&1; then
  psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PREFIX'" | grep -q 1 ||
    psql "$PG/postgres" -qc "CREATE DATABASE $PREFIX"
fi

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; }
trap stop EXIT INT TERM

"$BIN" temporal-server >"$LOGS/temporal.log" 2>&1 & pids+=($!)
"$BIN" seed >"$LOGS/seed.log" 2>&1   # migrations, reference data and the demo accounts (idempotent)
for i in 1 2; do
  TDKT_HTTP_ADDR=127.0.0.1:808$i "$BIN" serve >"$LOGS/serve-$i.log" 2>&1 & pids+=($!)
  TDKT_OPS_ADDR=127.0.0.1:909$i "$BIN" worker >"$LOGS/worker-$i.log" 2>&1 & pids+=($!)
done
for url in http://127.0.0.1:8081 http://127.0.0.1:8082 http://127.0.0.1:9091 http://127.0.0.1:9092; do
  for _ in $(seq 1 120); do curl -fs "$url/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  echo "$url/readyz: $(curl -s "$url/readyz" | head -c 200)"
done
echo "cluster up: API on :8081 and :8082, worker metrics on :9091 and :9092, Temporal on :7233; logs in $LOGS (Ctrl-C stops)"
wait
