import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { openDatabase } from '../../src/store/index.js';
import { adminClient, failure } from '../helpers/admin-b.js';
import { bearer, form, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { readFileSync } from 'node:fs';

let server: TestServer;
let admin: AdminClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminClient(server);
  await admin.createClient({ client_id: 'audited-1' });
  await admin.createClient({ client_id: 'audited-2' });
});
afterAll(async () => {
  await server?.close();
});

describe('audit log', () => {
  it('lists newest first with X-Total-Count, filters by userId and action, pages with limit/offset', async () => {
    const all = await admin.listAuditLogs();
    expect(all.total).toBe(all.items.length);
    expect(all.items[0]?.action).toBe('create_client');
    expect(all.items[0]).toMatchObject({ target: 'audited-2', outcome: 'success' });
    expect(all.items[0]).toHaveProperty('ip_address');
    const actor = all.items[0]!.actor_id as string;
    const mine = await admin.listAuditLogs({ userId: actor, action: 'create_client' });
    expect(mine.items.map((r) => r.target)).toEqual(['audited-2', 'audited-1']);
    const second = await admin.listAuditLogs({ action: 'create_client', limit: 1, offset: 1 });
    expect([second.total, second.items[0]?.target]).toEqual([2, 'audited-1']);
    expect((await admin.listAuditLogs({ action: 'no_such_action' })).total).toBe(0);
    expect((await http(`${server.adminUrl}/audit-logs?limit=-5`, bearer(admin.token as string))).status).toBe(400);
  });

  it('gets one by id; unknown is 404', async () => {
    const first = (await admin.listAuditLogs({ limit: 1 })).items[0]!;
    expect(await admin.getAuditLog(first.id)).toEqual(first);
    const e = await failure(admin.getAuditLog('nope'));
    expect([e.status, e.message]).toEqual([404, 'Audit log not found']);
  });

  it('purge: older_than_days must be > 0; nothing is that old yet; the chain still verifies', async () => {
    const e = await failure(admin.purgeAuditLogs(0));
    expect([e.status, e.message]).toEqual([400, 'olderThanDays must be greater than 0']);
    expect((await admin.purgeAuditLogs(1)).message).toBe('Purged 0 audit log(s).');
    const asForm = await http(`${server.adminUrl}/audit-logs/purge`, bearer(admin.token as string, form({ older_than_days: '1' })));
    expect(asForm.status).toBe(400);
    expect((await http(`${server.adminUrl}/audit-logs/purge`)).status).toBe(401);
    const v = await admin.verifyAuditLog();
    expect(v.ok).toBe(true);
    expect(v.broken_at).toBeNull();
    expect(v.checked).toBeGreaterThanOrEqual(4);
  });

  it('verify detects a tampered row', async () => {
    const key = server.config.dbPass || readFileSync(`${server.dbFile}.key`, 'utf8').trim();
    const db = openDatabase({ file: server.dbFile, key, synchronous: 'NORMAL' });
    try {
      const row = db.prepare("SELECT seq FROM audit_logs WHERE action = 'create_client' ORDER BY seq LIMIT 1").get() as { seq: number };
      db.prepare("UPDATE audit_logs SET target = 'someone-else' WHERE seq = ?").run(row.seq);
      const v = await admin.verifyAuditLog();
      expect(v).toMatchObject({ ok: false, broken_at: row.seq });
    } finally {
      db.close();
    }
  });
});

describe('audit logging turned off (--no-enable-audit-logging)', () => {
  it('writes no records for admin actions or tokens, and the (empty) chain verifies', async () => {
    const quiet = await startTestServer(['--no-enable-audit-logging']);
    try {
      const a = await adminClient(quiet);
      const created = await a.createClient({ client_id: 'unaudited' });
      const basic = `Basic ${Buffer.from(`unaudited:${created.client_secret as string}`).toString('base64')}`;
      const token = await http(`${quiet.authUrl}/token`, { ...form({ grant_type: 'client_credentials' }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic } });
      expect(token.status).toBe(200);
      expect((await a.listAuditLogs()).total).toBe(0);
      expect(await a.verifyAuditLog()).toMatchObject({ ok: true, checked: 0 });
    } finally {
      await quiet.close();
    }
  });
});
