import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerFor } from '../../src/config/index.js';
import { http, type HttpResult } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { mintAdminToken, mintAuthToken, tamper } from '../helpers/tokens.js';

/**
 * Real nginx, Caddy and HAProxy (Debian packages; .ci/run installs them) in front of a tiny backend,
 * configured with the very files docs/reverse-proxy/ documents, placeholders rendered. A missing
 * binary fails the suite: it is never skipped.
 */
const DOCS = fileURLToPath(new URL('../../docs/reverse-proxy/', import.meta.url));
const AUDIENCE = 'orders-api';

let server: TestServer;
let backend: Server;
const children: ChildProcess[] = [];
const { dir, cleanup } = tempDir('microauthd-proxy-');
const proxies: Record<'nginx' | 'caddy' | 'haproxy', string> = { nginx: '', caddy: '', haproxy: '' };

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function render(file: string, values: Record<string, string>): string {
  let text = readFileSync(join(DOCS, file), 'utf8');
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(`@@${k}@@`, v);
  const left = /@@\w+@@/.exec(text);
  if (left) throw new Error(`${file}: placeholder ${left[0]} not rendered`);
  return text;
}

/** Starts a long-running proxy; its output is kept for failure messages. */
function run(cmd: string, args: string[], env: Record<string, string> = {}): { out: () => string; exited: Promise<number | null> } {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => { out += String(e); resolve(-1); });
    child.once('exit', (code) => resolve(code));
  });
  return { out: () => out, exited };
}

/** Polls until the proxy answers HTTP at all (any status), bounded by a timeout. */
async function waitUp(name: string, url: string, proc: { out: () => string; exited: Promise<number | null> }): Promise<void> {
  let dead: number | null | undefined;
  void proc.exited.then((c) => { dead = c; });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (dead !== undefined) throw new Error(`${name} exited (${dead}):\n${proc.out()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not come up in 15 s:\n${proc.out()}`);
}

beforeAll(async () => {
  server = await startTestServer();
  const authAddr = new URL(server.authUrl).host;

  // The application behind the proxies: echoes the identity headers it received.
  backend = createServer((req, res) => {
    const auth = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-auth-')));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ backend: true, path: req.url, method: req.method, auth }));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendAddr = `127.0.0.1:${(backend.address() as AddressInfo).port}`;

  const pemFile = join(dir, 'auth.pem');
  const pem = await http(`${server.authUrl}/keys/auth.pem`);
  if (pem.status !== 200) throw new Error(`GET /keys/auth.pem: ${pem.status}`);
  writeFileSync(pemFile, pem.text);

  const nginxDir = join(dir, 'nginx');
  mkdirSync(nginxDir);
  const nginxAddr = `127.0.0.1:${await freePort()}`;
  writeFileSync(join(nginxDir, 'nginx.conf'), render('nginx.conf', {
    RUN_DIR: nginxDir, LISTEN_ADDR: nginxAddr, AUTH_ADDR: authAddr, BACKEND_ADDR: backendAddr,
  }));
  const nginx = run('nginx', ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', join(nginxDir, 'error.log')]);

  const caddyDir = join(dir, 'caddy');
  mkdirSync(caddyDir);
  const caddyAddr = `127.0.0.1:${await freePort()}`;
  writeFileSync(join(caddyDir, 'Caddyfile'), render('Caddyfile', { LISTEN_ADDR: caddyAddr, AUTH_ADDR: authAddr, BACKEND_ADDR: backendAddr }));
  const caddy = run('caddy', ['run', '--config', join(caddyDir, 'Caddyfile'), '--adapter', 'caddyfile'],
    { HOME: caddyDir, XDG_DATA_HOME: caddyDir, XDG_CONFIG_HOME: caddyDir });

  const haproxyAddr = `127.0.0.1:${await freePort()}`;
  writeFileSync(join(dir, 'haproxy.cfg'), render('haproxy.cfg', {
    LISTEN_ADDR: haproxyAddr, BACKEND_ADDR: backendAddr, PEM_FILE: pemFile, ISSUER: issuerFor(server.config), AUDIENCE,
  }));
  const haproxy = run('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db']);

  proxies.nginx = `http://${nginxAddr}`;
  proxies.caddy = `http://${caddyAddr}`;
  proxies.haproxy = `http://${haproxyAddr}`;
  await Promise.all([
    waitUp('nginx', proxies.nginx, nginx), waitUp('caddy', proxies.caddy, caddy), waitUp('haproxy', proxies.haproxy, haproxy),
  ]);
});

afterAll(async () => {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) { resolve(); return; }
    const timer = setTimeout(() => { c.kill('SIGKILL'); }, 5000);
    c.once('exit', () => { clearTimeout(timer); resolve(); });
    c.kill('SIGTERM');
  })));
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  await server?.close();
  cleanup();
});

