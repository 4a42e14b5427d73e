import { get, request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ClientRequest } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRemoteJWKSet, decodeJwt, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { createPasswordHasher } from '../../src/crypto/password.js';
import { ADMIN_AUDIENCE } from '../../src/services/admin-tokens.js';
import { arrange } from '../helpers/arrange.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** A POST written by `write` (chunks, no Content-Length unless given), with the raw answer. */
function rawPost(url: string, headers: OutgoingHttpHeaders, write: (req: ClientRequest) => void) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    write(req);
  });
}

async function adminLogin(username = ADMIN_USERNAME, password = ADMIN_PASSWORD) {
  return http(`${server.adminUrl}/token`, form({ username, password, client_id: 'admin' }));
}

/** An auth-plane access token signed with the auth keyring's current key, read from the database. */
async function authPlaneToken(userId: string, jti: string, extra: Record<string, unknown> = {}) {
  const db = server.store();
  const row = (await db.signingKeys.listPublished('auth')).find((k) => k.status === 'current');
  if (!row) throw new Error('no auth key');
  const key = await importPKCS8(row.privateKeyPem, row.alg);
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: server.config.authDomain ? `http://${server.config.authDomain}` : '', sub: userId, jti, iat,
    nbf: iat, exp: iat + 300, mad: 'auth', token_use: 'access', ...extra })
    .setProtectedHeader({ alg: row.alg, kid: row.kid, typ: 'at+jwt' }).sign(key);
}

