// The load that callgrind.sh and callgrind-token.sh put on the server under callgrind: W warm-up
// requests (so V8 optimises the hot code), the counters zeroed, N requests measured, the counts
// dumped. Eight clients at a time.
//
//   node bench/callgrind-load.mjs <scenario> <port> <server pid> <W> <N>
//
// A scenario starting with `/` is a GET on the auth plane (node:http, keep-alive: the request
// headers stay those of the earlier counts). `refresh_token`, `client_credentials` and
// `introspection` first set up a client and a user through the admin API, then each of the eight
// clients follows its own refresh chain or repeats the same request (as the wrk scenarios do).
import { execFileSync } from 'node:child_process';
import http from 'node:http';

const CLIENTS = 8;
const [scenario, ...rest] = process.argv.slice(2);
const [port, pid, warm, n] = rest.map(Number);
const step = scenario.startsWith('/') ? getStep(`http://127.0.0.1:${port}${scenario}`) : await tokenStep(scenario);

let phases = 0;
const run = async (count) => {
  phases++;
  let left = count;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    while (left-- > 0) await step(c);
  }));
};
await run(warm);
execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
await run(n);
execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
process.exit(0); // the keep-alive sockets would hold the process open

function getStep(url) {
  let agent = null;
  let phase = 0;
  return () => {
    // Each phase on new connections, as when warm-up and count were two client processes (the GET
    // counts of earlier sessions were taken that way, and the count depends on it).
    if (agent === null || phase !== phases) {
      agent?.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      phase = phases;
    }
    return get(url, agent);
  };
}

function get(url, agent) {
  return new Promise((done, fail) => http.get(url, { agent }, (r) => {
    r.resume();
    r.on('end', () => (r.statusCode >= 400 ? fail(new Error(`${url}: ${r.statusCode}`)) : done()));
  }).on('error', fail));
}

async function tokenStep(grant) {
  const auth = `http://127.0.0.1:${port}`;
  const admin = `http://127.0.0.1:${port + 1}`;
  const form = (o) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
  const call = async (url, init) => {
    const r = await fetch(url, init);
    const j = await r.json();
    if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  const { access_token: adminToken } = await call(`${admin}/token`, form({ username: 'admin', password: 'callgrind-admin-password', client_id: 'admin' }));
  const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) });
  const client = await call(`${admin}/clients`, json({ client_id: 'cg', audience: 'api' }));
  await call(`${admin}/users`, json({ username: 'cguser', email: 'cg@example.com', password: 'callgrind-user-password' }));
  const creds = { client_id: 'cg', client_secret: client.client_secret };
  const chains = [];
  for (let c = 0; c < CLIENTS; c++) {
    chains.push(await call(`${auth}/token`, form({ ...creds, grant_type: 'password', username: 'cguser', password: 'callgrind-user-password' })));
  }
  const steps = {
    refresh_token: async (c) => {
      chains[c] = await call(`${auth}/token`, form({ ...creds, grant_type: 'refresh_token', refresh_token: chains[c].refresh_token }));
    },
    client_credentials: () => call(`${auth}/token`, form({ ...creds, grant_type: 'client_credentials' })),
    introspection: async (c) => {
      if (!(await call(`${auth}/introspect`, form({ ...creds, token: chains[c].access_token }))).active) throw new Error('inactive');
    },
  };
  if (!steps[grant]) throw new Error(`unknown scenario ${grant}`);
  return steps[grant];
}