const get = (base: string, path: string, token?: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
  http(`${base}${path}`, { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(10_000) });

function expectRefused(r: HttpResult, status: number, what: string) {
  expect(r.status, what).toBe(status);
  expect(r.json?.backend, what).toBeUndefined();
  expect(r.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
}

describe.each(['nginx', 'caddy'] as const)('forward-auth through %s', (name) => {
  it('passes a valid token to the backend with the identity headers, replacing spoofed ones', async () => {
    const { token, sub } = await mintAuthToken(server, { aud: AUDIENCE, scope: ['orders:read', 'profile'], roles: ['staff'], clientId: 'shop' });
    const r = await get(proxies[name], '/hello?x=1', token, { 'X-Auth-Sub': 'spoofed', 'X-Auth-Roles': 'admin' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.backend).toBe(true);
    expect(r.json.path).toBe('/hello?x=1');
    expect(r.json.auth).toMatchObject({
      'x-auth-sub': sub, 'x-auth-scope': 'orders:read profile', 'x-auth-roles': 'staff', 'x-auth-client': 'shop',
    });
    expect(Number(r.json.auth['x-auth-expires'])).toBeGreaterThan(Date.now() / 1000);
    const orders = await get(proxies[name], '/orders/42', token);
    expect(orders.status, orders.text).toBe(200);
    expect(orders.json.auth['x-auth-sub']).toBe(sub);
  });

  it('refuses no token, an expired, revoked, admin-plane or tampered token with 401', async () => {
    const live = await mintAuthToken(server, { aud: AUDIENCE });
    expectRefused(await get(proxies[name], '/hello'), 401, 'no token');
    expectRefused(await get(proxies[name], '/hello', (await mintAuthToken(server, { aud: AUDIENCE, expiresIn: -120 })).token), 401, 'expired');
    expectRefused(await get(proxies[name], '/hello', await mintAdminToken(server)), 401, 'admin plane');
    expectRefused(await get(proxies[name], '/hello', tamper(live.token)), 401, 'tampered');
    const revoked = await mintAuthToken(server, { aud: AUDIENCE });
    expect((await get(proxies[name], '/hello', revoked.token)).status).toBe(200);
    await server.store().sessions.revoke(revoked.jti);
    expectRefused(await get(proxies[name], '/hello', revoked.token), 401, 'revoked');
  });

  it('refuses a valid token lacking the location\'s required scope with 403', async () => {
    const { token } = await mintAuthToken(server, { aud: AUDIENCE, scope: ['profile'] });
    expect((await get(proxies[name], '/hello', token)).status).toBe(200);
    expectRefused(await get(proxies[name], '/orders/42', token), 403, 'missing scope');
  });
});

describe('native JWT verification through haproxy (jwt_verify with GET /keys/auth.pem)', () => {
  it('passes a valid token to the backend with the subject header, replacing a spoofed one', async () => {
    const { token, sub } = await mintAuthToken(server, { aud: AUDIENCE, scope: ['orders:read'] });
    const r = await get(proxies.haproxy, '/hello', token, { 'X-Auth-Sub': 'spoofed' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.backend).toBe(true);
    expect(r.json.auth['x-auth-sub']).toBe(sub);
    expect(r.json.auth['x-auth-scope']).toBe('orders:read');
    expect((await get(proxies.haproxy, '/orders/42', token)).status).toBe(200);
  });

  it('refuses no token, an expired, admin-plane, tampered, wrong-issuer, wrong-audience or ID token with 401', async () => {
    const live = await mintAuthToken(server, { aud: AUDIENCE });
    expectRefused(await get(proxies.haproxy, '/hello'), 401, 'no token');
    expectRefused(await get(proxies.haproxy, '/hello', (await mintAuthToken(server, { aud: AUDIENCE, expiresIn: -1 })).token), 401, 'expired');
    expectRefused(await get(proxies.haproxy, '/hello', await mintAdminToken(server)), 401, 'admin plane');
    expectRefused(await get(proxies.haproxy, '/hello', tamper(live.token)), 401, 'tampered');
    expectRefused(await get(proxies.haproxy, '/hello', (await mintAuthToken(server, { aud: AUDIENCE, extra: { iss: 'http://evil.example' } })).token), 401, 'issuer');
    expectRefused(await get(proxies.haproxy, '/hello', (await mintAuthToken(server, { aud: 'other-api' })).token), 401, 'audience');
    expectRefused(await get(proxies.haproxy, '/hello', (await mintAuthToken(server, { aud: AUDIENCE, extra: { token_use: 'id' } })).token), 401, 'id token');
    // Revocation is invisible to HAProxy (documented): not asserted here.
  });

  it('verifies ES256 tokens too (--prefer-ec-token-signer) with that server\'s PEM', async () => {
    const ec = await startTestServer(['--prefer-ec-token-signer']);
    try {
      const pem = await http(`${ec.authUrl}/keys/auth.pem`);
      expect(pem.status).toBe(200);
      const ecDir = join(dir, 'haproxy-ec');
      mkdirSync(ecDir);
      writeFileSync(join(ecDir, 'auth.pem'), pem.text);
      const addr = `127.0.0.1:${await freePort()}`;
      writeFileSync(join(ecDir, 'haproxy.cfg'), render('haproxy.cfg', {
        LISTEN_ADDR: addr, BACKEND_ADDR: `127.0.0.1:${(backend.address() as AddressInfo).port}`, PEM_FILE: join(ecDir, 'auth.pem'),
        ISSUER: issuerFor(ec.config), AUDIENCE,
      }));
      const proc = run('haproxy', ['-f', join(ecDir, 'haproxy.cfg'), '-db']);
      await waitUp('haproxy (ES256)', `http://${addr}`, proc);
      const { token, sub } = await mintAuthToken(ec, { aud: AUDIENCE });
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('ES256');
      const ok = await get(`http://${addr}`, '/hello', token);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.auth['x-auth-sub']).toBe(sub);
      expectRefused(await get(`http://${addr}`, '/hello', tamper(token)), 401, 'tampered ES256');
      // A token of the RS256 server is refused by the ES256 key.
      expectRefused(await get(`http://${addr}`, '/hello', (await mintAuthToken(server, { aud: AUDIENCE })).token), 401, 'other key');
    } finally {
      await ec.close();
    }
  });

  it('refuses a valid token lacking orders:read on /orders/ with 403', async () => {
    const { token } = await mintAuthToken(server, { aud: AUDIENCE, scope: ['orders:readonly', 'profile'] });
    expect((await get(proxies.haproxy, '/hello', token)).status).toBe(200);
    expectRefused(await get(proxies.haproxy, '/orders/42', token), 403, 'missing scope');
  });
});

describe('traefik (not in Debian: configuration only, not run)', () => {
  it('ships a dynamic configuration using the same /verify contract and identity headers', () => {
    const text = render('traefik.yml', { AUTH_ADDR: '127.0.0.1:9040', BACKEND_ADDR: '127.0.0.1:8080' });
    expect(text).toContain('address: "http://127.0.0.1:9040/verify"');
    expect(text).toContain('address: "http://127.0.0.1:9040/verify?scope=orders:read"');
    for (const h of ['X-Auth-Sub', 'X-Auth-Scope', 'X-Auth-Roles', 'X-Auth-Client', 'X-Auth-Expires']) {
      expect(text.split(`- ${h}\n`).length - 1, h).toBe(2);
    }
    // No tabs (YAML forbids them for indentation) and consistent two-space indentation.
    expect(text).not.toMatch(/\t/);
    for (const line of text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'))) {
      expect((/^ */.exec(line)?.[0].length ?? 0) % 2, line).toBe(0);
    }
  });
});