describe('info routes', () => {
  it('answer ping and version on both planes', async () => {
    expect((await http(`${server.authUrl}/ping`)).json).toEqual({ message: 'pong from auth' });
    expect((await http(`${server.adminUrl}/ping`)).json).toEqual({ message: 'pong from admin' });
    const v = await http(`${server.adminUrl}/version`);
    expect(v.json.name).toBe('microauthd');
    expect(v.json.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('set security headers and a request id on every response, errors included', async () => {
    for (const url of [`${server.authUrl}/ping`, `${server.adminUrl}/nope`]) {
      const r = await http(url);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    }
  });

  it('keeps a sane incoming X-Request-Id and replaces anything else with a fresh one', async () => {
    const sent = async (id: string) => (await http(`${server.authUrl}/ping`, { headers: { 'X-Request-Id': id } })).headers.get('x-request-id');
    expect(await sent('trace-42.a_b')).toBe('trace-42.a_b');
    for (const bad of ['has space', 'x'.repeat(65), 'semi;colon', '']) {
      const answered = await sent(bad);
      expect(answered, bad).not.toBe(bad);
      expect(answered).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('answer unknown routes with 404 in the documented envelope', async () => {
    const r = await http(`${server.adminUrl}/definitely-not-here`);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ success: false, message: 'Not found' });
  });
});

describe('admin POST /token', () => {
  it('issues an admin token for a MadAdmin user, with a session row and an audit record', async () => {
    const r = await adminLogin();
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.json).sort()).toEqual(['access_token', 'aud', 'expires_in', 'id_token', 'jti', 'refresh_token', 'token_type']);
    expect(r.json).toMatchObject({ token_type: 'bearer', refresh_token: null, id_token: null, aud: ADMIN_AUDIENCE });
    const db = server.store();
    expect((await db.sessions.get(r.json.jti))?.madUse).toBe('admin');
    expect((await db.audit.list({ action: 'admin_token_issued' })).total).toBeGreaterThan(0);
  });

  it('carries the admin user\'s roles and every granted scope name (space-separated) in the admin token', async () => {
    const first = (await adminLogin()).json.access_token as string;
    const adminId = String(decodeJwt(first).sub);
    expect(decodeJwt(first).scope).toBe('');
    const scopeIds: string[] = [];
    for (const name of ['zz:admin-b', 'aa:admin-a']) {
      const created = await http(`${server.adminUrl}/scopes`, bearer(first, jsonBody({ name, desc: '' })));
      expect(created.status).toBe(200);
      scopeIds.push(created.json.id);
    }
    expect((await http(`${server.adminUrl}/users/${adminId}/scopes`, bearer(first, jsonBody({ scope_ids: scopeIds })))).status).toBe(200);
    const token = (await adminLogin()).json.access_token as string;
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ mad: 'admin', aud: ADMIN_AUDIENCE, scope: 'aa:admin-a zz:admin-b', roles: ['MadAdmin'] });
    for (const name of ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'jti', 'client_id', 'scope', 'mad']) expect(claims).toHaveProperty(name);
    // The token still opens the admin plane.
    expect((await http(`${server.adminUrl}/keys/auth`, bearer(token))).status).toBe(200);
  });

  it('refuses a wrong password, an unknown user and a non-MadAdmin user alike: 403 Invalid credentials', async () => {
    const db = server.store();
    const hasher = createPasswordHasher({ timeCost: 1, memoryCost: 1024, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 2 });
    await db.users.create({ id: crypto.randomUUID(), username: 'plainuser', email: 'p@example.com', passwordHash: await hasher.hash('plain-password') });
    const answers = await Promise.all([
      adminLogin(ADMIN_USERNAME, 'wrong-password'),
      adminLogin('nobody-at-all', 'whatever-pass'),
      adminLogin('plainuser', 'plain-password'),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.json).toEqual({ success: false, message: 'Invalid credentials' });
    }
  });

  it('rejects bad input with 400 and the documented body, never 500', async () => {
    const cases: [RequestInit, number][] = [
      [form({ username: ADMIN_USERNAME, password: '', client_id: 'admin' }), 400],
      [form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }), 400],
      [jsonBody({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }), 400],
      [{ method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' }, 400],
      [{ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=a&username=b&password=x&client_id=c' }, 400],
      [{ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x='.padEnd(70_000, 'a') }, 413],
    ];
    for (const [init, status] of cases) {
      const r = await http(`${server.adminUrl}/token`, init);
      expect(r.status, JSON.stringify(init.body).slice(0, 80)).toBe(status);
      expect(r.json.success).toBe(false);
      expect(typeof r.json.message).toBe('string');
    }
  });

  it('answers a chunked body past the limit with 413 and closes the connection', async () => {
    const answer = await rawPost(`${server.adminUrl}/token`, { 'Content-Type': 'application/x-www-form-urlencoded' },
      (req) => {
        for (let i = 0; i < 40; i++) req.write('x='.padEnd(4096, 'a')); // 160 KiB, no Content-Length: chunked
        req.end();
      });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({ success: false, message: expect.stringMatching(/^Request body exceeds \d+ bytes$/) });
  });

  it('takes a client that goes away mid-body as a client error: nothing logged as a server error, serving goes on', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
    const own = await startTestServer([], { log: createLogger({ level: 'info', destination: sink }) });
    try {
      await new Promise<void>((done) => {
        const req = request(`${own.adminUrl}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '1000' } });
        req.on('error', () => done());
        req.write('username=admin&pass', () => setTimeout(() => req.destroy(), 50));
      });
      expect((await http(`${own.adminUrl}/ping`)).json).toEqual({ message: 'pong from admin' });
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number });
      expect(logged.filter((l) => l.msg === 'request' && l.path === '/token').map((l) => l.status)).toEqual([400]);
      expect(logged.filter((l) => l.msg === 'unhandled error')).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('reads JSON under a +json media type and with parameters, and refuses look-alikes with 400', async () => {
    const { json } = await adminLogin();
    const post = (contentType: string) => http(`${server.adminUrl}/keys/auth/rotate`, bearer(json.access_token, {
      method: 'POST', headers: { 'Content-Type': contentType }, body: '{"broken":',
    }));
    // The body is called malformed JSON only once it was taken as JSON.
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/merge-patch+json']) {
      const r = await post(type);
      expect([r.status, r.json.message], type).toEqual([400, 'Malformed JSON body']);
    }
    for (const type of ['application/jsonx', 'text/plain', 'application/json-seq', 'application/+json x']) {
      const r = await post(type);
      expect([r.status, r.json.message], type).toEqual([400, 'Unsupported content type; expected application/x-www-form-urlencoded or application/json']);
    }
  });

  it('answers malformed JSON on a JSON route with 400, not 500', async () => {
    const { json } = await adminLogin();
    const r = await http(`${server.adminUrl}/keys/auth/rotate`, bearer(json.access_token, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"broken":',
    }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ success: false, message: 'Malformed JSON body' });
  });

  it('refuses a body that is not valid UTF-8 (400) instead of mangling it, and takes a multi-byte one', async () => {
    const bad = Buffer.concat([Buffer.from(`username=${ADMIN_USERNAME}&client_id=admin&password=`), Buffer.from([0xc3, 0x28])]);
    const r = await http(`${server.adminUrl}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: bad });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ success: false, message: 'Request body is not valid UTF-8' });
    const good = await http(`${server.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: 'wrong-pässwörd-€', client_id: 'admin' }));
    expect(good.status).toBe(403); // parsed and checked: a wrong password, not a 400
    expect(good.json).toEqual({ success: false, message: 'Invalid credentials' });
  });
});

describe('plane isolation', () => {
  it('accepts an admin token on the admin plane and rejects it (401) on the auth plane', async () => {
    const { json } = await adminLogin();
    const ok = await http(`${server.adminUrl}/keys/auth`, bearer(json.access_token));
    expect(ok.status).toBe(200);
    expect(ok.json.map((k: { status: string }) => k.status).sort()).toEqual(['current', 'standby']);
    const refused = await http(`${server.authUrl}/me`, bearer(json.access_token));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('accepts an auth-plane token on the auth plane and rejects it (401) on the admin plane', async () => {
    const db = server.store();
    const admin = await db.users.findByUsername(ADMIN_USERNAME);
    const jti = 'a'.repeat(32);
    await db.sessions.insert({ id: jti, userId: admin!.id, clientIdentifier: 'app', issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 300_000).toISOString(), madUse: 'auth', loginMethod: 'pwd' });
    const token = await authPlaneToken(admin!.id, jti, { aud: ADMIN_AUDIENCE });
    const me = await http(`${server.authUrl}/me`, bearer(token));
    expect(me.status).toBe(200);
    expect(me.json.sub).toBe(admin!.id);
    expect((await http(`${server.adminUrl}/keys/auth`, bearer(token))).status).toBe(401);
    // Revoking its session makes the same token worthless on the auth plane too.
    await db.sessions.revoke(jti);
    expect((await http(`${server.authUrl}/me`, bearer(token))).status).toBe(401);
  });

  it('refuses missing, malformed and tampered bearer tokens', async () => {
    const { json } = await adminLogin();
    const [h, p, s] = json.access_token.split('.');
    const tampered = `${h}.${p.slice(0, -2)}${p.slice(-2) === 'AA' ? 'BB' : 'AA'}.${s}`;
    for (const auth of ['', 'Bearer', 'Bearer not.a.jwt', `Basic ${json.access_token}`, `Bearer ${tampered}`]) {
      const r = await http(`${server.adminUrl}/keys/admin`, { headers: auth ? { Authorization: auth } : {} });
      expect(r.status, auth.slice(0, 20)).toBe(401);
      expect(r.json.success).toBe(false);
    }
  });
});

describe('JWKS and discovery', () => {
  it('/jwks.json verifies a token signed by the auth keyring (jose remote JWK set)', async () => {
    const token = await authPlaneToken('some-user', 'b'.repeat(32));
    const jwks = createRemoteJWKSet(new URL(`${server.authUrl}/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: `http://${server.config.authDomain}` });
    expect(payload.sub).toBe('some-user');
    expect(protectedHeader.kid).toBeTruthy();
  });

  it('/jwks.json answers 304 to a matching If-None-Match', async () => {
    const first = await http(`${server.authUrl}/jwks.json`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Raw node:http: fetch() adds `Cache-Control: no-cache` to conditional requests (Fetch spec), which forbids a 304.
    const status = await new Promise<number>((resolve, reject) => {
      get(`${server.authUrl}/jwks.json`, { headers: { 'If-None-Match': etag! } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('publishes a discovery document whose issuer and jwks_uri match the configuration', async () => {
    const r = await http(`${server.authUrl}/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    expect(r.json.issuer).toBe(`http://${server.config.authDomain}`);
    expect(r.json.jwks_uri).toBe(`http://${server.config.authDomain}/jwks.json`);
    expect(r.json.code_challenge_methods_supported ?? []).not.toContain('plain');
  });

  it('rotating the auth key via the admin plane publishes the new standby and keeps the old key', async () => {
    const { json } = await adminLogin();
    const before = (await http(`${server.authUrl}/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid);
    const rotated = await http(`${server.adminUrl}/keys/auth/rotate`, bearer(json.access_token, { method: 'POST' }));
    expect(rotated.status).toBe(200);
    const after = (await http(`${server.authUrl}/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBe(before.length + 1);
    const audit = await server.store().audit.list({ action: 'signing_key_rotated' });
    expect(audit.total).toBe(1);
  });
});

describe('errors carry no stack trace, SQL or internal id (security.md "Responses")', () => {
  it('a failing statement is a fixed 500 message on both planes, logged with the request id; refusals name only what the caller sent', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
    const own = await startTestServer([], { log: createLogger({ level: 'info', destination: sink }) });
    const a = arrange(own);
    try {
      const token = (await http(`${own.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }))).json.access_token as string;
      const c = await a.client();
      const u = await a.user();
      const internalIds = [c.id, u.id, (await own.store().users.findByUsername(ADMIN_USERNAME))!.id];
      // Writes the server cannot have expected to fail: an error from SQLite itself, carrying SQL text.
      a.db.exec(`CREATE TRIGGER refuse_roles BEFORE INSERT ON roles BEGIN SELECT RAISE(ABORT, 'trigger says no: INSERT INTO roles (id, name) VALUES (${u.id})'); END;
        CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'trigger says no: INSERT INTO sessions'); END;`);
      const failed = [
        await http(`${own.adminUrl}/roles`, bearer(token, jsonBody({ name: 'doomed-role', description: '' }))),
        await http(`${own.authUrl}/token`, form({ grant_type: 'password', username: u.username, password: u.password, client_id: c.clientId, client_secret: c.clientSecret })),
      ];
      for (const r of failed) {
        expect(r.status).toBe(500);
        expect(r.json).toEqual({ success: false, message: 'Internal server error' });
      }
      // Refusals on the same server: their messages name what the caller sent, never another row's internal id.
      a.db.exec('DROP TRIGGER refuse_roles; DROP TRIGGER refuse_sessions;');
      const refusals = [
        await http(`${own.adminUrl}/users`, bearer(token, jsonBody({ username: u.username, email: 'other@example.com', password: 'long-enough-1' }))),
        await http(`${own.adminUrl}/clients`, bearer(token, jsonBody({ client_id: c.clientId }))),
        await http(`${own.adminUrl}/users/${u.id}`, bearer(token, jsonBody({ username: ADMIN_USERNAME }, 'PUT'))),
        await http(`${own.adminUrl}/roles/assign`, bearer(token, jsonBody({ user_id: u.id, role_id: 'no-such-role' }))),
        await http(`${own.authUrl}/token`, form({ grant_type: 'password', username: u.username, password: 'wrong-password', client_id: c.clientId, client_secret: c.clientSecret })),
      ];
      expect(refusals.map((r) => r.status)).toEqual([400, 400, 400, 404, 400]);
      for (const r of [...failed, ...refusals]) {
        for (const leak of ['INSERT', 'SELECT', 'trigger', 'SQLITE', 'Error:', '    at ', '.ts:', '.js:', 'node_modules']) {
          expect(r.text, r.text).not.toContain(leak);
        }
      }
      // The caller sent the user's id in the PUT route, so that one answer may name it; no other answer names any internal id.
      for (const [i, r] of [...failed, ...refusals].entries()) {
        for (const id of internalIds) if (!(i === 4 && id === u.id)) expect(r.text.includes(id), `${r.text} names ${id}`).toBe(false);
      }
      // Both failures are in the log, each with the request id the answer carries (and there, the cause).
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; err?: { message?: string } }).filter((l) => l.msg === 'unhandled error');
      expect(logged.map((l) => l.reqId)).toEqual(failed.map((r) => r.headers.get('x-request-id')));
      expect(logged.every((l) => l.err?.message?.includes('trigger says no'))).toBe(true);
    } finally {
      a.close();
      await own.close();
    }
  });
});
