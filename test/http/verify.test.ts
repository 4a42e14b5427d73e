import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { bearer, http } from '../helpers/http.js';
import { mintAdminToken, mintAuthToken, tamper } from '../helpers/tokens.js';
import { issuerFor } from '../../src/config/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const verify = (token: string | null, query = '', init: RequestInit = {}) =>
  http(`${server.authUrl}/verify${query}`, token === null ? init : bearer(token, init));

function expectInvalid(r: Awaited<ReturnType<typeof verify>>, challenge = 'Bearer error="invalid_token"') {
  expect(r.status).toBe(401);
  expect(r.headers.get('www-authenticate')).toBe(challenge);
  expect(r.headers.get('x-auth-sub')).toBeNull();
  expect(r.json.success).toBe(false);
}

describe('auth GET /verify (forward-auth)', () => {
  it('answers 200 with the identity headers for a live access token', async () => {
    const { token, sub } = await mintAuthToken(server, { scope: ['orders:read', 'orders:write'], roles: ['staff', 'ops'], clientId: 'shop' });
    const r = await verify(token);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ active: true, sub });
    expect(r.headers.get('x-auth-sub')).toBe(sub);
    expect(r.headers.get('x-auth-scope')).toBe('orders:read orders:write');
    expect(r.headers.get('x-auth-roles')).toBe('staff,ops');
    expect(r.headers.get('x-auth-client')).toBe('shop');
    const exp = Number(r.headers.get('x-auth-expires'));
    expect(exp).toBeGreaterThan(Date.now() / 1000);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts every method a proxy may forward, never reading a body', async () => {
    const { token } = await mintAuthToken(server);
    for (const method of ['HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const r = await verify(token, '', { method, ...(method === 'HEAD' ? {} : { body: '{"broken":', headers: { 'Content-Type': 'application/json' } }) });
      expect(r.status, method).toBe(200);
    }
    const head = await verify(token, '', { method: 'HEAD' });
    expect(head.headers.get('x-auth-sub')).toBeTruthy();
  });

  it('refuses a missing, malformed, tampered, expired, revoked, ID or admin-plane token with 401', async () => {
    const live = await mintAuthToken(server);
    expectInvalid(await verify(null), 'Bearer');
    expectInvalid(await verify(null, '', { headers: { Authorization: `Basic ${live.token}` } }), 'Bearer');
    expectInvalid(await verify('not.a.jwt'));
    expectInvalid(await verify(tamper(live.token)));
    expectInvalid(await verify((await mintAuthToken(server, { expiresIn: -120 })).token));
    expectInvalid(await verify((await mintAuthToken(server, { extra: { token_use: 'id' } })).token));
    expectInvalid(await verify((await mintAuthToken(server, { extra: { mad: 'admin' } })).token));
    expectInvalid(await verify((await mintAuthToken(server, { extra: { iss: 'http://evil.example' } })).token));
    expectInvalid(await verify(await mintAdminToken(server)));
    const revoked = await mintAuthToken(server);
    expect((await verify(revoked.token)).status).toBe(200);
    await server.store().sessions.revoke(revoked.jti);
    expectInvalid(await verify(revoked.token));
  });

  it('checks required scopes (all), roles (any) and audience (all) from the query: 403 insufficient_scope', async () => {
    const { token } = await mintAuthToken(server, { scope: ['a', 'b'], roles: ['staff'], aud: ['app', 'api'] });
    const ok = ['?scope=a', '?scope=a%20b', '?scope=a,b', '?scope=a&scope=b', '?role=staff', '?role=admin,staff', '?aud=api', '?aud=app&scope=b&role=staff'];
    for (const q of ok) expect((await verify(token, q)).status, q).toBe(200);
    for (const q of ['?scope=c', '?scope=a%20c', '?role=admin', '?aud=other', '?scope=a&role=nobody']) {
      const r = await verify(token, q);
      expect(r.status, q).toBe(403);
      expect(r.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
      expect(r.headers.get('x-auth-sub')).toBeNull();
    }
    // A bad token is 401 before any requirement is looked at.
    expect((await verify(tamper(token), '?scope=c')).status).toBe(401);
  });

  it('never lets claim values inject header lines (CR/LF, non-ASCII, separators are percent-encoded)', async () => {
    const { token } = await mintAuthToken(server, {
      scope: ['read\r\nX-Evil: 1'], roles: ['a,b', 'ünï'], clientId: 'c\nd',
    });
    const r = await verify(token);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-evil')).toBeNull();
    expect(r.headers.get('x-auth-scope')).toBe('read%0D%0AX-Evil: 1');
    expect(r.headers.get('x-auth-roles')).toBe('a%2Cb,%C3%BCn%C3%AF');
    expect(r.headers.get('x-auth-client')).toBe('c%0Ad');
  });

  it('accepts a client_credentials token (no session row) until its jti is denylisted', async () => {
    // sub = client id, no session row: liveness is the jti denylist (src/services/token-liveness.ts).
    const { token, jti } = await mintAuthToken(server, { sub: 'svc-client', clientId: 'svc-client', session: false, extra: { gty: 'client_credentials' } });
    const ok = await verify(token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-auth-client')).toBe('svc-client');
    await server.store().denylist.add(jti, new Date(Date.now() + 60_000));
    expectInvalid(await verify(token));
  });
});

describe('auth GET /keys/auth.pem', () => {
  it('serves the current JWKS key as PEM that verifies auth tokens, with an ETag', async () => {
    const r = await http(`${server.authUrl}/keys/auth.pem`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-pem-file/);
    expect(r.text).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const { token } = await mintAuthToken(server);
    const { kid, alg } = decodeProtectedHeader(token);
    expect(r.headers.get('x-key-id')).toBe(kid);
    const jwks = await http(`${server.authUrl}/jwks.json`);
    expect(jwks.json.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
    const { payload } = await jwtVerify(token, await importSPKI(r.text, alg!), { issuer: issuerFor(server.config) });
    expect(payload.mad).toBe('auth');
    // Same key as the JWKS one: the JWKS verifies the same token with the same kid.
    await jwtVerify(token, createRemoteJWKSet(new URL(`${server.authUrl}/jwks.json`)));
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    // Raw node:http: fetch() adds `Cache-Control: no-cache` to conditional requests, which forbids a 304.
    const status = await new Promise<number>((resolve, reject) => {
      get(`${server.authUrl}/keys/auth.pem`, { headers: { 'If-None-Match': etag } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('changes after an auth key rotation, and the new PEM verifies tokens of the new key', async () => {
    const before = await http(`${server.authUrl}/keys/auth.pem`);
    const admin = await mintAdminToken(server);
    const rot = await http(`${server.adminUrl}/keys/auth/rotate`, bearer(admin, { method: 'POST' }));
    expect(rot.status).toBe(200);
    const after = await http(`${server.authUrl}/keys/auth.pem`);
    expect(after.text).not.toBe(before.text);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const { token } = await mintAuthToken(server);
    const { alg } = decodeProtectedHeader(token);
    await expect(jwtVerify(token, await importSPKI(before.text, alg!))).rejects.toThrow();
    await expect(jwtVerify(token, await importSPKI(after.text, alg!))).resolves.toBeTruthy();
    // /verify picks the new key up without a restart.
    expect((await verify(token)).status).toBe(200);
  });
});
