import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { mad, type MadResult } from '../helpers/mad.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { arrange, oathtool } from '../helpers/arrange.js';

let server: TestServer;
const home = tempDir('mad-cmd-home-');
const env = { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD };

beforeAll(async () => {
  server = await startTestServer();
  const login = await run(['session', 'login']);
  expect(login.code, login.stderr).toBe(0);
});
afterAll(async () => { await server?.close(); home.cleanup(); });

function run(args: string[]): Promise<MadResult> {
  return mad(['--admin-url', server.adminUrl, ...args], { home: home.dir, env });
}

/** Runs in --json mode, expects exit 0 and exactly one JSON document on stdout. */
async function json(args: string[]): Promise<any> {
  const r = await run([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  expect(r.stdout.trim().split('\n'), args.join(' ')).toHaveLength(1);
  return r.json;
}

/** Runs in text mode and expects exit 0. */
async function text(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('mad resource commands against a live server', () => {
  it('a CI-style script: login from env, create a user and a role, assign, list, logout — no TTY', async () => {
    const scriptHome = tempDir('mad-ci-');
    const madJs = new URL('../../dist/mad-cli/bin.js', import.meta.url).pathname;
    const script = `set -e
mad() { node "${madJs}" --admin-url "${server.adminUrl}" "$@"; }
mad session login
uid=$(mad user create --username ci-user --user-email ci@example.com --user-password ci-password-1 -q)
rid=$(mad role create --name ci-role -q)
mad role assign --user-id "$uid" --role-id "$rid"
mad user roles --id "$uid" --json
mad session logout`;
    // Async: the server runs in this process, a synchronous child would block it.
    const { stdout: out } = await promisify(execFile)('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '', HOME: scriptHome.dir, ...env } });
    expect(out).toContain('"name":"ci-role"');
    scriptHome.cleanup();
  });

  it('user commands', async () => {
    const u = await json(['user', 'create', '--username', 'madu1', '--user-email', 'madu1@example.com', '--user-password', 'pw-madu1-1']);
    expect(u.username).toBe('madu1');
    expect(await text(['user', 'create', '--username', 'madu2', '--user-email', 'madu2@example.com', '--user-password', 'pw-madu2-1']))
      .toMatch(/^Created user madu2 with Id: /);
    expect((await json(['user', 'list'])).map((x: any) => x.username)).toContain('madu1');
    expect(await text(['user', 'list'])).toMatch(/madu1/);
    expect(await text(['user', 'list', '--format', 'csv'])).toMatch(/^Id,Username,Email,Status/);
    expect((await json(['user', 'get', '--id', u.id])).email).toBe('madu1@example.com');
    expect(await text(['user', 'id-by-name', '--username', 'madu1'])).toContain(u.id);
    expect((await json(['user', 'update', '--id', u.id, '--email', 'x@example.com'])).email).toBe('x@example.com');
    expect((await run(['user', 'update', '--id', u.id])).code).toBe(2);
    await json(['user', 'verify-email', '--id', u.id]);
    await json(['user', 'reset-password', '--id', u.id, '--new-password', 'new-pass-123']);
    await json(['user', 'set-lockout', '--id', u.id, '--until', '2999-01-01T00:00:00Z']);
    expect((await json(['user', 'get', '--id', u.id])).lockout_until).not.toBeNull();
    await json(['user', 'clear-lockout', '--id', u.id]);
    expect((await json(['user', 'get', '--id', u.id])).lockout_until).toBeNull();
    expect((await run(['user', 'set-lockout', '--id', u.id, '--until', 'not-a-date'])).code).toBe(2);
    await json(['user', 'deactivate', '--id', u.id]);
    await json(['user', 'activate', '--id', u.id]);
    const again = await run(['user', 'activate', '--id', u.id, '--json']);
    expect(again.code).toBe(1);
    expect(again.json).toEqual({ success: false, message: expect.stringMatching(/already active/i) });
    await json(['user', 'delete', '--id', u.id]);
    const gone = await run(['user', 'get', '--id', u.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not found/i);
  });

  it('role, permission and scope commands', async () => {
    const u = await json(['user', 'create', '--username', 'madrp', '--user-email', 'madrp@example.com', '--user-password', 'pw-madrp-1']);
    const role = await json(['role', 'create', '--name', 'mad-role', '--description', 'd']);
    expect((await json(['role', 'update', '--id', role.id, '--description', 'changed'])).description).toBe('changed');
    expect((await json(['role', 'list'])).map((r: any) => r.name)).toContain('mad-role');
    expect((await json(['role', 'get', '--id', role.id])).name).toBe('mad-role');
    expect(await text(['role', 'id-by-name', '--name', 'mad-role'])).toContain(role.id);
    const perm = await json(['permission', 'create', '--name', 'mad-perm']);
    expect((await json(['permission', 'update', '--id', perm.id, '--name', 'mad-perm2'])).name).toBe('mad-perm2');
    const nothing = await run(['permission', 'update', '--id', perm.id, '--json']);
    expect(nothing.code).toBe(2);
    expect(nothing.json).toEqual({ success: false, message: 'You must provide at least one field to update.' });
    expect((await json(['permission', 'get', '--id', perm.id])).name).toBe('mad-perm2');
    expect((await json(['permission', 'list'])).map((p: any) => p.id)).toContain(perm.id);
    expect(await text(['permission', 'id-by-name', '--name', 'mad-perm2'])).toContain(perm.id);
    await json(['permission', 'assign', '--role-id', role.id, '--permission-id', perm.id]);
    expect((await json(['permission', 'list-for-role', '--role-id', role.id])).map((p: any) => p.id)).toEqual([perm.id]);
    expect((await json(['permission', 'check-access', '--user-id', u.id, '--permission-id', perm.id])).message).toBe('User does NOT have permission.');
    await json(['role', 'assign', '--user-id', u.id, '--role-id', role.id]);
    expect((await json(['user', 'roles', '--id', u.id])).map((r: any) => r.id)).toEqual([role.id]);
    expect((await json(['permission', 'list-for-user', '--user-id', u.id])).map((p: any) => p.id)).toEqual([perm.id]);
    expect(await text(['permission', 'check-access', '--user-id', u.id, '--permission-id', perm.id])).toMatch(/User has permission\./);
    await json(['user', 'roles', '--id', u.id, '--set']);
    expect(await json(['user', 'roles', '--id', u.id])).toEqual([]);
    await json(['role', 'assign', '--user-id', u.id, '--role-id', role.id]);
    await json(['role', 'unassign', '--user-id', u.id, '--role-id', role.id]);
    await json(['permission', 'remove', '--role-id', role.id, '--permission-id', perm.id]);
    await json(['permission', 'delete', '--id', perm.id]);
    await json(['role', 'delete', '--id', role.id]);

    const scope = await json(['scope', 'create', '--name', 'mad.scope', '--description', 'sd']);
    expect(scope.desc).toBe('sd');
    expect((await json(['scope', 'update', '--id', scope.id, '--description', 'new'])).desc).toBe('new');
    expect((await json(['scope', 'get', '--id', scope.id])).name).toBe('mad.scope');
    expect((await json(['scope', 'list'])).map((x: any) => x.id)).toContain(scope.id);
    expect(await text(['scope', 'id-by-name', '--name', 'mad.scope'])).toContain(scope.id);
    await json(['scope', 'assign-to-user', '--user-id', u.id, '--scope-id', scope.id]);
    expect((await json(['scope', 'list-for-user', '--user-id', u.id])).map((x: any) => x.id)).toEqual([scope.id]);
    await json(['scope', 'remove-from-user', '--user-id', u.id, '--scope-id', scope.id]);
    const client = await json(['client', 'create', '--client-id', 'mad-scope-client']);
    await json(['scope', 'assign-to-client', '--client-id', client.id, '--scope-id', scope.id]);
    expect((await json(['scope', 'list-for-client', '--client-id', client.id])).map((x: any) => x.id)).toEqual([scope.id]);
    await json(['scope', 'remove-from-client', '--client-id', client.id, '--scope-id', scope.id]);
    await json(['scope', 'delete', '--id', scope.id]);
  });

  it('client commands', async () => {
    const c = await json(['client', 'create', '--client-id', 'mad-app', '--display-name', 'Mad App', '--audience', 'mad-api']);
    expect(c.client_secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(await text(['client', 'create', '--client-id', 'mad-app2', '--gen-password', '24'])).toMatch(/Client secret .*: [A-Za-z0-9_-]{24}$/m);
    expect((await json(['client', 'get', '--id', c.id])).client_id).toBe('mad-app');
    for (const extra of [[], ['--gen-password', '20']]) {
      const quiet = await run(['client', 'create', '--client-id', `mad-quiet-${extra.length}`, '-q', ...extra]);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
      expect(quiet.stderr).toMatch(/^Client secret \(store it now, it is not shown again\): [A-Za-z0-9_-]{20,}$/m);
    }
    expect((await json(['client', 'update', '--id', c.id, '--display-name', 'Renamed'])).display_name).toBe('Renamed');
    expect((await json(['client', 'list'])).map((x: any) => x.client_id)).toContain('mad-app');
    expect(await text(['client', 'id-by-name', '--client-id', 'mad-app'])).toContain(c.id);
    expect((await json(['client', 'change-secret', '--id', c.id])).message.length).toBeGreaterThanOrEqual(32);
    const uri = await json(['client', 'add-redirect-uri', '--id', c.id, '--uri', 'https://app.example.com/cb']);
    expect((await json(['client', 'list-redirect-uris', '--client-id', c.id])).map((x: any) => x.redirect_uri)).toEqual(['https://app.example.com/cb']);
    await json(['client', 'delete-redirect-uri', '--id', uri.id]);
    await json(['client', 'set-flag', '--client-id', c.id, '--flag', 'TOKEN_EXPIRATION', '--enable']);
    expect(await json(['client', 'get-flag', '--client-id', c.id, '--flag', 'TOKEN_EXPIRATION'])).toBe(true);
    expect(await text(['client', 'get-flag', '--client-id', 'mad-app', '--flag', 'ENABLE_TOTP'])).toMatch(/disabled/);
    await json(['client', 'set-flag-options', '--client-id', c.id, '--flag', 'TOKEN_EXPIRATION', '--options', '600']);
    expect(await json(['client', 'get-flag-options', '--client-id', c.id, '--flag', 'TOKEN_EXPIRATION'])).toBe('600');
    const idp = await json(['client', 'add-idp', '--id', c.id, '--provider-key', 'google', '--display-name', 'Google',
      '--issuer', 'https://accounts.google.com', '--external-client-id', 'ext']);
    await json(['client', 'update-idp', '--id', c.id, '--idp-id', idp.id, '--provider-key', 'google', '--display-name', 'G',
      '--issuer', 'https://accounts.google.com', '--external-client-id', 'ext']);
    expect((await json(['client', 'list-idps', '--id', c.id])).map((x: any) => x.display_name)).toEqual(['G']);
    await json(['client', 'delete-idp', '--id', c.id, '--idp-id', idp.id]);
    const scope = await json(['scope', 'create', '--name', 'mad.client.scope']);
    await json(['client', 'assign-scope', '--client-id', c.id, '--scope-id', scope.id]);
    expect((await json(['client', 'list-scopes', '--client-id', c.id])).map((x: any) => x.id)).toEqual([scope.id]);
    await json(['client', 'remove-scope', '--client-id', c.id, '--scope-id', scope.id]);
    await json(['client', 'delete', '--id', c.id]);
    const dup = await run(['client', 'create', '--client-id', 'mad-app2', '--json']);
    expect(dup.code).toBe(1);
    expect(dup.json.success).toBe(false);
  });

  it('sessionctl, refreshtoken and auditlog commands', async () => {
    const sessions = await json(['sessionctl', 'list']);
    expect(sessions.length).toBeGreaterThan(0);
    const mine = sessions.find((x: any) => !x.is_revoked);
    expect((await json(['sessionctl', 'get', '--id', mine.id])).id).toBe(mine.id);
    expect((await json(['sessionctl', 'list-by-user', '--user-id', mine.user_id])).length).toBeGreaterThan(0);
    await json(['sessionctl', 'purge', '--older-than', '86400', '--expired', '--revoked']);
    expect(Array.isArray(await json(['refreshtoken', 'list']))).toBe(true);
    expect(Array.isArray(await json(['refreshtoken', 'list-by-user', '--user-id', mine.user_id]))).toBe(true);
    await json(['refreshtoken', 'purge-refresh', '--older-than', '86400', '--expired']);
    const logs = await json(['auditlog', 'list', '--limit', '5']);
    expect(logs.length).toBeGreaterThan(0);
    expect((await json(['auditlog', 'get', '--id', logs[0].id])).id).toBe(logs[0].id);
    expect((await json(['auditlog', 'verify'])).ok).toBe(true);
    expect((await run(['auditlog', 'purge', '--days', '0'])).code).toBe(2);
    await json(['auditlog', 'purge', '--days', '3650']);
    // revoke the CLI's own session last: the stored token stops working
    await json(['sessionctl', 'revoke', '--id', mine.id]);
  });

  it('TOTP commands, sessionctl introspect and refreshtoken get, in both output modes', async () => {
    expect((await run(['session', 'login'])).code).toBe(0); // the previous test revoked the CLI's session
    const a = arrange(server);
    const client = await a.client();
    await json(['client', 'set-flag', '--client-id', client.id, '--flag', 'ENABLE_TOTP', '--enable']);
    const u = await json(['user', 'create', '--username', 'madotp', '--user-email', 'madotp@example.com', '--user-password', 'pw-madotp-1']);
    const qr = await json(['user', 'totp-qr', '--id', u.id, '--client-id', client.clientId]);
    expect(qr.otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
    expect(await text(['user', 'totp-qr', '--id', u.id, '--client-id', client.id])).toMatch(/^TOTP QR generated: /);
    const secret = new URL((await json(['user', 'totp-qr', '--id', u.id, '--client-id', client.id])).otpauth_uri).searchParams.get('secret')!;
    const bad = await run(['user', 'totp-verify', '--user-id', u.id, '--client-id', client.id, '--code', '000000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/totp failure/);
    expect(await text(['user', 'totp-verify', '--user-id', u.id, '--client-id', client.id, '--code', oathtool(secret)])).toMatch(/TOTP verified and enabled/);
    expect((await json(['user', 'get', '--id', u.id])).totp_enabled).toBe(true);
    expect((await json(['user', 'disable-totp', '--user-id', u.id, '--client-id', client.id])).message).toBe('TOTP disabled for user');

    // A user token and its refresh token, issued by the real password grant.
    const res = await fetch(`${server.authUrl}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'madotp', password: 'pw-madotp-1', client_id: client.clientId, client_secret: client.clientSecret }) });
    const grant = await res.json() as { access_token: string };
    const claims = await json(['sessionctl', 'introspect', '--token', grant.access_token]);
    expect(claims).toMatchObject({ sub: u.id, valid: true });
    expect(await text(['sessionctl', 'introspect', '--token', grant.access_token])).toMatch(/^Token Claims:/);
    const rts = await json(['refreshtoken', 'list-by-user', '--user-id', u.id]);
    expect(rts).toHaveLength(1);
    expect((await json(['refreshtoken', 'get', '--id', rts[0].id])).user_id).toBe(u.id);
    expect(await text(['refreshtoken', 'get', '--id', rts[0].id])).toMatch(/^Id: /);
    expect(await text(['sessionctl', 'list-by-user', '--user-id', u.id])).toMatch(/madotp|auth/);
  });

  it('sessionctl and refreshtoken lists page past the server\'s 1000-row page', async () => {
    const a = arrange(server);
    const u = await a.user();
    const n = 1005;
    const now = new Date().toISOString();
    const later = new Date(Date.now() + 3600_000).toISOString();
    const ids = Array.from({ length: n }, () => randomUUID());
    a.db.transaction(() => {
      const s = a.db.prepare("INSERT INTO sessions (id, user_id, client_identifier, issued_at, expires_at) VALUES (?, ?, 'bulk', ?, ?)");
      const r = a.db.prepare(`INSERT INTO refresh_tokens (id, user_id, session_id, client_identifier, token_sha256, family_id, issued_at, expires_at)
        VALUES (?, ?, ?, 'bulk', ?, ?, ?, ?)`);
      for (const id of ids) {
        s.run(id, u.id, now, later);
        r.run(id, u.id, id, `sha-${id}`, id, now, later);
      }
    })();
    a.close();
    const sessions: any[] = await json(['sessionctl', 'list']);
    expect(new Set(sessions.map((x) => x.id)).size).toBe(sessions.length);
    expect(sessions.filter((x) => x.user_id === u.id)).toHaveLength(n);
    expect(await json(['sessionctl', 'list-by-user', '--user-id', u.id])).toHaveLength(n);
    const rts: any[] = await json(['refreshtoken', 'list']);
    expect(rts.filter((x) => x.user_id === u.id)).toHaveLength(n);
    expect(await json(['refreshtoken', 'list-by-user', '--user-id', u.id])).toHaveLength(n);
  });

  it('integer options refuse anything but digits (usage error, nothing sent)', async () => {
    const before = (await json(['auditlog', 'list', '--limit', '1000'])).length;
    for (const args of [['sessionctl', 'purge', '--older-than', 'abc'], ['sessionctl', 'purge', '--older-than', '-5'],
      ['refreshtoken', 'purge-refresh', '--older-than', '1.5'], ['auditlog', 'list', '--limit', 'ten'], ['auditlog', 'purge', '--days', '1e3'],
      ['client', 'create', '--client-id', 'mad-int-client', '--gen-password', 'abc']]) {
      const r = await run([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json, args.join(' ')).toEqual({ success: false, message: expect.stringMatching(/must be a non-negative integer/) });
    }
    expect((await run(['client', 'get', '--id', 'mad-int-client'])).code).toBe(1);
    expect((await json(['auditlog', 'list', '--limit', '1000'])).length).toBe(before);
  });

  it('boolean options take True/False in any case', async () => {
    const c = await json(['client', 'create', '--client-id', 'mad-bool-client']);
    await json(['client', 'set-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP', '--enable', 'True']);
    expect(await json(['client', 'get-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP'])).toBe(true);
    await json(['client', 'set-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP', '--enable', 'False']);
    expect(await json(['client', 'get-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP'])).toBe(false);
    await json(['client', 'set-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP', '--enable=TRUE']);
    expect(await json(['client', 'get-flag', '--client-id', c.id, '--flag', 'ENABLE_TOTP'])).toBe(true);
    expect((await json(['client', 'update', '--id', c.id, '--is-active', 'False'])).is_active).toBe(false);
    const u = await json(['user', 'create', '--username', 'madbool', '--user-email', 'madbool@example.com', '--user-password', 'pw-madbool-1']);
    expect((await json(['user', 'update', '--id', u.id, '--is-active', 'FALSE'])).is_active).toBe(false);
    expect((await json(['user', 'list', '--inactive', 'True'])).map((x: any) => x.id)).toContain(u.id);
    await json(['sessionctl', 'purge', '--older-than', '86400', '--expired', 'False', '--revoked', 'True']);
    await json(['refreshtoken', 'purge-refresh', '--older-than', '86400', '--expired', 'TRUE', '--revoked', 'false']);
  });

  // Last: it breaks the chain of this file's server.
  it('auditlog verify reports a tampered record and exits 1', async () => {
    expect(await text(['auditlog', 'verify'])).toMatch(/^Audit chain OK \(\d+ records checked\)\./);
    const a = arrange(server);
    const row = a.db.prepare('SELECT seq FROM audit_logs ORDER BY seq LIMIT 1').get() as { seq: number };
    a.db.prepare("UPDATE audit_logs SET target = coalesce(target, '') || '-forged' WHERE seq = ?").run(row.seq);
    a.close();
    const broken = await run(['auditlog', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim()).toBe(`Audit chain BROKEN at record ${row.seq}.`);
    const asJson = await run(['auditlog', 'verify', '--json']);
    expect([asJson.code, asJson.json]).toEqual([1, expect.objectContaining({ ok: false, broken_at: row.seq })]);
  });
});
