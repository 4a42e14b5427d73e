// The side-by-side peer: panva's oidc-provider issuing signed JWT access tokens for the same
// client_credentials scenario, started as a child process (bench/peer-server.mjs) and driven by wrk
// in the same invocation as ours, so the ratio ours/peer is measured, not remembered.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { luaScript, runWrk } from './wrk.mjs';
import { cpuSeconds, memory, resetPeak } from './server.mjs';

export const PEER_CLIENT_ID = 'bench-peer';
export const PEER_CLIENT_SECRET = 'bench-peer-secret-0123456789abcdef0123456789abcdef';
export const PEER_SCOPE = 'bench.read';

const PEER_SERVER = fileURLToPath(new URL('./peer-server.mjs', import.meta.url));
const MAX_OUTPUT = 64 * 1024;

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

/** Runs our client_credentials scenario against the peer, once per alg; rows are marked `peer: true`. */
export async function runPeerScenarios({ seconds, connections, dir, algs = ['ES256', 'RS256'] }) {
  const rows = [];
  for (const alg of algs) {
    const peer = await startPeer({ alg });
    try {
      const script = luaScript({ method: 'POST', path: peer.tokenPath,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: peer.basic }, body: peer.body });
      resetPeak(peer.child.pid);
      const cpu0 = cpuSeconds(peer.child.pid);
      const r = await runWrk({ url: peer.url, script, seconds, connections, dir, name: `peer-${alg}` });
      const mem = memory(peer.child.pid);
      const cpuUs = ((cpuSeconds(peer.child.pid) - cpu0) * 1e6) / r.total;
      rows.push({ scenario: 'client_credentials', alg, peer: true, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, requests: r.total, peakMb: mem.peakMb, cpuUs });
      console.log(`client_credentials (${alg}) — oidc-provider: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}, peak RSS ${mem.peakMb.toFixed(0)} MB, server CPU ${cpuUs.toFixed(0)} µs/req`);
    } finally {
      await peer.stop();
    }
  }
  return rows;
}
