import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AdminClient } from '../../bindings/typescript/admin-client.js';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import { MadApiError } from '../../bindings/typescript/models.js';
import { newId, randomToken, sha256Digest } from '../../src/crypto/secrets.js';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { arrange, oathtool, type TestClient, type TestUser } from '../helpers/arrange.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let auth: AuthClient;
let client: TestClient;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  auth = new AuthClient(server.authUrl);
  client = await a.client({ scopes: ['reports:read', 'reports:write'] });
  user = await a.user({ scopes: ['openid', 'profile'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

const creds = (c: TestClient, basic = false) => ({ clientId: c.clientId, clientSecret: c.clientSecret, basic });
const tokenForm = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const init = form(fields);
  return { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } };
};
const basicHeader = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function rejection(p: Promise<unknown>): Promise<MadApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MadApiError);
  return err as MadApiError;
}

describe('grant_type=password', () => {
  it('issues an RFC 9068 access token with every role and scope name, a session row, a refresh token and an audit record', async () => {
    const r = await http(`${server.authUrl}/token`, tokenForm({ grant_type: 'password', username: user.username, password: user.password,
      client_id: client.clientId, client_secret: client.clientSecret }));
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('pragma')).toBe('no-cache');
    expect(Object.keys(r.json).sort()).toEqual(['access_token', 'aud', 'expires_in', 'id_token', 'jti', 'refresh_token', 'token_type']);
    expect(r.json).toMatchObject({ token_type: 'bearer', aud: client.audience, id_token: null, expires_in: 900 });
    // The row's time-ordered id, then 256 random bits; stored as that id and the token's SHA-256, never as is.
    const [rowId, secret] = String(r.json.refresh_token).split('.');
    expect(rowId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(secret).toMatch(/^[\w-]{43}$/);
    const stored = a.db.prepare('SELECT token_sha256, session_id FROM refresh_tokens WHERE id = ?').get(rowId) as { token_sha256: string; session_id: string };
    expect(stored).toEqual({ token_sha256: `${rowId}.${sha256Digest(r.json.refresh_token)}`, session_id: r.json.jti });
    const header = decodeProtectedHeader(r.json.access_token);
    expect(header.typ).toBe('at+jwt');
    expect(header.kid).toEqual(expect.any(String));
    const claims = decodeJwt(r.json.access_token);
    expect(claims).toMatchObject({ sub: user.id, client_id: client.clientId, aud: client.audience, mad: 'auth', token_use: 'access',
      scope: 'openid profile', roles: [], username: user.username, preferred_username: user.username, email: user.email,
      email_verified: true, jti: r.json.jti, iss: 'http://127.0.0.1' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.nbf).toBe(claims.iat);
    const session = await a.store.sessions.get(r.json.jti);
    expect(session).toMatchObject({ userId: user.id, clientIdentifier: client.clientId, madUse: 'auth', loginMethod: 'pwd', isRevoked: false });
    const audit = await a.store.audit.list({ action: 'token_issued', actorId: user.id });
    expect(audit.rows[0]).toMatchObject({ secondary: 'password', target: client.clientId });
    expect(JSON.stringify(audit.rows)).not.toContain(user.password);
    expect(JSON.stringify(audit.rows)).not.toContain(r.json.refresh_token);
  });

  it('accepts HTTP Basic client authentication with form-encoded parts, and an admin-supplied argon2id secret', async () => {
    const odd = await a.client({ kind: 'argon2id', secret: 'p@ss:w rd+%x', clientId: 'odd client:1' });
    const t = await auth.passwordGrant({ ...creds(odd, true), username: user.username, password: user.password });
    expect(decodeJwt(t.access_token).client_id).toBe('odd client:1');
    // The form-field method works with the same secret; the second call is served by the verification cache.
    const again = await auth.passwordGrant({ ...creds(odd), username: user.username, password: user.password });
    expect(again.access_token).not.toBe(t.access_token);
    const bad = await http(`${server.authUrl}/token`, tokenForm({ grant_type: 'password', username: user.username, password: user.password },
      { Authorization: basicHeader(odd.clientId, 'p@ss:w rd+%y') }));
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials', error_uri: null });
    expect(bad.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('refuses Basic and form credentials that contradict each other (invalid_request)', async () => {
    const r = await http(`${server.authUrl}/token`, tokenForm({ grant_type: 'password', username: user.username, password: user.password,
      client_id: 'someone-else' }, { Authorization: basicHeader(client.clientId, client.clientSecret) }));
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_request');
  });

  it('answers bad client credentials with 401 invalid_client: wrong secret, unknown, inactive and public clients', async () => {
    const inactive = await a.client();
    a.deactivateClient(inactive.id);
    const pub = await a.client({ kind: 'none' });
    for (const [id, secret] of [[client.clientId, 'wrong-secret'], ['no-such-client', 'whatever'], [inactive.clientId, inactive.clientSecret],
      [pub.clientId, 'anything']] as const) {
      const r = await http(`${server.authUrl}/token`, tokenForm({ grant_type: 'password', username: user.username, password: user.password,
        client_id: id, client_secret: secret }));
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('invalid_client');
      expect(r.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('answers malformed requests with OAuth errors, never 500', async () => {
    const base = { grant_type: 'password', username: user.username, password: user.password, client_id: client.clientId, client_secret: client.clientSecret };
    const cases: [RequestInit, number, string][] = [
      [tokenForm({ ...base, password: '' }), 400, 'invalid_request'],
      [tokenForm({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret }), 400, 'invalid_request'],
      [tokenForm({}), 400, 'invalid_request'],
      [jsonBody(base), 400, 'invalid_request'],
      [tokenForm({ ...base, grant_type: 'urn:made:up' }), 400, 'unsupported_grant_type'],
      [tokenForm({ ...base, grant_type: 'authorization_code' }), 400, 'invalid_request'],
      [tokenForm({ ...base, username: 'x'.repeat(5000) }), 400, 'invalid_request'],
      [{ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&grant_type=password' }, 400, 'invalid_request'],
    ];
    for (const [init, status, error] of cases) {
      const r = await http(`${server.authUrl}/token`, init);
      expect(r.status, JSON.stringify(init.body).slice(0, 80)).toBe(status);
      expect(r.json.error).toBe(error);
      expect(r.json).toHaveProperty('error_uri', null);
    }
    const wrongType = await http(`${server.authUrl}/token`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect([wrongType.status, wrongType.json.error]).toEqual([400, 'invalid_request']);
    expect(wrongType.json.error_description).toMatch(/Unsupported content type/);
    const tooLarge = await http(`${server.authUrl}/token`, tokenForm({ ...base, username: 'x'.repeat(70_000) }));
    expect([tooLarge.status, tooLarge.json.error]).toEqual([413, 'invalid_request']);
  });

  it('answers a wrong password with 400 invalid_grant "Invalid credentials" and audits login_failed', async () => {
    const e = await rejection(auth.passwordGrant({ ...creds(client), username: user.username, password: 'not-the-password' }));
    expect(e.status).toBe(400);
    expect(e.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials', error_uri: null });
    expect((await a.store.audit.list({ action: 'login_failed' })).total).toBeGreaterThan(0);
  });

  it('takes the lifetimes from the client flags TOKEN_EXPIRATION and REFRESH_TOKEN_EXPIRATION (clamped)', async () => {
    const c = await a.client();
    await a.store.clients.setFeatureOptions(c.id, 'TOKEN_EXPIRATION', '120');
    await a.store.clients.setFeatureOptions(c.id, 'REFRESH_TOKEN_EXPIRATION', '600');
    const t = await auth.passwordGrant({ ...creds(c), username: user.username, password: user.password });
    expect(t.expires_in).toBe(120);
    const row = (await a.store.refreshTokens.list({ userId: user.id })).rows.find((r) => r.sessionId === t.jti);
    expect(Date.parse(row!.expiresAt) - Date.parse(row!.issuedAt)).toBeGreaterThan(590_000);
    expect(Date.parse(row!.expiresAt) - Date.parse(row!.issuedAt)).toBeLessThan(610_000);
    await a.store.clients.setFeatureOptions(c.id, 'TOKEN_EXPIRATION', '5');
    expect((await auth.passwordGrant({ ...creds(c), username: user.username, password: user.password })).expires_in).toBe(60);
    await a.store.clients.setFeature(c.id, 'TOKEN_EXPIRATION', false);
    expect((await auth.passwordGrant({ ...creds(c), username: user.username, password: user.password })).expires_in).toBe(900);
  });
});

describe('TOTP on the password grant', () => {
  it('requires a code from an independent RFC 6238 implementation when the client enables TOTP, and refuses replayed and old codes', async () => {
    const c = await a.client();
    const u = await a.user();
    const secret = newTotpSecret();
    const now = Date.now();
    await a.enrolTotp(u.id, c.id, secret, new Date(now - 120_000));
    const grant = (totpCode?: string) => auth.passwordGrant({ ...creds(c), username: u.username, password: u.password,
      ...(totpCode !== undefined ? { totpCode } : {}) });
    // Flag off: the enrolment alone does not demand a code.
    expect((await grant()).access_token).toBeTruthy();
    await a.store.clients.setFeature(c.id, 'ENABLE_TOTP', true);
    expect((await rejection(grant())).error).toBe('invalid_grant');
    expect((await rejection(grant('000000' === oathtool(secret) ? '111111' : '000000'))).error).toBe('invalid_grant');
    // A code from five minutes ago is outside the ±1 step window.
    expect((await rejection(grant(oathtool(secret, new Date(now - 300_000))))).error).toBe('invalid_grant');
    const code = oathtool(secret);
    const t = await grant(code);
    expect(decodeJwt(t.access_token).sub).toBe(u.id);
    expect((await a.store.sessions.get(t.jti))?.loginMethod).toBe('otp');
    // The same code again is a replay.
    const replay = await rejection(grant(code));
    expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials', error_uri: null });
    // A wrong password with a good code is still the same refusal.
    expect((await rejection(auth.passwordGrant({ ...creds(c), username: u.username, password: 'nope-nope', totpCode: oathtool(secret, new Date(now + 30_000)) }))).error)
      .toBe('invalid_grant');
  });
});

describe('grant_type=refresh_token', () => {
  const login = (c: TestClient = client) => auth.passwordGrant({ ...creds(c), username: user.username, password: user.password });

  it('rotates: the successor works, carries the same family, and the old session stays valid until it expires', async () => {
    const first = await login();
    const second = await auth.refresh({ ...creds(client), refreshToken: first.refresh_token! });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token)).toMatchObject({ sub: user.id, client_id: client.clientId, scope: 'openid profile' });
    expect((await a.store.sessions.get(second.jti))?.loginMethod).toBe('refresh');
    const third = await auth.refresh({ ...creds(client, true), refreshToken: second.refresh_token! });
    expect(third.access_token).toBeTruthy();
    expect((await a.store.audit.list({ action: 'refresh_token_used' })).total).toBeGreaterThanOrEqual(2);
  });

  it('revokes the whole family when a spent token is presented again, and audits it', async () => {
    const first = await login();
    const second = await auth.refresh({ ...creds(client), refreshToken: first.refresh_token! });
    // Checked once while live, so the server's session liveness cache holds it.
    expect((await http(`${server.authUrl}/me`, bearer(second.access_token))).status).toBe(200);
    const reuse = await rejection(auth.refresh({ ...creds(client), refreshToken: first.refresh_token! }));
    expect(reuse.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials', error_uri: null });
    // The successor (refresh and access) died with the family, and so did the first access token.
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: second.refresh_token! }))).error).toBe('invalid_grant');
    expect((await http(`${server.authUrl}/me`, bearer(second.access_token))).status).toBe(401);
    expect((await http(`${server.authUrl}/me`, bearer(first.access_token))).status).toBe(401);
    const audit = await a.store.audit.list({ action: 'refresh_token_reuse_detected' });
    expect(audit.rows[0]).toMatchObject({ actorId: user.id, outcome: 'failure', target: client.clientId });
  });

  it('binds a refresh token to its client: another client gets invalid_grant and the token stays usable', async () => {
    const other = await a.client();
    const t = await login();
    expect((await rejection(auth.refresh({ ...creds(other), refreshToken: t.refresh_token! }))).error).toBe('invalid_grant');
    expect((await auth.refresh({ ...creds(client), refreshToken: t.refresh_token! })).access_token).toBeTruthy();
  });

  it('still redeems, once, a token issued before tokens carried their row id (stored as its plain digest)', async () => {
    const raw = randomToken();
    const now = Date.now();
    await a.store.refreshTokens.issueWithSession(
      { id: newId(), userId: user.id, clientIdentifier: client.clientId, issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(), madUse: 'auth', loginMethod: 'pwd', familyId: 'legacy-family' },
      { id: newId(), tokenSha256: sha256Digest(raw), familyId: 'legacy-family', expiresAt: new Date(now + 600_000).toISOString() });
    const next = await auth.refresh({ ...creds(client), refreshToken: raw });
    expect(next.refresh_token).toContain('.');
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: raw }))).error).toBe('invalid_grant');
  });

  it('refuses unknown tokens, forged ones naming a real row, missing fields and tokens of a deactivated user', async () => {
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: 'not-a-real-token' }))).error).toBe('invalid_grant');
    const real = (await login()).refresh_token!;
    const forged = `${real.split('.')[0]}.${randomToken()}`;
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: forged }))).error).toBe('invalid_grant');
    expect((await auth.refresh({ ...creds(client), refreshToken: real })).access_token).toBeTruthy();
    const missing = await http(`${server.authUrl}/token`, tokenForm({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret }));
    expect(missing.json.error).toBe('invalid_request');
    const u = await a.user();
    const t = await auth.passwordGrant({ ...creds(client), username: u.username, password: u.password });
    a.deactivate(u.id);
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: t.refresh_token! }))).error).toBe('invalid_grant');
  });

  it('refuses a locked-out user\'s refresh without spending the token: it works again once the lockout ends', async () => {
    const u = await a.user();
    const t = await auth.passwordGrant({ ...creds(client), username: u.username, password: u.password });
    a.lock(u.id, new Date(Date.now() + 3_600_000));
    expect((await rejection(auth.refresh({ ...creds(client), refreshToken: t.refresh_token! }))).error).toBe('invalid_grant');
    expect((await a.store.audit.list({ action: 'refresh_token_reuse_detected' })).rows.filter((r) => r.actorId === u.id)).toHaveLength(0);
    a.lock(u.id, new Date(Date.now() - 1000));
    const next = await auth.refresh({ ...creds(client), refreshToken: t.refresh_token! });
    expect(decodeJwt(next.access_token)).toMatchObject({ sub: u.id });
  });

  it('lets exactly one of two concurrent redemptions of one refresh token succeed', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await login();
      const results = await Promise.allSettled([
        auth.refresh({ ...creds(client), refreshToken: t.refresh_token! }),
        auth.refresh({ ...creds(client), refreshToken: t.refresh_token! }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failed.reason as MadApiError).error).toBe('invalid_grant');
      // Whether the loser arrived during the winner's redemption (it just loses) or after it (reuse:
      // the family dies), presenting the spent token again now is reuse and the family is dead.
      const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ access_token: string; refresh_token: string | null }>).value;
      {
        expect((await rejection(auth.refresh({ ...creds(client), refreshToken: t.refresh_token! }))).error).toBe('invalid_grant');
        expect((await http(`${server.authUrl}/me`, bearer(winner.access_token))).status).toBe(401);
      }
    }
  });
});

