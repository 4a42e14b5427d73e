import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, arrangeLogin } from '../helpers/admin-b.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { REVOKED_FAMILY_MEMORY_MS } from '../../src/services/maintenance.js';
import { MAX_REFRESH_SECONDS } from '../../src/services/token-policy.js';

let server: TestServer;
let admin: AdminClient;
const DAY = 86400_000;

beforeAll(async () => {
  server = await startTestServer(['--token-purge-days', '7', '--refresh-token-purge-days', '7', '--audit-log-retention-days', '30']);
});
afterAll(async () => {
  await server?.close();
});

describe('scheduled maintenance', () => {
  it('purges sessions and refresh tokens expired more than N days ago, keeps newer ones', async () => {
    // Recorded before any other session (the admin's login below), as it would have been.
    const old = await arrangeLogin(server, { issuedAt: new Date(Date.now() - 10 * DAY) });
    admin = await adminClient(server);
    const fresh = await arrangeLogin(server);
    const report = await server.maintenance.runOnce();
    expect(report.sessions).toBeGreaterThanOrEqual(1);
    expect(await old.db.sessions.get(old.jti)).toBeNull();
    expect(await fresh.db.sessions.get(fresh.jti)).not.toBeNull();
    expect(report.rotated).toEqual([]);
    // refresh tokens are stamped issued now by the store, so a revoked one goes 7 days later
    await admin.revokeRefreshToken(fresh.refreshId);
    const later = await server.maintenance.runOnce(new Date(Date.now() + 8 * DAY));
    expect(later.refreshTokens).toBeGreaterThanOrEqual(1);
    expect(await fresh.db.refreshTokens.get(fresh.refreshId)).toBeNull();
  });

  it('purges expired denylist entries', async () => {
    const db = server.store();
    await db.denylist.add('gone-jti', new Date(Date.now() - 1000));
    await db.denylist.add('live-jti', new Date(Date.now() + DAY));
    expect((await server.maintenance.runOnce()).denylist).toBe(1);
    expect(await db.denylist.has('gone-jti')).toBe(false);
    expect(await db.denylist.has('live-jti')).toBe(true);
  });

  it('applies audit retention and the chain still verifies from the first kept record', async () => {
    admin = await adminClient(server); // the first test's future-dated pass purged the old admin session
    const before = (await admin.listAuditLogs()).total;
    expect(before).toBeGreaterThan(0);
    const report = await server.maintenance.runOnce(new Date(Date.now() + 31 * DAY));
    expect(report.auditLogs).toBeGreaterThanOrEqual(before);
    // the pass also purged sessions expired "by then", the admin one included: log in again
    const again = await adminClient(server);
    const v = await again.verifyAuditLog();
    expect(v.ok).toBe(true);
    expect((await again.listAuditLogs({ action: 'audit_logs_purged' })).total).toBe(1);
  });

  it('remembers a revoked refresh family until none of its tokens can be alive, then forgets it', async () => {
    const login = await arrangeLogin(server, { lifetimeMs: 365 * DAY });
    const client = await adminClient(server);
    await client.revokeRefreshToken(login.refreshId); // revokes the token's family
    expect((await login.db.refreshTokens.get(login.refreshId))?.isRevoked).toBe(true);
    // Still remembered when the longest-lived token issued at the revocation would expire, and a little after.
    expect((await server.maintenance.runOnce(new Date(Date.now() + MAX_REFRESH_SECONDS * 1000))).revokedFamilies).toBe(0);
    const kept = await server.maintenance.runOnce(new Date(Date.now() + REVOKED_FAMILY_MEMORY_MS - DAY));
    expect(kept.revokedFamilies).toBe(0);
    const forgotten = await server.maintenance.runOnce(new Date(Date.now() + REVOKED_FAMILY_MEMORY_MS + DAY));
    expect(forgotten.revokedFamilies).toBeGreaterThanOrEqual(1);
    // Its tokens had expired long before (a refresh token lives a year at most): the purges took them too.
    expect(await login.db.refreshTokens.get(login.refreshId)).toBeNull();
  });
});
