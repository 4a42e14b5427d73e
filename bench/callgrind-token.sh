#!/bin/bash
# Instructions per token-path request on the server's main thread, counted by valgrind's callgrind
# (as callgrind.sh does for GETs). Needs valgrind and a build.
#
#   bash bench/callgrind-token.sh                      # refresh_token: N=1500 measured after W=3000 warm-up
#   bash bench/callgrind-token.sh client_credentials   # or introspection
#   KEEP=/tmp/cg bash bench/callgrind-token.sh         # also keeps the main thread's profile (callgrind_annotate)
#
# refresh_token: eight clients each follow their own rotation chain (every refresh spends the token the
# previous one returned, so the store does the whole rotation each time); repeatable within about 5 % only,
# since how many refreshes share a commit depends on timing. client_credentials and introspection: eight
# connections, the same request each time (as the wrk scenarios), audit records included.
set -euo pipefail
cd "$(dirname "$0")/.."
GRANT=${1:-refresh_token}
case "$GRANT" in refresh_token|client_credentials|introspection) ;; *) echo "unknown scenario $GRANT" >&2; exit 2 ;; esac
PORT=${PORT:-19050}
N=${N:-1500}
W=${W:-3000}
. bench/callgrind-server.sh
# argon2 made cheap: one password grant per chain, not on the measured path.
callgrind_server --prefer-ec-token-signer --argon2id-time 1 --argon2id-memory 256 --argon2id-parallelism 1
node bench/callgrind-load.mjs "$GRANT" "$PORT" "$server" "$W" "$N"
callgrind_report "$GRANT (ES256)" "$N"