describe('grant_type=client_credentials and /oidc/token', () => {
  it('issues a machine token with the client scope names, narrowed by `scope`, never widened', async () => {
    const t = await auth.clientCredentials(creds(client));
    expect(t.refresh_token).toBeNull();
    expect(t.id_token).toBeNull();
    const claims = decodeJwt(t.access_token);
    expect(claims).toMatchObject({ sub: client.clientId, client_id: client.clientId, gty: 'client_credentials',
      scope: 'reports:read reports:write', mad: 'auth', token_use: 'access', aud: client.audience });
    expect(decodeProtectedHeader(t.access_token).typ).toBe('at+jwt');
    expect(await a.store.sessions.get(t.jti)).toBeNull();
    const narrow = await auth.clientCredentials({ ...creds(client, true), scope: 'reports:read' });
    expect(decodeJwt(narrow.access_token).scope).toBe('reports:read');
    const wide = await rejection(auth.clientCredentials({ ...creds(client), scope: 'reports:read admin:everything' }));
    expect(wide.status).toBe(400);
    expect(wide.error).toBe('invalid_scope');
    expect((await rejection(auth.clientCredentials({ ...creds(client), clientSecret: 'wrong' }))).status).toBe(401);
  });

  it('machine tokens work on the bearer routes their nature allows', async () => {
    const t = await auth.clientCredentials(creds(client));
    const machine = new AuthClient({ baseUrl: server.authUrl, token: t.access_token });
    expect(await machine.whoami()).toEqual({ message: `Hello, ${client.clientId}` });
    expect(await machine.me()).toMatchObject({ sub: client.clientId, scopes: ['reports:read', 'reports:write'] });
    expect((await rejection(machine.meSessions())).status).toBe(403);
    expect((await rejection(machine.userinfo())).status).toBe(403);
  });

  it('/oidc/token answers with form or Basic credentials, and 403 Invalid credentials on any failure', async () => {
    const viaForm = await auth.oidcToken(creds(client));
    expect(decodeJwt(viaForm.access_token).sub).toBe(client.clientId);
    expect((await auth.oidcToken(creds(client, true))).access_token).toBeTruthy();
    // Deferred records (services/audit-trail.ts) land within 50 ms of the answer.
    await expect.poll(async () => (await a.store.audit.list({ action: 'oidc_token_issued' })).total, { timeout: 2000 }).toBeGreaterThanOrEqual(2);
    const failures: RequestInit[] = [
      form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wrong' }),
      form({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret }),
      form({ grant_type: 'client_credentials' }),
      jsonBody({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    ];
    for (const init of failures) {
      const r = await http(`${server.authUrl}/oidc/token`, init);
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ success: false, message: 'Invalid credentials' });
    }
  });
});

