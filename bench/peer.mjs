// The side-by-side peer: panva's oidc-provider issuing signed JWT access tokens for the same
// client_credentials scenario, started as a child process (bench/peer-server.mjs) and driven by wrk
// in the same invocation as ours, so the ratio ours/peer is measured, not remembered.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { luaScript, runWrk } from './wrk.mjs';
import { memory, resetPeak } from './server.mjs';

export const PEER_CLIENT_ID = 'bench-peer';
export const PEER_CLIENT_SECRET = 'bench-peer-secret-0123456789abcdef0123456789abcdef';
export const PEER_SCOPE = 'bench.read';

const PEER_SERVER = fileURLToPath(new URL('./peer-server.mjs', import.meta.url));
const MAX_OUTPUT = 64 * 1024;

/** CPU time (user + system, all threads) a process has used, in ms (Linux /proc; clock ticks assumed 100/s). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15 of stat)
}

/** Starts oidc-provider for one signing alg and checks that it really issues JWTs signed with it. */
export async function startPeer({ alg }) {
  const child = spawn(process.execPath, [PEER_SERVER, alg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d) => { if (out.length < MAX_OUTPUT) out += d; };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const { url, tokenPath } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`peer (${alg}) did not start in 60 s:\n${out}`)); }, 60_000);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`peer (${alg}) exited ${code ?? signal}:\n${out}`)); });
    child.stdout.on('data', () => {
      const m = /peer ready: (\S+) token (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1], tokenPath: m[2] });
    });
  });

  const basic = `Basic ${Buffer.from(`${encodeURIComponent(PEER_CLIENT_ID)}:${encodeURIComponent(PEER_CLIENT_SECRET)}`).toString('base64')}`;
  // Same body as our scenario: the peer's defaultResource binds the token to its JWT resource server.
  const body = `grant_type=client_credentials&scope=${PEER_SCOPE}`;
  try {
    const res = await fetch(url + tokenPath, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic }, body,
    });
    const text = await res.text();
    const token = res.ok ? JSON.parse(text).access_token : undefined;
    const parts = typeof token === 'string' ? token.split('.') : [];
    const header = parts.length === 3 ? JSON.parse(Buffer.from(parts[0], 'base64url').toString()) : {};
    if (header.alg !== alg) {
      throw new Error(`peer (${alg}) did not issue a ${alg} JWT access token: ${res.status} ${text}\n${out}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, url, tokenPath, basic, body, stop, output: () => out };
}

/** Runs `peer_client_credentials_<alg>` for each alg (selected by `only`: "peer" or the full name); returns result rows. */
export async function runPeerScenarios({ seconds, connections, dir, only, algs = ['ES256', 'RS256'], ours = [] }) {
  const rows = [];
  const oursCc = ours.find((r) => r.scenario === 'client_credentials');
  for (const alg of algs) {
    const name = `peer_client_credentials_${alg}`;
    if (only && !only.has('peer') && !only.has(name)) continue;
    const peer = await startPeer({ alg });
    try {
      const script = luaScript({ method: 'POST', path: peer.tokenPath,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: peer.basic }, body: peer.body });
      resetPeak(peer.child.pid);
      const cpu0 = cpuMs(peer.child.pid);
      const r = await runWrk({ url: peer.url, script, seconds, connections, dir, name });
      const mem = memory(peer.child.pid);
      // CPU per request is less sensitive than req/s to other load on a shared machine.
      const cpuMsPerRequest = (cpuMs(peer.child.pid) - cpu0) / r.total;
      const row = { scenario: name, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, requests: r.total, peakMb: mem.peakMb, cpuMsPerRequest, peer: true };
      if (oursCc) row.oursPerPeer = oursCc.rps / r.rps;
      rows.push(row);
      console.log(`${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}, peak RSS ${mem.peakMb.toFixed(0)} MB, ${cpuMsPerRequest.toFixed(3)} CPU ms/request`
        + (row.oursPerPeer !== undefined ? `, ours/peer ${row.oursPerPeer.toFixed(2)}` : ''));
    } finally {
      await peer.stop();
    }
  }
  return rows;
}
