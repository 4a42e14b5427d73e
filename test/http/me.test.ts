import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import type { MadApiError } from '../../bindings/typescript/models.js';
import { arrange, type TestClient, type TestUser } from '../helpers/arrange.js';
import { bearer, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let c1: TestClient;
let c2: TestClient;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  c1 = await a.client();
  c2 = await a.client();
  user = await a.user({ scopes: ['openid', 'email'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

async function signedIn(c: TestClient, u: TestUser = user): Promise<{ client: AuthClient; refresh: string; jti: string }> {
  const anon = new AuthClient(server.authUrl);
  const t = await anon.passwordGrant({ clientId: c.clientId, clientSecret: c.clientSecret, username: u.username, password: u.password });
  return { client: new AuthClient({ baseUrl: server.authUrl, token: t.access_token }), refresh: t.refresh_token!, jti: t.jti };
}

describe('self-service routes', () => {
  it('/userinfo, /me and /whoami describe the token holder', async () => {
    const { client } = await signedIn(c1);
    expect(await client.userinfo()).toEqual({ sub: user.id, email: user.email, email_verified: true, preferred_username: user.username,
      name: user.username });
    expect(await client.me()).toEqual({ sub: user.id, email: user.email, roles: [], scopes: ['email', 'openid'] });
    expect(await client.whoami()).toEqual({ message: `Hello, ${user.id}` });
  });

  it('/userinfo without the openid scope is 403 with an insufficient_scope challenge', async () => {
    const plain = await a.user();
    const { client } = await signedIn(c1, plain);
    const r = await http(`${server.authUrl}/userinfo`, bearer(client.token!));
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(r.json.success).toBe(false);
  });

  it('bearer routes refuse a missing or forged token with 401', async () => {
    for (const path of ['/me', '/userinfo', '/me/sessions', '/me/refresh-tokens', '/whoami']) {
      const r = await http(`${server.authUrl}${path}`);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await http(`${server.authUrl}/logout`, { method: 'POST', headers: { Authorization: 'Bearer abc.def.ghi' } })).status).toBe(401);
  });

  it('/me/sessions and /me/refresh-tokens list the user\'s grants with username and client_id', async () => {
    const u = await a.user();
    const s1 = await signedIn(c1, u);
    await signedIn(c2, u);
    const sessions = await s1.client.meSessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.id === s1.jti)).toMatchObject({ user_id: u.id, username: u.username, client_id: c1.clientId,
      is_revoked: false, token_use: 'access', mad_use: 'auth', login_method: 'pwd', is_session_based: false, session_max_age: 0,
      session_expires_at: null });
    const refresh = await s1.client.meRefreshTokens();
    expect(refresh).toHaveLength(2);
    expect(refresh.map((r) => r.client_id).sort()).toEqual([c1.clientId, c2.clientId].sort());
    expect(refresh[0]).toMatchObject({ user_id: u.id, username: u.username, is_revoked: false, is_openid_token: false });
    expect(JSON.stringify(refresh)).not.toContain(s1.refresh);
    for (const path of ['/me/sessions', '/me/refresh-tokens']) {
      expect((await http(`${server.authUrl}${path}`, bearer(s1.client.token!))).headers.get('x-total-count'), path).toBe('2');
    }
  });

  it('/logout ends the user\'s grants for the token\'s client only; /logout-all ends all of them', async () => {
    const u = await a.user();
    const first = await signedIn(c1, u);
    const second = await signedIn(c1, u);
    const other = await signedIn(c2, u);
    expect(await first.client.logout()).toEqual({ success: true, message: `User '${u.id}' logged out of client '${c1.clientId}'` });
    for (const s of [first, second]) expect((await http(`${server.authUrl}/me`, bearer(s.client.token!))).status).toBe(401);
    const err = await new AuthClient(server.authUrl).refresh({ clientId: c1.clientId, clientSecret: c1.clientSecret, refreshToken: second.refresh })
      .catch((e: MadApiError) => e);
    expect((err as MadApiError).error).toBe('invalid_grant');
    expect((await other.client.me()).sub).toBe(u.id);
    expect((await a.store.audit.list({ action: 'logout', actorId: u.id })).total).toBe(1);

    const again = await signedIn(c1, u);
    expect(await other.client.logoutAll()).toEqual({ success: true, message: `All sessions and refresh tokens revoked for user '${u.id}'` });
    for (const s of [again, other]) expect((await http(`${server.authUrl}/me`, bearer(s.client.token!))).status).toBe(401);
    expect((await a.store.audit.list({ action: 'logout_all', actorId: u.id })).total).toBe(1);
  });
});