describe('token responses are never cached (security.md "Responses")', () => {
  it('Cache-Control: no-store and Pragma: no-cache on every grant of /token, /oidc/token and admin /token, refusals included', async () => {
    const post = (url: string, fields: Record<string, string>) => http(url, tokenForm(fields));
    const cred = { client_id: client.clientId, client_secret: client.clientSecret };
    const password = await post(`${server.authUrl}/token`, { grant_type: 'password', username: user.username, password: user.password, ...cred });
    const answers = {
      password,
      refresh: await post(`${server.authUrl}/token`, { grant_type: 'refresh_token', refresh_token: password.json.refresh_token, ...cred }),
      clientCredentials: await post(`${server.authUrl}/token`, { grant_type: 'client_credentials', ...cred }),
      oidcToken: await post(`${server.authUrl}/oidc/token`, { grant_type: 'client_credentials', ...cred }),
      adminToken: await post(`${server.adminUrl}/token`, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }),
      wrongPassword: await post(`${server.authUrl}/token`, { grant_type: 'password', username: user.username, password: 'not-it', ...cred }),
      spentRefresh: await post(`${server.authUrl}/token`, { grant_type: 'refresh_token', refresh_token: password.json.refresh_token, ...cred }),
      wrongClient: await post(`${server.authUrl}/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }),
      unsupported: await post(`${server.authUrl}/token`, { grant_type: 'urn:made:up', ...cred }),
      oidcRefused: await post(`${server.authUrl}/oidc/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }),
      adminRefused: await post(`${server.adminUrl}/token`, { username: ADMIN_USERNAME, password: 'not-it', client_id: 'admin' }),
    };
    const seen = Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, [r.status, r.headers.get('cache-control'), r.headers.get('pragma')]]));
    expect(seen).toEqual({
      password: [200, 'no-store', 'no-cache'], refresh: [200, 'no-store', 'no-cache'], clientCredentials: [200, 'no-store', 'no-cache'],
      oidcToken: [200, 'no-store', 'no-cache'], adminToken: [200, 'no-store', 'no-cache'],
      wrongPassword: [400, 'no-store', 'no-cache'], spentRefresh: [400, 'no-store', 'no-cache'], wrongClient: [401, 'no-store', 'no-cache'],
      unsupported: [400, 'no-store', 'no-cache'], oidcRefused: [403, 'no-store', 'no-cache'], adminRefused: [403, 'no-store', 'no-cache'],
    });
  });
});

describe('auth-plane bearer routes refuse other tokens', () => {
  it('an admin-plane token is 401 on the auth plane', async () => {
    const admin = new AdminClient(server.adminUrl);
    const t = await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const r = await http(`${server.authUrl}/me`, bearer(t.access_token));
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('advertises exactly the served grants and endpoints in discovery', async () => {
    const d = await auth.discovery();
    expect(d.grant_types_supported).toEqual(['password', 'client_credentials', 'refresh_token', 'authorization_code']);
    expect(d).toMatchObject({ token_endpoint: 'http://127.0.0.1/token', introspection_endpoint: 'http://127.0.0.1/introspect',
      revocation_endpoint: 'http://127.0.0.1/revoke', userinfo_endpoint: 'http://127.0.0.1/userinfo' });
    expect(d.authorization_endpoint).toBe('http://127.0.0.1/authorize');
  });
});
