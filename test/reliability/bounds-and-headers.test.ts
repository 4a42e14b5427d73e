import { execFileSync } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient } from '../helpers/admin.js';
import { bearer, form, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => {
  server = await startTestServer(['--request-timeout', '2', '--cors-origins', 'https://app.example.com']);
  admin = await adminClient(server);
});
afterAll(async () => server?.close());

describe('HSTS (security.md "Responses")', () => {
  it('is sent only for HTTPS: a trusted proxy that says so, never an untrusted X-Forwarded-Proto', async () => {
    const proxied = await startTestServer(['--trusted-proxies', '127.0.0.1']);
    try {
      const viaTls = await http(`${proxied.authUrl}/ping`, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(viaTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect((await http(`${proxied.adminUrl}/ping`, { headers: { 'X-Forwarded-Proto': 'https' } })).headers.get('strict-transport-security'))
        .toBe('max-age=31536000; includeSubDomains');
      expect((await http(`${proxied.authUrl}/ping`)).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
    // This server trusts no proxy: the header is the client's word, not the connection's.
    expect((await http(`${server.authUrl}/ping`, { headers: { 'X-Forwarded-Proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('HSTS when served over TLS directly', () => {
  it('both planes send it over their own TLS listener', async () => {
    // A throwaway self-signed certificate as a PKCS#12 file, the form --auth-ssl-cert-file takes.
    const dir = server.dir;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
      '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-out', join(dir, 'tls.pfx'), '-inkey', join(dir, 'k.pem'), '-in', join(dir, 'c.pem'),
      '-passout', 'pass:test-pfx-pass'], { stdio: 'ignore' });
    const tls = await startTestServer(['--auth-ssl-cert-file', join(dir, 'tls.pfx'), '--auth-ssl-cert-pass', 'test-pfx-pass',
      '--admin-ssl-cert-file', join(dir, 'tls.pfx'), '--admin-ssl-cert-pass', 'test-pfx-pass']);
    try {
      const hsts = (url: string) => new Promise<unknown>((resolve, reject) => {
        httpsGet(url, { rejectUnauthorized: false }, (res) => { res.resume(); resolve(res.headers['strict-transport-security']); }).on('error', reject);
      });
      expect(tls.authUrl).toMatch(/^https:/);
      for (const url of [`${tls.authUrl}/ping`, `${tls.authUrl}/nope`, `${tls.adminUrl}/ping`, `${tls.adminUrl}/users`]) {
        expect(await hsts(url), url).toBe('max-age=31536000; includeSubDomains');
      }
    } finally {
      await tls.close();
    }
  });
});

describe('security headers on every response (both planes and the dashboard)', () => {
  it('success, error, 404, 405, 413, 401 and HTML answers all carry them', async () => {
    const a = server.authUrl;
    const m = server.adminUrl;
    const requests: [string, RequestInit?][] = [
      [`${a}/ping`], [`${a}/jwks.json`], [`${a}/.well-known/openid-configuration`], [`${a}/nope`], [`${a}/token`, { method: 'GET' }],
      [`${a}/token`, form({ grant_type: 'password' })], [`${a}/me`], [`${a}/login?jti=x`], [`${a}/verify`],
      [`${m}/ping`], [`${m}/users`], [`${m}/users`, bearer(admin.token!)], [`${m}/token`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }],
      [`${m}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x='.padEnd(70_000, 'a') }],
      [`${m}/dashboard/login`], [`${m}/dashboard`], [`${m}/dashboard/nope`],
    ];
    for (const [url, init] of requests) {
      const r = await fetch(url, { redirect: 'manual', ...init });
      await r.arrayBuffer();
      const where = `${init?.method ?? 'GET'} ${url.replace(/^http:\/\/[^/]+/, '')} (${r.status})`;
      expect(r.headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), where).toBe('no-referrer');
      expect(r.headers.get('x-frame-options'), where).toBe('DENY');
      expect(r.headers.get('content-security-policy'), where).toBeTruthy();
    }
  });

  it('CORS only on the auth plane, only for the configured origin', async () => {
    const ok = await fetch(`${server.authUrl}/jwks.json`, { headers: { Origin: 'https://app.example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(`${server.authUrl}/jwks.json`, { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const adminPlane = await fetch(`${server.adminUrl}/ping`, { headers: { Origin: 'https://app.example.com' } });
    expect(adminPlane.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('no CORS header of any kind on the admin plane, preflights and errors included, even for the configured origin', async () => {
    const corsHeaders = (r: Response) => [...r.headers.keys()].filter((k) => k.startsWith('access-control-'));
    const preflight = { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' };
    // The same preflight gets CORS headers on the auth plane: the origin is configured.
    const auth = await fetch(`${server.authUrl}/token`, { method: 'OPTIONS', headers: preflight });
    expect(corsHeaders(auth).sort()).toEqual(['access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin', 'access-control-max-age']);
    const answers = [
      await fetch(`${server.adminUrl}/token`, { method: 'OPTIONS', headers: preflight }),
      await fetch(`${server.adminUrl}/users`, { method: 'OPTIONS', headers: preflight }),
      await fetch(`${server.adminUrl}/users`, { headers: { Origin: 'https://app.example.com', Authorization: `Bearer ${admin.token!}` } }),
      await fetch(`${server.adminUrl}/users`, { headers: { Origin: 'https://app.example.com' } }),
      await fetch(`${server.adminUrl}/token`, { method: 'POST', headers: { Origin: 'https://app.example.com', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=root&password=wrong-one&client_id=admin' }),
      await fetch(`${server.adminUrl}/dashboard/login`, { headers: { Origin: 'https://app.example.com' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([expect.any(Number), expect.any(Number), 200, 401, 403, 200]);
    for (const r of answers) expect(corsHeaders(r), r.url).toEqual([]);
  });
});

describe('resource bounds', () => {
  it('a client that never finishes its request is cut off (slowloris), and the server keeps serving', async () => {
    const { port } = new URL(server.authUrl);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=pa');
      });
      let data = '';
      socket.on('data', (d) => { data += d.toString(); });
      socket.on('close', () => resolve(data));
      setTimeout(() => { socket.destroy(); resolve('still open'); }, 8000);
    });
    expect(answer).not.toBe('still open');
    expect(Date.now() - started).toBeLessThan(7500);
    expect((await http(`${server.authUrl}/ping`)).status).toBe(200);
  });

  it('concurrent edits of one user never leave a mixed state, and each is audited', async () => {
    const u = await admin.createUser({ username: 'racer', email: 'racer@example.com', password: 'racer-password-1' });
    const edits = Array.from({ length: 20 }, (_, i) => ({ username: `racer${i}`, email: `racer${i}@example.com` }));
    const results = await Promise.allSettled(edits.map((e) => admin.updateUser(u.id, e)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const final = await admin.getUser(u.id);
    const n = final.username.slice('racer'.length);
    expect(final.email).toBe(`racer${n}@example.com`); // username and email come from the same edit
    expect((await server.store().audit.list({ action: 'user_updated' })).total).toBe(20);
  });
});
