#!/bin/bash
# Load test of POST /v1/recommendations on loopback: starts `quasid serve` with EXPERIMENTS (a JSON file,
# see the README), warms it up, then runs wrk (Debian package `wrk`) REPEATS times for each connection
# count and prints one JSON line per run. The machine is shared: quote medians.
#   bench/serve/run.sh EXPERIMENTS.json EXPERIMENT_ID DATA_DIR [CONNECTIONS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
experiments=$1; experiment=$2; data=$3; shift 3
connections=${*:-8 16 32}
repeats=${REPEATS:-3}; seconds=${SECONDS_PER_RUN:-20}; port=${PORT:-18080}
work=$(mktemp -d)
cut -d' ' -f1 "$data/user_sequence.txt" 2>/dev/null | head -5000 > "$work/users.txt" || true
[ -s "$work/users.txt" ] || tail -n +2 "$data/interactions.csv" | cut -d, -f1 | sort -u | head -5000 > "$work/users.txt" || true
java -Dai.djl.offline=true -jar cli/target/quasid.jar serve --port "$port" --experiments "$experiments" \
    --db "jdbc:h2:file:$work/events;WRITE_DELAY=0" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 180); do curl -sf "localhost:$port/health" > /dev/null && break; sleep 1; done
export USERS="$work/users.txt" EXPERIMENT="$experiment"
wrk -t1 -c8 -d10s -s bench/serve/recommendations.lua "http://localhost:$port" > /dev/null
for c in $connections; do
  for r in $(seq 1 "$repeats"); do
    echo "{\"connections\":$c,\"repeat\":$r,\"result\":$(wrk -t1 -c"$c" -d"${seconds}s" -s bench/serve/recommendations.lua "http://localhost:$port" | tail -1)}"
  done
done
