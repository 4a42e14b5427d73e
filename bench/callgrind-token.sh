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
node --input-type=module -e '
  import { execFileSync } from "node:child_process";
  const [grant, ...rest] = process.argv.slice(1);
  const [port, pid, warm, n] = rest.map(Number);
  const auth = `http://127.0.0.1:${port}`, admin = `http://127.0.0.1:${port + 1}`;
  const form = (o) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(o).toString() });
  const call = async (url, init) => { const r = await fetch(url, init); const j = await r.json(); if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`); return j; };
  const { access_token: adminToken } = await call(`${admin}/token`, form({ username: "admin", password: "callgrind-admin-password", client_id: "admin" }));
  const json = (body) => ({ method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) });
  const client = await call(`${admin}/clients`, json({ client_id: "cg", audience: "api" }));
  await call(`${admin}/users`, json({ username: "cguser", email: "cg@example.com", password: "callgrind-user-password" }));
  const creds = { client_id: "cg", client_secret: client.client_secret };
  const chains = [];
  for (let c = 0; c < 8; c++) chains.push((await call(`${auth}/token`, form({ ...creds, grant_type: "password", username: "cguser", password: "callgrind-user-password" }))));
  const step = {
    refresh_token: async (c) => { chains[c] = await call(`${auth}/token`, form({ ...creds, grant_type: "refresh_token", refresh_token: chains[c].refresh_token })); },
    client_credentials: () => call(`${auth}/token`, form({ ...creds, grant_type: "client_credentials" })),
    introspection: async (c) => { if (!(await call(`${auth}/introspect`, form({ ...creds, token: chains[c].access_token }))).active) throw new Error("inactive"); },
  }[grant];
  const run = async (count) => {
    let left = count;
    await Promise.all(chains.map(async (_, c) => { while (left-- > 0) await step(c); }));
  };
  await run(warm);
  execFileSync("callgrind_control", ["-z", String(pid)], { stdio: "ignore" });
  await run(n);
  execFileSync("callgrind_control", ["-d", String(pid)], { stdio: "ignore" });
' "$GRANT" "$PORT" "$server" "$W" "$N"
callgrind_report "$GRANT (ES256)" "$N"
