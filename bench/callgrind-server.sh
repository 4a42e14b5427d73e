# Sourced by callgrind.sh and callgrind-token.sh: the server under valgrind's callgrind, and the count.
# Sets $dir (removed on exit) and $server; `callgrind_server ARGS...` starts it on $PORT / $PORT+1 with
# ARGS added; `callgrind_report LABEL N` stops it and prints the instructions per request.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

callgrind_server() {
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$dir/cg.out" node dist/src/main.js \
    --db-file "$dir/mad.db3" --auth-port "$PORT" --admin-port $((PORT + 1)) --no-prompt --log-level warn \
    --admin-password callgrind-admin-password --rate-limit-auth 0 --rate-limit-admin 0 \
    --auth-domain 127.0.0.1 --auth-domain-no-ssl "$@" >"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do grep -q "microauthd ready" "$dir/server.log" && break; sleep 1; done
  grep -q "microauthd ready" "$dir/server.log" || { cat "$dir/server.log"; kill $server; exit 1; }
}

callgrind_report() {
  local label=$1 n=$2 main all=0 f
  kill $server; wait $server 2>/dev/null || true
  main=$(grep -l "^thread: 1$" "$dir"/cg.out.1-* | head -1)
  count() { grep -h "^summary:\|^totals:" "$1" | head -1 | awk '{print $2}'; }
  for f in "$dir"/cg.out.1-*; do all=$((all + $(count "$f"))); done
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$main" "$KEEP/main-thread.out"; fi
  echo "$label: main thread $(($(count "$main") / n)) instructions/request, all threads $((all / n)) (N=$n after $W warm-up)"
}
