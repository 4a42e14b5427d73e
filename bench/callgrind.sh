#!/bin/bash
# Instructions per request on the server's main thread, counted by valgrind's callgrind: unlike
# req/s or CPU time, the count repeats within about 1 % from run to run on this shared machine,
# so a change of a few per cent in the HTTP stack can be seen. Needs valgrind (Debian package)
# and a build (`npm run build`).
#
#   bash bench/callgrind.sh /jwks.json          # GET on the auth plane of a fresh server
#   N=4000 W=8000 bash bench/callgrind.sh /.well-known/openid-configuration
#
# The server runs under callgrind (≈ 50× slower); bench/callgrind-load.mjs makes W warm-up requests
# (V8 optimises the hot code), zeroes the counters, makes N requests (8 connections, keep-alive) and
# dumps the counts.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-19040}
N=${N:-2000}
W=${W:-6000}
. bench/callgrind-server.sh
callgrind_server
node bench/callgrind-load.mjs "$1" "$PORT" "$server" "$W" "$N"
callgrind_report "$1" "$N"
