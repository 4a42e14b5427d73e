import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { openDatabase } from '../../src/store/index.js';
import { adminClient, failure } from '../helpers/admin-b.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from '../helpers/server.js';
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

describe('what each security event writes (security.md "Audit")', () => {
  it('one record per privileged action and auth-plane event: time, actor, action, target, IP, user agent, outcome; no secret in any record', async () => {
    const own = await startTestServer(['--max-login-failures', '2']);
    try {
      const secrets: string[] = [ADMIN_PASSWORD];
      let step = 0;
      // Each step sends its own User-Agent, so the records it wrote can be told apart.
      const ua = () => `audit-probe/${++step}`;
      const send = (url: string, init: RequestInit, agent: string) => http(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'User-Agent': agent } });
      const recordsOf = (agent: string) => (own.store().audit.list({ limit: 1000 })).then((l) => l.rows.filter((r) => r.userAgent === agent).reverse());
      const expectRecords = async (agent: string, expected: { actorId: string; action: string; target: string | null; outcome: string }[]) => {
        const rows = await recordsOf(agent);
        expect(rows.map((r) => ({ actorId: r.actorId, action: r.action, target: r.target, outcome: r.outcome })), agent).toEqual(expected);
        for (const r of rows) {
          expect(r.ipAddress, agent).toBe('127.0.0.1');
          expect(Math.abs(Date.parse(r.timestamp) - Date.now()), agent).toBeLessThan(600_000);
        }
      };

      let agent = ua();
      const login = await send(`${own.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }), agent);
      const token = login.json.access_token as string;
      secrets.push(token);
      const adminId = String(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub);
      await expectRecords(agent, [{ actorId: adminId, action: 'admin_token_issued', target: 'admin', outcome: 'success' }]);
      const asAdmin = (url: string, init: RequestInit, a: string) => send(url, bearer(token, init), a);

      agent = ua();
      const user = await asAdmin(`${own.adminUrl}/users`, jsonBody({ username: 'audited-user', email: 'audited@example.com', password: 'Audited-Password-1' }), agent);
      secrets.push('Audited-Password-1');
      const userId = user.json.id as string;
      await expectRecords(agent, [{ actorId: adminId, action: 'user_created', target: 'audited-user', outcome: 'success' }]);

      agent = ua();
      const role = await asAdmin(`${own.adminUrl}/roles`, jsonBody({ name: 'audited-role', description: '' }), agent);
      await asAdmin(`${own.adminUrl}/roles/assign`, jsonBody({ user_id: userId, role_id: role.json.id }), agent);
      await expectRecords(agent, [{ actorId: adminId, action: 'role_created', target: 'audited-role', outcome: 'success' },
        { actorId: adminId, action: 'role_assigned', target: userId, outcome: 'success' }]);

      agent = ua();
      const scope = await asAdmin(`${own.adminUrl}/scopes`, jsonBody({ name: 'audited.scope', desc: '' }), agent);
      await asAdmin(`${own.adminUrl}/users/${userId}/scopes`, jsonBody({ scope_ids: [scope.json.id] }), agent);
      await expectRecords(agent, [{ actorId: adminId, action: 'create_scope', target: 'audited.scope', outcome: 'success' },
        { actorId: adminId, action: 'assign_scope_to_user', target: userId, outcome: 'success' }]);

      agent = ua();
      const client = await asAdmin(`${own.adminUrl}/clients`, jsonBody({ client_id: 'audited-app', client_secret: 'Manual-Secret-1' }), agent);
      secrets.push('Manual-Secret-1');
      const changed = await asAdmin(`${own.adminUrl}/clients/secret`, jsonBody({ client_id: 'audited-app' }), agent);
      const clientSecret = changed.json.message as string;
      secrets.push(clientSecret);
      await expectRecords(agent, [{ actorId: adminId, action: 'create_client', target: 'audited-app', outcome: 'success' },
        { actorId: adminId, action: 'client_secret_changed', target: client.json.id, outcome: 'success' }]);

      agent = ua();
      await asAdmin(`${own.adminUrl}/keys/auth/rotate`, { method: 'POST' }, agent);
      await expectRecords(agent, [{ actorId: adminId, action: 'signing_key_rotated', target: 'auth', outcome: 'success' }]);

      const grant = (password: string, a: string) => send(`${own.authUrl}/token`, form({ grant_type: 'password', username: 'audited-user',
        password, client_id: 'audited-app', client_secret: clientSecret }), a);
      agent = ua();
      const ok = await grant('Audited-Password-1', agent);
      expect(ok.status).toBe(200);
      secrets.push(ok.json.access_token, ok.json.refresh_token);
      await expectRecords(agent, [{ actorId: userId, action: 'token_issued', target: 'audited-app', outcome: 'success' }]);

      agent = ua();
      const refresh = (refreshToken: string) => send(`${own.authUrl}/token`, form({ grant_type: 'refresh_token', refresh_token: refreshToken,
        client_id: 'audited-app', client_secret: clientSecret }), agent);
      const next = await refresh(ok.json.refresh_token);
      secrets.push(next.json.access_token, next.json.refresh_token);
      expect((await refresh(ok.json.refresh_token)).status).toBe(400);
      const reuse = (await recordsOf(agent)).filter((r) => r.action === 'refresh_token_reuse_detected');
      expect(reuse.map((r) => [r.actorId, r.target, r.outcome, r.ipAddress])).toEqual([[userId, 'audited-app', 'failure', '127.0.0.1']]);

      agent = ua();
      const again = await grant('Audited-Password-1', agent);
      secrets.push(again.json.access_token, again.json.refresh_token);
      agent = ua();
      await send(`${own.authUrl}/revoke`, form({ token: again.json.refresh_token, client_id: 'audited-app', client_secret: clientSecret }), agent);
      expect((await recordsOf(agent)).map((r) => [r.action, r.outcome, r.ipAddress])).toEqual([['token_revoked', 'success', '127.0.0.1']]);

      agent = ua();
      expect((await grant('Wrong-Password-1', agent)).status).toBe(400);
      secrets.push('Wrong-Password-1');
      // Not signed in yet: the actor is anonymous; the client is the target, the username the secondary field.
      await expectRecords(agent, [{ actorId: 'anonymous', action: 'login_failed', target: 'audited-app', outcome: 'failure' }]);
      expect((await recordsOf(agent))[0]!.secondary).toBe('password:audited-user');
      agent = ua();
      expect((await grant('Wrong-Password-2', agent)).status).toBe(400);
      secrets.push('Wrong-Password-2');
      await expectRecords(agent, [{ actorId: userId, action: 'account_locked', target: userId, outcome: 'failure' },
        { actorId: 'anonymous', action: 'login_failed', target: 'audited-app', outcome: 'failure' }]);

      agent = ua();
      await asAdmin(`${own.adminUrl}/users/${userId}/set-lockout`, jsonBody({ lockout_until: null }), agent);
      await expectRecords(agent, [{ actorId: adminId, action: 'admin.lockout.cleared', target: userId, outcome: 'success' }]);
      agent = ua();
      await asAdmin(`${own.adminUrl}/users/${userId}/set-lockout`, jsonBody({ lockout_until: '2999-01-01T00:00:00Z' }), agent);
      await expectRecords(agent, [{ actorId: adminId, action: 'admin.lockout.set', target: userId, outcome: 'success' }]);

      // No password, token or secret in any record, stored or served.
      const key = readFileSync(`${own.dbFile}.key`, 'utf8').trim();
      const db = openDatabase({ file: own.dbFile, key, synchronous: 'NORMAL' });
      const stored = JSON.stringify(db.prepare('SELECT * FROM audit_logs').all());
      db.close();
      const served = (await http(`${own.adminUrl}/audit-logs?limit=1000`, bearer(token))).text;
      expect(stored.length).toBeGreaterThan(1000);
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(8);
        expect(stored.includes(secret), `secret in an audit record: ${secret.slice(0, 6)}…`).toBe(false);
        expect(served.includes(secret), `secret in GET /audit-logs: ${secret.slice(0, 6)}…`).toBe(false);
      }
    } finally {
      await own.close();
    }
  });
});

describe('retention purge and the chain (security.md "Audit")', () => {
  it('after a retention pass the chain verifies from the first kept record, and tampering with kept records is still caught', async () => {
    const DAY = 86400_000;
    const own = await startTestServer(['--audit-log-retention-days', '30']);
    try {
      const first = await adminClient(own);
      await first.createClient({ client_id: 'purged-1' });
      await first.createClient({ client_id: 'purged-2' });
      const old = (await first.listAuditLogs()).total;
      expect(old).toBeGreaterThanOrEqual(3);
      // Records written after those, stamped two days from now: inside the 30-day window of a pass run 31 days from now.
      const later = own.store(() => new Date(Date.now() + 2 * DAY));
      for (let i = 0; i < 3; i++) await later.audit.append({ actorId: 'tester', action: `kept-${i}`, target: `t${i}` });
      const report = await own.maintenance.runOnce(new Date(Date.now() + 31 * DAY));
      expect(report.auditLogs).toBe(old);
      const admin = await adminClient(own); // the pass also purged the first admin session
      const listed = (await admin.listAuditLogs({ limit: 100 })).items.reverse();
      expect(listed.map((r) => r.action)).toEqual(['kept-0', 'kept-1', 'kept-2', 'audit_logs_purged', 'admin_token_issued']);
      expect(await admin.verifyAuditLog()).toMatchObject({ ok: true, checked: 5, broken_at: null });

      const key = readFileSync(`${own.dbFile}.key`, 'utf8').trim();
      const db = openDatabase({ file: own.dbFile, key, synchronous: 'NORMAL' });
      try {
        const seqOf = (action: string) => (db.prepare('SELECT seq FROM audit_logs WHERE action = ?').get(action) as { seq: number }).seq;
        db.prepare("UPDATE audit_logs SET target = 'forged' WHERE action = 'kept-1'").run();
        expect(await admin.verifyAuditLog()).toMatchObject({ ok: false, broken_at: seqOf('kept-1') });
        db.prepare("UPDATE audit_logs SET target = 't1' WHERE action = 'kept-1'").run();
        expect((await admin.verifyAuditLog()).ok).toBe(true);
        // The first kept record is pinned by the anchor the purge left: deleting it is caught too.
        const next = seqOf('kept-1');
        db.prepare("DELETE FROM audit_logs WHERE action = 'kept-0'").run();
        expect(await admin.verifyAuditLog()).toMatchObject({ ok: false, broken_at: next });
      } finally {
        db.close();
      }
    } finally {
      await own.close();
    }
  });
});
