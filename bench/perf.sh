#!/bin/bash
# Where the server's main thread spends its time during one bench scenario, native code included:
# Linux perf samples the main thread (JavaScript, SQLite, the cipher, the kernel) for 6 s in the
# middle of the scenario's run and prints the top symbols. `--profile` (V8's profiler) cannot look
# inside SQLite: its time shows as the calling JavaScript function's. Needs perf and a build.
#
#   bash bench/perf.sh refresh_token                        # the top 25 symbols
#   bash bench/perf.sh refresh_token --db-cache-mb 64       # server flags after the scenario
#   TOP=60 KEEP=/tmp/p bash bench/perf.sh introspection     # more lines; keep perf.data for `perf report -g`
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:?usage: bench/perf.sh <scenario> [server flags...]}
shift
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

node bench/run.mjs --only "$SCENARIO" --algs ES256 --no-audit-pass --seconds 12 --no-write \
  "--server-args=$*" >"$dir/bench.txt" 2>&1 &
bench=$!
# The scenario's server is the last one started once wrk runs (an earlier one only times the start).
for _ in $(seq 1 600); do pgrep -x wrk >/dev/null && break; sleep 0.25; done
server=$(pgrep -f 'dist/src/main.js' | tail -1)
sleep 3
perf record -F 1999 ${KEEP:+-g} -t "$server" -o "$dir/perf.data" -- sleep 6 >/dev/null 2>&1
wait $bench || { cat "$dir/bench.txt"; exit 1; }
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$dir/perf.data" "$KEEP/perf.data"; fi
grep "req/s" "$dir/bench.txt"
echo "main thread, share of samples by symbol:"
perf report -i "$dir/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -"${TOP:-25}"
