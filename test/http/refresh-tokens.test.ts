import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, arrangeLogin, failure, startAdminServer, withPastLogins } from '../helpers/admin-b.js';
import { http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

describe('refresh tokens', () => {
  it('lists with X-Total-Count, username and client_id; gets one; lists by user', async () => {
    const a = await arrangeLogin(server, { clientIdentifier: 'spa', username: 'bob' });
    await arrangeLogin(server);
    const all = await admin.listRefreshTokens();
    expect(all.total).toBe(2);
    const mine = all.items.find((r) => r.id === a.refreshId);
    expect(mine).toMatchObject({ user_id: a.userId, username: 'bob', client_id: 'spa', session_id: a.jti, is_revoked: false, is_openid_token: false });
    expect((await admin.listRefreshTokens({ limit: 1 })).items.length).toBe(1);
    expect(await admin.getRefreshToken(a.refreshId)).toEqual(mine);
    const e = await failure(admin.getRefreshToken('nope'));
    expect([e.status, e.message]).toEqual([404, 'Refresh token not found']);
    expect((await admin.listUserRefreshTokens(a.userId)).items.map((r) => r.id)).toEqual([a.refreshId]);
    expect((await admin.listUserRefreshTokens('nobody')).total).toBe(0);
  });

  it('DELETE revokes the token family (refresh tokens and sessions); unknown is 404', async () => {
    const a = await arrangeLogin(server);
    expect((await admin.revokeRefreshToken(a.refreshId)).success).toBe(true);
    expect((await admin.getRefreshToken(a.refreshId)).is_revoked).toBe(true);
    expect((await admin.getSession(a.jti)).is_revoked).toBe(true);
    expect((await failure(admin.revokeRefreshToken('nope'))).status).toBe(404);
  });

  it('purges expired ones, and revoked ones regardless of expiry', async () => {
    await withPastLogins(async ({ admin: ownAdmin, expired: old, revocable: revoked, kept }) => {
      await ownAdmin.revokeRefreshToken(revoked.refreshId);
      expect((await ownAdmin.purgeRefreshTokens()).message).toMatch(/^Purged [1-9]\d* refresh token\(s\)\.$/);
      expect((await failure(ownAdmin.getRefreshToken(old.refreshId))).status).toBe(404);
      expect((await ownAdmin.getRefreshToken(revoked.refreshId)).is_revoked).toBe(true);
      expect((await ownAdmin.purgeRefreshTokens({ purge_expired: false, purge_revoked: true, older_than_seconds: 0 })).message).toMatch(/^Purged [1-9]/);
      expect((await failure(ownAdmin.getRefreshToken(revoked.refreshId))).status).toBe(404);
      expect((await ownAdmin.getRefreshToken(kept.refreshId)).is_revoked).toBe(false);
    });
    expect((await http(`${server.adminUrl}/refresh-tokens`)).status).toBe(401);
  });
});

describe('refresh tokens disabled', () => {
  it('answers 404 on every /refresh-tokens route', async () => {
    const off = await startTestServer(['--disable-token-refresh']);
    try {
      const c = await adminClient(off);
      expect((await failure(c.listRefreshTokens())).status).toBe(404);
      expect((await failure(c.getRefreshToken('x'))).status).toBe(404);
      expect((await failure(c.purgeRefreshTokens())).status).toBe(404);
      expect((await c.listSessions()).total).toBeGreaterThan(0);
    } finally {
      await off.close();
    }
  });
});
