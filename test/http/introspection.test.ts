import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/admin-client.js';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import type { MadApiError } from '../../bindings/typescript/models.js';
import { arrange, type TestClient, type TestUser } from '../helpers/arrange.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';
import { mintAuthToken } from '../helpers/tokens.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let auth: AuthClient;
let admin: AdminClient;
let owner: TestClient;
let stranger: TestClient;
let inspector: TestClient;
let revoker: TestClient;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  auth = new AuthClient(server.authUrl);
  admin = new AdminClient(server.adminUrl);
  await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
  owner = await a.client({ scopes: ['reports:read'] });
  stranger = await a.client();
  inspector = await a.client({ scopes: ['microauthd:introspect'] });
  revoker = await a.client({ scopes: ['microauthd:revoke'] });
  user = await a.user({ scopes: ['openid'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

const creds = (c: TestClient, basic = false) => ({ clientId: c.clientId, clientSecret: c.clientSecret, basic });
const login = () => auth.passwordGrant({ ...creds(owner), username: user.username, password: user.password });

describe('auth POST /introspect (RFC 7662)', () => {
  it('describes an own live access token, then {"active":false} alone after revocation', async () => {
    const t = await login();
    const before = await auth.introspect({ ...creds(owner), token: t.access_token });
    expect(before).toMatchObject({ active: true, token_type: 'access_token', client_id: owner.clientId, sub: user.id,
      username: user.username, scope: 'openid', jti: t.jti, token_use: 'access', mad: 'auth', iss: 'http://127.0.0.1', aud: owner.audience });
    expect(before.exp! - before.iat!).toBe(900);
    expect((await auth.revoke({ ...creds(owner, true), token: t.access_token })).success).toBe(true);
    expect(await auth.introspect({ ...creds(owner), token: t.access_token })).toEqual({ active: false });
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(401);
    expect((await a.store.audit.list({ action: 'token_revoked' })).total).toBeGreaterThan(0);
    // The jti is the session's id: the admin listing shows the revocation too.
    expect((await admin.getSession(t.jti)).is_revoked).toBe(true);
    expect((await admin.listUserSessions(user.id)).items.find((s) => s.id === t.jti)?.is_revoked).toBe(true);
    // Deferred records (services/audit-trail.ts) land within 50 ms of the answer.
    await expect.poll(async () => (await a.store.audit.list({ action: 'token.introspect.success' })).total, { timeout: 2000 }).toBeGreaterThan(0);
  });

  it('describes and revokes refresh tokens (the whole family), honouring token_type_hint', async () => {
    const t = await login();
    const info = await auth.introspect({ ...creds(owner), token: t.refresh_token!, tokenTypeHint: 'refresh_token' });
    expect(info).toMatchObject({ active: true, token_type: 'refresh_token', client_id: owner.clientId, sub: user.id, username: user.username });
    // A wrong hint still finds the token (RFC 7009 §2.1: try the other type).
    expect((await auth.introspect({ ...creds(owner), token: t.refresh_token!, tokenTypeHint: 'access_token' })).active).toBe(true);
    await auth.revoke({ ...creds(owner), token: t.refresh_token!, tokenTypeHint: 'refresh_token' });
    expect(await auth.introspect({ ...creds(owner), token: t.refresh_token! })).toEqual({ active: false });
    // The family's access token is gone too, and the admin listing says so.
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(401);
    expect((await admin.getSession(t.jti)).is_revoked).toBe(true);
    const refused = await auth.refresh({ ...creds(owner), refreshToken: t.refresh_token! }).catch((e: MadApiError) => e);
    expect((refused as MadApiError).error).toBe('invalid_grant');
  });

  it('refuses cross-client introspection unless the caller holds microauthd:introspect', async () => {
    const t = await login();
    expect(await auth.introspect({ ...creds(stranger), token: t.access_token })).toEqual({ active: false });
    expect(await auth.introspect({ ...creds(stranger), token: t.refresh_token! })).toEqual({ active: false });
    // Deferred records (services/audit-trail.ts) land within 50 ms of the answer.
    await expect.poll(async () => (await a.store.audit.list({ action: 'token.introspect.failure' })).total, { timeout: 2000 }).toBeGreaterThan(0);
    expect(await auth.introspect({ ...creds(inspector), token: t.access_token })).toMatchObject({ active: true, client_id: owner.clientId });
    // The introspect scope covers access tokens, not another client's refresh tokens.
    expect(await auth.introspect({ ...creds(inspector), token: t.refresh_token! })).toEqual({ active: false });
  });

  it('answers {"active":false} for garbage, admin-plane tokens and expired or forged tokens', async () => {
    const adminToken = admin.token!;
    for (const token of ['garbage', 'a.b.c', adminToken, `${(await login()).access_token}x`]) {
      expect(await auth.introspect({ ...creds(inspector), token })).toEqual({ active: false });
    }
    // Expired (signature, session row and client all fine otherwise): {"active":false} and nothing else, for its own client too.
    const expired = await mintAuthToken(server, { expiresIn: -60, clientId: owner.clientId, sub: user.id });
    const live = await mintAuthToken(server, { clientId: owner.clientId, sub: user.id });
    expect((await auth.introspect({ ...creds(owner), token: live.token })).active).toBe(true);
    for (const c of [owner, inspector]) {
      const r = await http(`${server.authUrl}/introspect`, form({ token: expired.token, client_id: c.clientId, client_secret: c.clientSecret }));
      expect([r.status, r.json]).toEqual([200, { active: false }]);
    }
  });

  it('authenticates the caller: a bad client is 401 invalid_client; JSON bodies work; a missing token is invalid_request', async () => {
    const t = await login();
    const bad = await http(`${server.authUrl}/introspect`, form({ token: t.access_token, client_id: owner.clientId, client_secret: 'nope' }));
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe('invalid_client');
    const none = await http(`${server.authUrl}/introspect`, form({ token: t.access_token }));
    expect(none.status).toBe(401);
    const viaJson = await http(`${server.authUrl}/introspect`, jsonBody({ token: t.access_token, client_id: owner.clientId, client_secret: owner.clientSecret }));
    expect(viaJson.status).toBe(200);
    expect(viaJson.json.active).toBe(true);
    expect(viaJson.headers.get('cache-control')).toBe('no-store');
    const missing = await http(`${server.authUrl}/introspect`, form({ client_id: owner.clientId, client_secret: owner.clientSecret }));
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe('invalid_request');
    const arr = await http(`${server.authUrl}/introspect`, jsonBody([1, 2]));
    expect(arr.status).toBe(400);
  });
});

describe('auth POST /revoke (RFC 7009)', () => {
  it('answers 200 for unknown, foreign and invalid tokens without revoking foreign ones', async () => {
    const t = await login();
    expect(await auth.revoke({ ...creds(stranger), token: t.access_token })).toEqual({ success: true, message: 'Token revoked' });
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(200);
    expect((await auth.revoke({ ...creds(stranger), token: 'not-a-token' })).success).toBe(true);
    // A token with this one's jti but a forged signature revokes nothing, even for its own client.
    const [head, payload, signature] = t.access_token.split('.') as [string, string, string];
    const forged = `${head}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await auth.revoke({ ...creds(owner), token: forged })).success).toBe(true);
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(200);
    expect((await auth.revoke({ ...creds(owner), token: admin.token! })).success).toBe(true);
    const adminStill = await http(`${server.adminUrl}/keys/auth`, bearer(admin.token!));
    expect(adminStill.status).toBe(200);
    // A client holding microauthd:revoke may revoke any client's access token.
    await auth.revoke({ ...creds(revoker), token: t.access_token });
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(401);
  });

  it('revokes client_credentials tokens through the denylist', async () => {
    const t = await auth.clientCredentials(creds(owner));
    expect((await http(`${server.authUrl}/whoami`, bearer(t.access_token))).status).toBe(200);
    await auth.revoke({ ...creds(owner), token: t.access_token, tokenTypeHint: 'access_token' });
    expect(await a.store.denylist.has(t.jti)).toBe(true);
    expect((await http(`${server.authUrl}/whoami`, bearer(t.access_token))).status).toBe(401);
    expect(await auth.introspect({ ...creds(owner), token: t.access_token })).toEqual({ active: false });
  });

  it('refuses a bad client with 401 and a blank token with 400', async () => {
    const bad = await http(`${server.authUrl}/revoke`, form({ token: 'x', client_id: owner.clientId, client_secret: 'wrong' }));
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe('invalid_client');
    const blank = await http(`${server.authUrl}/revoke`, form({ token: '', client_id: owner.clientId, client_secret: owner.clientSecret }));
    expect(blank.status).toBe(400);
  });
});

describe('auth /introspect and /revoke: unreadable bodies (RFC 6749 §5.2 envelope)', () => {
  it('answers malformed JSON, a wrong content type and an oversized body with invalid_request; success bodies unchanged', async () => {
    for (const path of ['/introspect', '/revoke']) {
      const malformed = await http(`${server.authUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":' });
      expect([malformed.status, malformed.json], path).toEqual([400, { error: 'invalid_request', error_description: 'Malformed JSON body', error_uri: null }]);
      const wrongType = await http(`${server.authUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'token=x' });
      expect([wrongType.status, wrongType.json.error, wrongType.json.error_uri], path).toEqual([400, 'invalid_request', null]);
      expect(wrongType.json.error_description, path).toMatch(/^Unsupported content type/);
      expect(wrongType.json, path).not.toHaveProperty('success');
      const tooLarge = await http(`${server.authUrl}${path}`, form({ token: 'x'.repeat(70_000), client_id: owner.clientId, client_secret: owner.clientSecret }));
      expect([tooLarge.status, tooLarge.json.error], path).toEqual([413, 'invalid_request']);
    }
    const t = await login();
    expect((await auth.revoke({ ...creds(owner), token: t.access_token })).success).toBe(true);
  });
});

describe('admin POST /introspect and /revoke', () => {
  it('introspects an auth-plane token: claims plus valid, expired and active (reflecting revocation)', async () => {
    const t = await login();
    const info = await admin.introspect(t.access_token);
    expect(info).toMatchObject({ valid: true, expired: false, active: true, sub: user.id, jti: t.jti, client_id: owner.clientId, mad: 'auth' });
    expect(typeof info.exp).toBe('number');
    const viaForm = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, form({ token: t.access_token })));
    expect(viaForm.json.valid).toBe(true);
    expect(await admin.revoke(t.access_token, 'access_token')).toEqual({ success: true, message: 'Token revoked' });
    // security.md: a revoked token introspects as {"active":false} and nothing else.
    const revoked = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, jsonBody({ token: t.access_token })));
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ active: false });
    expect((await http(`${server.authUrl}/me`, bearer(t.access_token))).status).toBe(401);
    expect((await a.store.audit.list({ action: 'admin.auth.token.introspect' })).total).toBeGreaterThan(0);
  });

  it('introspects refresh tokens (hinted or not), then {"active":false} alone once revoked', async () => {
    const t = await login();
    const hinted = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, form({ token: t.refresh_token!, token_type_hint: 'refresh_token' })));
    expect(hinted.status).toBe(200);
    expect(hinted.json).toMatchObject({ active: true, valid: true, expired: false, token_type: 'refresh_token', client_id: owner.clientId,
      sub: user.id, username: user.username, scope: 'openid' });
    expect(await admin.introspect(t.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });
    await admin.revoke(t.refresh_token!, 'refresh_token');
    expect(await admin.introspect(t.refresh_token!, 'refresh_token')).toEqual({ active: false });
    expect(await admin.introspect('never-issued-refresh-token')).toEqual({ active: false });
  });

  it('answers {"active":false} alone for expired and forged tokens', async () => {
    const expired = await mintAuthToken(server, { expiresIn: -60 });
    expect(await admin.introspect(expired.token)).toEqual({ active: false });
    const live = await mintAuthToken(server);
    expect(await admin.introspect(live.token)).toMatchObject({ active: true, valid: true, expired: false, jti: live.jti });
    const forged = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, jsonBody({ token: `${(await login()).access_token.slice(0, -4)}AAAA` })));
    expect(forged.status).toBe(200);
    expect(forged.json).toEqual({ active: false });
  });

  it('refuses admin-plane tokens (403), undecodable tokens (400) and blank input (400)', async () => {
    const own = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, jsonBody({ token: admin.token })));
    expect(own.status).toBe(403);
    expect(own.json).toEqual({ success: false, message: 'Admin token introspection is not allowed' });
    const undecodable = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, jsonBody({ token: 'a.b.c' })));
    expect(undecodable.status).toBe(400);
    expect(undecodable.json).toEqual({ success: false, message: 'Invalid token format' });
    const blank = await http(`${server.adminUrl}/introspect`, bearer(admin.token!, jsonBody({ token: ' ' })));
    expect(blank.json).toEqual({ success: false, message: 'Token is required' });
    const blankRevoke = await http(`${server.adminUrl}/revoke`, bearer(admin.token!, form({ token: '' })));
    expect(blankRevoke.status).toBe(400);
    expect(blankRevoke.json).toEqual({ success: false, message: 'Missing token' });
    expect((await admin.revoke('unknown-token')).success).toBe(true);
  });

  it('revokes a refresh token family, and is behind the admin bearer', async () => {
    const t = await login();
    await admin.revoke(t.refresh_token!, 'refresh_token');
    const refused = await auth.refresh({ ...creds(owner), refreshToken: t.refresh_token! }).catch((e: MadApiError) => e);
    expect((refused as MadApiError).status).toBe(400);
    expect((await http(`${server.adminUrl}/introspect`, jsonBody({ token: t.access_token }))).status).toBe(401);
    const authToken = await login();
    expect((await http(`${server.adminUrl}/revoke`, bearer(authToken.access_token, form({ token: 'x' })))).status).toBe(401);
  });
});
