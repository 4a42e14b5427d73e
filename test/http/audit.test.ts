import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/index.js';
import { openDatabase } from '../../src/store/index.js';
import { adminClient, arrangeLogin, failure } from '../helpers/admin-b.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from '../helpers/server.js';
import { oathtool } from '../helpers/arrange.js';
import { servedRoutes } from '../helpers/routes.js';
import { mintAuthToken } from '../helpers/tokens.js';
import { tempDir } from '../helpers/tmp.js';
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
          expect(r.timestamp, agent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(Number.isNaN(Date.parse(r.timestamp)), agent).toBe(false);
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

describe('every admin-plane write is audited (security.md "Audit")', () => {
  it('each mutating route the admin plane serves, called once successfully, adds an audit record', async () => {
    const qr = tempDir('mad-audit-qr-');
    const own = await startTestServer(['--totp-qr-output-root', qr.dir]);
    try {
      const db = own.store();
      const count = async () => (await db.audit.list({ limit: 1 })).total;
      const steps: { route: string; added: number; actions: string[] }[] = [];
      /** Runs `call` (it must succeed) as the route `route` ("METHOD /path/{param}"), and notes what it added to the audit log. */
      const step = async (route: string, call: () => Promise<unknown>) => {
        const before = await count();
        await call();
        // Introspection records are deferred (committed within 50 ms of the answer): wait for them, then for stragglers.
        for (let i = 0; i < 100 && (await count()) === before; i++) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 80));
        const added = (await count()) - before;
        const actions = (await db.audit.list({ limit: Math.max(added, 1) })).rows.slice(0, added).map((r) => r.action);
        steps.push({ route, added, actions });
      };
      const admin = new AdminClient(own.adminUrl);
      await step('POST /token', () => admin.login(ADMIN_USERNAME, ADMIN_PASSWORD));
      const raw = (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => admin.transport.request({ method, path, ...(body !== undefined ? { body: { json: body } } : {}) });

      const user = await admin.createUser({ username: 'audit-all-user', email: 'audit-all@example.com', password: 'Audit-All-Pass-1' });
      await step('POST /users', () => admin.createUser({ username: 'audit-all-doomed', email: 'doomed@example.com', password: 'Audit-All-Pass-1' }));
      const doomed = await admin.userIdByName('audit-all-doomed');
      await step('PUT /users/{id}', () => admin.updateUser(user.id, { email: 'audit-all-2@example.com' }));
      await step('POST /users/{id}/verify-email', () => admin.verifyEmail(user.id));
      await step('POST /users/deactivate/{id}', () => admin.deactivateUser(user.id));
      await step('POST /users/{id}/activate', () => admin.activateUser(user.id));
      await step('POST /users/{id}/reset', () => admin.resetPassword(user.id, 'Audit-All-Pass-2'));
      await step('POST /users/{id}/set-lockout', () => admin.setLockout(user.id, null));
      await step('DELETE /users/{id}', () => admin.deleteUser(doomed));

      const role = await admin.createRole('audit-all-role-0');
      await step('POST /roles', () => admin.createRole('audit-all-role'));
      const roleId = await admin.roleIdByName('audit-all-role');
      await step('PUT /roles/{id}', () => admin.updateRole(roleId, { description: 'changed' }));
      await step('POST /roles/assign', () => admin.assignRole(user.id, roleId));
      await step('POST /roles/unassign', () => admin.unassignRole(user.id, roleId));
      await step('PUT /users/{userId}/roles', () => admin.replaceUserRoles(user.id, [{ id: role.id, name: role.name }]));
      await step('POST /permissions', () => admin.createPermission('audit-all-perm'));
      const permId = await admin.permissionIdByName('audit-all-perm');
      await step('PUT /permissions/{id}', () => admin.updatePermission(permId, 'audit-all-perm-2'));
      await step('POST /roles/{roleId}/permissions', () => admin.assignPermission(roleId, permId));
      await step('POST /check-access', () => admin.checkAccess(user.id, permId));
      await step('DELETE /roles/{roleId}/permissions/{permissionId}', () => admin.removePermission(roleId, permId));
      await step('DELETE /permissions/{permissionId}', () => admin.deletePermission(permId));
      await step('DELETE /roles/{roleId}', () => admin.deleteRole(roleId));

      await step('POST /scopes', () => admin.createScope('audit.all.scope'));
      const scopeId = await admin.scopeIdByName('audit.all.scope');
      await step('PUT /scopes/{id}', () => admin.updateScope(scopeId, { desc: 'changed' }));
      await step('POST /users/{userId}/scopes', () => admin.assignUserScopes(user.id, [scopeId]));
      await step('DELETE /users/{userId}/scopes/{scopeId}', () => admin.removeUserScope(user.id, scopeId));

      await step('POST /clients', () => admin.createClient({ client_id: 'audit-all-app' }));
      const clientId = await admin.getClientIdByName('audit-all-app');
      await step('PUT /clients/{id}', () => admin.updateClient(clientId, { display_name: 'Changed' }));
      await step('POST /clients/secret', () => admin.changeClientSecret(clientId));
      await step('POST /clients/{id}/scopes', () => admin.assignClientScopes(clientId, [scopeId]));
      await step('DELETE /clients/{id}/scopes/{scopeId}', () => admin.removeClientScope(clientId, scopeId));
      await step('DELETE /scopes/{scopeId}', () => admin.deleteScope(scopeId));
      await step('POST /clients/{id}/redirect-uris', () => admin.addRedirectUri(clientId, 'https://rp.example.com/a'));
      const uris = await admin.listRedirectUris(clientId);
      await admin.addRedirectUri(clientId, 'https://rp.example.com/b');
      const uriB = (await admin.listRedirectUris(clientId)).find((u) => !uris.some((x) => x.id === u.id))!;
      await step('DELETE /clients/redirect-uris/{id}', () => admin.deleteRedirectUri(uris[0]!.id));
      await step('DELETE /clients/redirect-uris', () => admin.deleteRedirectUri(uriB.id, true));
      const idp = { provider_key: 'corp', display_name: 'Corp', issuer: 'https://idp.example.com', client_identifier: 'rp', scopes: 'openid' };
      for (const prefix of ['', '/admin']) {
        let idpId = '';
        await step(`POST ${prefix}/clients/{clientId}/idp`, async () => { idpId = (await raw('POST', `${prefix}/clients/audit-all-app/idp`, { ...idp, provider_key: `corp${prefix.length}` }) as { id: string }).id; });
        await step(`PUT ${prefix}/clients/{clientId}/idp/{id}`, () => raw('PUT', `${prefix}/clients/audit-all-app/idp/${idpId}`, { display_name: 'Corp 2' }));
        await step(`DELETE ${prefix}/clients/{clientId}/idp/{id}`, () => raw('DELETE', `${prefix}/clients/audit-all-app/idp/${idpId}`));
      }
      await step('POST /client/options/{flag}', () => admin.setClientFlag('ENABLE_TOTP', clientId, true));
      await step('POST /client/options/{flag}/ext', () => admin.setClientFlagOptions('TOTP_ISSUER', clientId, 'Acme'));
      let seed = '';
      await step('POST /users/{id}/totp/generate', async () => {
        seed = new URL((await admin.generateTotp(user.id, clientId, 'qr')).otpauth_uri).searchParams.get('secret')!;
      });
      await step('POST /users/totp/verify', () => admin.verifyTotp(user.id, clientId, oathtool(seed)));
      await step('POST /users/{userId}/{clientId}/disable-totp', () => admin.disableTotp(user.id, clientId));
      await step('POST /keys/{plane}/rotate', () => admin.rotateKeys('auth'));

      const login = await arrangeLogin(own);
      const second = await arrangeLogin(own);
      const access = await mintAuthToken(own, { sub: second.userId });
      await step('POST /introspect', () => admin.introspect(access.token));
      await step('POST /revoke', () => admin.revoke(access.token, 'access_token'));
      await step('DELETE /sessions/{jti}', () => admin.revokeSession(login.jti));
      await step('DELETE /refresh-tokens/{id}', () => admin.revokeRefreshToken(second.refreshId));
      await step('POST /sessions/purge', () => admin.purgeSessions({ older_than_seconds: 86400, purge_expired: true }));
      await step('POST /refresh-tokens/purge', () => admin.purgeRefreshTokens({ older_than_seconds: 86400, purge_expired: true }));
      await step('POST /audit-logs/purge', () => admin.purgeAuditLogs(3650));
      await step('DELETE /clients/{id}', () => admin.deleteClient(clientId));

      // Reads that go by POST write nothing; every other route wrote its record.
      const READS = ['POST /check-access'];
      const missing = steps.filter((x) => !READS.includes(x.route) && x.added < 1).map((x) => x.route);
      expect(missing, 'routes that wrote no audit record').toEqual([]);
      expect(steps.filter((x) => READS.includes(x.route)).map((x) => x.added)).toEqual([0]);
      // "one audit record": each write, one record.
      expect(steps.filter((x) => x.added > 1).map((x) => `${x.route}: ${x.actions.join(', ')}`)).toEqual([]);
      // The list above is every mutating route the admin plane serves: a new one must be added here.
      const served = servedRoutes(own.apps.admin).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`).sort();
      expect([...new Set(steps.map((x) => x.route))].sort()).toEqual(served);
    } finally {
      await own.close();
      qr.cleanup();
    }
  });
});
