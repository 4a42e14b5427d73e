// The side-by-side peer: panva's oidc-provider issuing signed JWT access tokens for the same
// client_credentials scenario, started as a child process (bench/peer-server.mjs) and driven by wrk
// in the same invocation as ours, so the ratio ours/peer is measured, not remembered.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { luaScript, runWrk } from './wrk.mjs';
import { cpuMeter, memory, resetPeak } from './server.mjs';

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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Our server and the peer, both already running with the same key type, driven in turns with the
 * same client_credentials request: a warm-up each, then `rounds` alternating runs. Host noise on a
 * shared machine moves whole minutes up or down, so taking turns and the median keep the ratio fair.
 * Returns one row for each side (the run with the median req/s), marked `pair: alg`.
 */
export async function comparePeer({ alg, ours, seconds, connections, dir, rounds = 3 }) {
  const peer = await startPeer({ alg });
  try {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const sides = [
      { who: 'ours', pid: ours.pid, url: ours.url,
        script: luaScript({ method: 'POST', path: '/token', headers: { ...form, Authorization: ours.basic }, body: ours.body }) },
      { who: 'peer', pid: peer.child.pid, url: peer.url,
        script: luaScript({ method: 'POST', path: peer.tokenPath, headers: { ...form, Authorization: peer.basic }, body: peer.body }) },
    ];
    for (const side of sides) await runWrk({ url: side.url, script: side.script, seconds: Math.min(2, seconds), connections, dir, name: `warm-${side.who}` });
    const runs = { ours: [], peer: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of sides) {
        resetPeak(side.pid);
        const cpu = cpuMeter(side.pid);
        const r = await runWrk({ url: side.url, script: side.script, seconds, connections, dir, name: `cmp-${side.who}-${alg}` });
        runs[side.who].push({ ...r, peakMb: memory(side.pid).peakMb, ...cpu(r.total) });
      }
    }
    return sides.map(({ who }) => {
      const mid = median(runs[who].map((r) => r.rps));
      const r = runs[who].find((x) => x.rps === mid);
      const row = { scenario: 'client_credentials', alg: `${alg}, in turns`, pair: alg, peer: who === 'peer', rps: r.rps, p50: r.p50, p99: r.p99,
        errors: runs[who].reduce((n, x) => n + x.errors, 0), requests: r.total, peakMb: r.peakMb, cpuUs: r.cpuUs, mainUs: r.mainUs, writtenKb: r.writtenKb,
        allRps: runs[who].map((x) => Math.round(x.rps)) };
      console.log(`client_credentials (${alg}) ${who === 'peer' ? 'oidc-provider' : 'microauthd'} in turns: ${row.allRps.join(', ')} req/s (median ${r.rps.toFixed(0)}), errors ${row.errors}, server CPU ${r.cpuUs.toFixed(0)} µs/req (main thread ${r.mainUs.toFixed(0)})`);
      return row;
    });
  } finally {
    await peer.stop();
  }
}
