#!/bin/bash
# Instructions per request on the server's main thread, counted by valgrind's callgrind: unlike
# req/s or CPU time, the count repeats within about 1 % from run to run on this shared machine,
# so a change of a few per cent in the HTTP stack can be seen. Needs valgrind (Debian package)
# and a build (`npm run build`).
#
#   bash bench/callgrind.sh /jwks.json          # GET on the auth plane of a fresh server
#   N=4000 W=8000 bash bench/callgrind.sh /.well-known/openid-configuration
#
# The server runs under callgrind (≈ 50× slower); W warm-up requests let V8 optimise the hot
# code, then the counters are zeroed, N requests are made (8 connections, keep-alive) and dumped.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-19040}
N=${N:-2000}
W=${W:-6000}
. bench/callgrind-server.sh
callgrind_server
load() {
  node --input-type=module -e '
    import http from "node:http";
    const [url, n] = process.argv.slice(1);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let left = Number(n), bad = 0;
    const one = () => new Promise((done) => http.get(url, { agent }, (r) => { r.resume(); r.on("end", () => { if (r.statusCode >= 400) bad++; done(); }); }));
    await Promise.all(Array.from({ length: 8 }, async () => { while (left-- > 0) await one(); }));
    agent.destroy();
    if (bad) { console.error(`${bad} error responses`); process.exit(1); }' "http://127.0.0.1:$PORT$1" "$2"
}
load "$1" "$W"
callgrind_control -z $server >/dev/null 2>&1
load "$1" "$N"
callgrind_control -d $server >/dev/null 2>&1
callgrind_report "$1" "$N"
