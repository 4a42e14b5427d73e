import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, arrangeLogin, failure, startAdminServer, withPastLogins } from '../helpers/admin-b.js';
import { bearer, form, http } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

describe('sessions', () => {
  it('lists every session newest first with X-Total-Count, paging, username and client_id filled', async () => {
    const a = await arrangeLogin(server, { clientIdentifier: 'web', username: 'alice' });
    const all = await admin.listSessions();
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(2);
    const mine = all.items.find((s) => s.id === a.jti);
    expect(mine).toMatchObject({ user_id: a.userId, username: 'alice', client_id: 'web', is_revoked: false, mad_use: 'auth', token_use: 'access', login_method: 'pwd' });
    const adminSession = all.items.find((s) => s.mad_use === 'admin');
    expect(adminSession?.username).toBe('root');
    const paged = await admin.listSessions({ limit: 1, offset: 1 });
    expect(paged.items.length).toBe(1);
    expect(paged.total).toBe(all.total);
    expect(paged.items[0]?.id).toBe(all.items[1]?.id);
    expect((await admin.listSessions({ mad_use: 'auth' })).items.every((s) => s.mad_use === 'auth')).toBe(true);
    expect((await admin.listSessions({ client_id: 'web' })).items.map((s) => s.id)).toEqual([a.jti]);
  });

  it('filters by mad_use and by active (neither revoked nor expired) / inactive', async () => {
    const live = await arrangeLogin(server, { clientIdentifier: 'filters' });
    const revoked = await arrangeLogin(server, { clientIdentifier: 'filters' });
    await server.store().sessions.revoke(revoked.jti); // the store's, so that no audit record skews a later count
    const expired = await arrangeLogin(server, { clientIdentifier: 'filters', issuedAt: new Date(Date.now() - 7200_000) });
    const ids = async (q: Parameters<AdminClient['listSessions']>[0]) => (await admin.listSessions(q)).items.map((s) => s.id);
    expect(await ids({ client_id: 'filters', active: true })).toEqual([live.jti]);
    expect((await ids({ client_id: 'filters', active: false })).sort()).toEqual([revoked.jti, expired.jti].sort());
    const adminOnly = await admin.listSessions({ mad_use: 'admin' });
    expect(adminOnly.items.length).toBeGreaterThan(0);
    expect(adminOnly.items.every((s) => s.mad_use === 'admin')).toBe(true);
    const authOnly = await ids({ mad_use: 'auth' });
    expect(authOnly).toEqual(expect.arrayContaining([live.jti, revoked.jti, expired.jti]));
    expect(authOnly).not.toEqual(expect.arrayContaining([adminOnly.items[0]!.id]));
  });

  it('gets one by jti (404 when unknown) and lists by user ([] for an unknown user)', async () => {
    const a = await arrangeLogin(server, { clientIdentifier: 'web2' });
    expect((await admin.getSession(a.jti)).client_id).toBe('web2');
    const e = await failure(admin.getSession('nope'));
    expect([e.status, e.message]).toEqual([404, 'Session not found']);
    expect((await admin.listUserSessions(a.userId)).items.map((s) => s.id)).toEqual([a.jti]);
    expect(await admin.listUserSessions('no-such-user')).toEqual({ items: [], total: 0 });
  });

  it('revokes a session (RevokeResponse); unknown, revoked and expired are 400 with the reference texts', async () => {
    const a = await arrangeLogin(server);
    expect(await admin.revokeSession(a.jti)).toEqual({ jti: a.jti, status: 'revoked', message: `Session ${a.jti} has been revoked successfully.` });
    expect((await admin.getSession(a.jti)).is_revoked).toBe(true);
    expect((await failure(admin.revokeSession(a.jti))).message).toBe(`Session ${a.jti} has already been revoked.`);
    const nf = await failure(admin.revokeSession('ghost'));
    expect([nf.status, nf.message]).toEqual([400, 'Session ghost not found.']);
    const old = await arrangeLogin(server, { issuedAt: new Date(Date.now() - 7200_000) });
    expect((await failure(admin.revokeSession(old.jti))).message).toBe(`Session ${old.jti} has already expired.`);
    expect((await server.store().audit.list({ action: 'session_revoked' })).total).toBe(4);
  });

  it('revoking the caller\'s own admin session logs it out', async () => {
    const other = await adminClient(server);
    const jti = JSON.parse(Buffer.from((other.token as string).split('.')[1]!, 'base64url').toString()).jti as string;
    await admin.revokeSession(jti);
    expect((await failure(other.listSessions())).status).toBe(401);
  });

  it('purges expired rows, and revoked rows regardless of expiry with purge_revoked', async () => {
    await withPastLogins(async ({ admin: ownAdmin, expired, revocable: revoked, kept }) => {
      await revoked.db.sessions.revoke(revoked.jti);
      expect((await ownAdmin.purgeSessions({ purge_expired: false, purge_revoked: false })).message).toBe('Purged 0 session(s).');
      expect((await ownAdmin.purgeSessions()).message).toMatch(/^Purged [1-9]\d* session\(s\)\.$/);
      expect(await expired.db.sessions.get(expired.jti)).toBeNull();
      expect(await revoked.db.sessions.get(revoked.jti)).not.toBeNull();
      await ownAdmin.purgeSessions({ purge_expired: false, purge_revoked: true, older_than_seconds: 86400 });
      expect(await revoked.db.sessions.get(revoked.jti)).toBeNull();
      expect(await kept.db.sessions.get(kept.jti)).not.toBeNull();
    });
    const bad = await http(`${server.adminUrl}/sessions/purge`, bearer(admin.token as string, form({ purge_revoked: 'true' })));
    expect(bad.status).toBe(400);
    const neg = await failure(admin.purgeSessions({ older_than_seconds: -1 }));
    expect(neg.status).toBe(400);
    expect((await http(`${server.adminUrl}/sessions`)).status).toBe(401);
    expect((await http(`${server.adminUrl}/sessions?limit=abc`, bearer(admin.token as string))).status).toBe(400);
  });
});
