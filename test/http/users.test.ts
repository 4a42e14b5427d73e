import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { expectApiError, startAdminServer, unique } from '../helpers/admin.js';
import { http, jsonBody, bearer, expectJsonBodyRule, form } from '../helpers/http.js';
import { ADMIN_USERNAME, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

const newUser = (name = unique('user')) => admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });

describe('users (admin API)', () => {
  it('creates a user with normalized username and email, and reports real fields', async () => {
    const u = await admin.createUser({ username: '  Alice.Smith ', email: 'Alice@Example.COM', password: 'user-password-1' });
    expect(u).toMatchObject({ username: 'alice.smith', email: 'alice@example.com', is_active: true, email_verified: false, totp_enabled: false, lockout_until: null });
    expect(Date.parse(u.created_at)).not.toBeNaN();
    expect(await admin.getUser(u.id)).toEqual(u);
    expect(await admin.userIdByName('ALICE.SMITH')).toBe(u.id);
    expect((await server.store().audit.list({ action: 'user_created' })).total).toBeGreaterThan(0);
  });

  it('stores passwords as argon2id with the configured parameters, and a reset too; the original text nowhere in the row', async () => {
    const u = await admin.createUser({ username: unique('hashed'), email: `${unique('h')}@example.com`, password: 'Hashed-Password-1' });
    const hashOf = async () => (await server.store().users.getById(u.id))!.passwordHash;
    // The test server runs with FAST_ARGON2 (m=1024, t=1, p=1): taken from its configuration, not built in.
    const params = (hash: string) => hash.split('$')[3]!.split(',').sort();
    const first = await hashOf();
    expect(first).toMatch(/^\$argon2id\$v=19\$/);
    expect(params(first)).toEqual(['m=1024', 'p=1', 't=1']);
    expect(JSON.stringify(await server.store().users.getById(u.id))).not.toContain('Hashed-Password-1');
    await admin.resetPassword(u.id, 'Reset-Password-22');
    const second = await hashOf();
    expect(second).not.toBe(first);
    expect(params(second)).toEqual(['m=1024', 'p=1', 't=1']);
    const other = await startAdminServer({ args: ['--argon2id-memory', '2048', '--argon2id-time', '2', '--argon2id-parallelism', '2'] });
    try {
      const v = await other.admin.createUser({ username: 'otherparams', email: 'otherparams@example.com', password: 'Hashed-Password-1' });
      expect(params((await other.server.store().users.getById(v.id))!.passwordHash)).toEqual(['m=2048', 'p=2', 't=2']);
    } finally {
      await other.server.close();
    }
  });

  it('one username rule everywhere: created, looked up, logged in and refused alike with any case and surrounding spaces', async () => {
    const base = unique('norm');
    const u = await admin.createUser({ username: `  ${base.toUpperCase()}.Smith `, email: `${base}@example.com`, password: 'Normal-Password-1' });
    expect(u.username).toBe(`${base}.smith`);
    const client = await admin.createClient({ client_id: unique('norm-app') });
    const grant = (username: string) => http(`${server.authUrl}/token`, form({ grant_type: 'password', username, password: 'Normal-Password-1',
      client_id: client.client_id, client_secret: client.client_secret as string }));
    for (const spelled of [`${base}.smith`, ` ${base.toUpperCase()}.SMITH `, `\t${base}.Smith`]) {
      const r = await grant(spelled);
      expect(r.status, spelled).toBe(200);
      expect(JSON.parse(Buffer.from(r.json.access_token.split('.')[1], 'base64url').toString()).sub).toBe(u.id);
      expect(await admin.userIdByName(spelled)).toBe(u.id);
    }
    await expectApiError(admin.createUser({ username: `${base.toUpperCase()}.SMITH`, email: 'dup@example.com', password: 'Normal-Password-1' }), 400, /duplicate/);
    expect((await admin.updateUser(u.id, { username: ` ${base.toUpperCase()}.Smith ` })).username).toBe(`${base}.smith`);
    await expectApiError(admin.updateUser(u.id, { username: 'Has Space' }), 400, /Username may contain/);
    await expectApiError(admin.createUser({ username: `${base}.sm\u00efth`, email: 'accent@example.com', password: 'Normal-Password-1' }), 400, /Username may contain/);
  });

  it('refuses duplicates, missing fields, bad names, weak passwords and wrong bodies with 400', async () => {
    const u = await newUser();
    await expectApiError(admin.createUser({ username: u.username.toUpperCase(), email: 'x@example.com', password: 'user-password-1' }), 400, /duplicate/);
    await expectApiError(admin.createUser({ username: '', email: 'x@example.com', password: 'pw' }), 400, 'Username, email, and password are required');
    await expectApiError(admin.createUser({ username: 'has space', email: 'x@example.com', password: 'user-password-1' }), 400, /Username may contain/);
    await expectApiError(admin.createUser({ username: unique('u'), email: 'not-an-email', password: 'user-password-1' }), 400, /Email/);
    await expectApiError(admin.createUser({ username: unique('u'), email: 'a@example.com', password: 'short' }), 400, /at least 8/);
    const text = await http(`${server.adminUrl}/users`, bearer(admin.token!, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }));
    expect([text.status, text.json.message]).toEqual([400, 'Unsupported content type; expected application/x-www-form-urlencoded or application/json']);
    expect(text.json.success).toBe(false);
    const broken = await http(`${server.adminUrl}/users`, bearer(admin.token!, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":' }));
    expect(broken.status).toBe(400);
    const typed = await http(`${server.adminUrl}/users`, bearer(admin.token!, jsonBody({ username: 5, email: 'a@b.co', password: 'user-password-1' })));
    expect(typed.status).toBe(400);
    expect(typed.json.message).toMatch(/username/);
  });

  it('JSON routes follow the one body rule: form, malformed JSON or an array 400, no body 400', async () => {
    const u = await newUser();
    await expectJsonBodyRule(`${server.adminUrl}/users`, admin.token!);
    await expectJsonBodyRule(`${server.adminUrl}/users/${u.id}`, admin.token!, 'PUT');
    await expectJsonBodyRule(`${server.adminUrl}/users/${u.id}/set-lockout`, admin.token!);
  });

  it('pages with limit/offset, counts with X-Total-Count, and lists inactive users on request', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await newUser(unique(`page${i}`)));
    const first = await admin.listUsersPage({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.total).toBeGreaterThanOrEqual(4);
    const rest = await admin.listUsersPage({ limit: 1000, offset: 2 });
    expect(rest.items.length).toBe(first.total - 2);
    await admin.deactivateUser(created[0]!.id);
    expect((await admin.listUsers({ limit: 1000 })).map((u) => u.id)).not.toContain(created[0]!.id);
    expect((await admin.listUsers({ limit: 1000, include_inactive: true })).map((u) => u.id)).toContain(created[0]!.id);
    expect((await http(`${server.adminUrl}/users?limit=5000`, bearer(admin.token!))).status).toBe(400);
  });

  it('PUT applies partial bodies, the route id decides, conflicts are 400 and unknown ids 404', async () => {
    const u = await newUser();
    const v = await newUser();
    expect((await admin.updateUser(u.id, { email: 'New@Example.com' })).email).toBe('new@example.com');
    expect((await admin.getUser(u.id)).username).toBe(u.username);
    expect((await admin.updateUser(u.id, { email_verified: true })).email_verified).toBe(true);
    await expectApiError(admin.updateUser(u.id, { username: v.username }), 400, 'Username or email already in use by another user.');
    await expectApiError(admin.transport.request({ method: 'PUT', path: `/users/${u.id}`, body: { json: { id: v.id, email: 'z@example.com' } } }), 400, /route id/);
    await expectApiError(admin.updateUser('no-such-user', { email: 'a@example.com' }), 404);
  });

  it('verify-email, activate/deactivate (fixed), delete, reset', async () => {
    const u = await newUser();
    expect((await admin.verifyEmail(u.id)).message).toBe('Email marked as verified.');
    await expectApiError(admin.verifyEmail('nope'), 404);
    await expectApiError(admin.activateUser(u.id), 400, 'User is already active');
    expect((await admin.deactivateUser(u.id)).message).toBe(`User '${u.id}' deactivated.`);
    await expectApiError(admin.deactivateUser(u.id), 400, 'User is already inactive');
    await expectApiError(admin.resetPassword(u.id, 'another-pass-1'), 400, 'User not found or inactive');
    expect((await admin.activateUser(u.id)).message).toBe(`User '${u.id}' reactivated.`);
    await expectApiError(admin.activateUser('nope'), 404);
    expect((await admin.resetPassword(u.id, 'another-pass-1')).message).toBe(`Password for user '${u.id}' has been reset`);
    await expectApiError(admin.resetPassword(u.id, ''), 400);
    expect((await admin.deleteUser(u.id)).message).toBe(`Deleted user ${u.id}`);
    await expectApiError(admin.getUser(u.id), 404, 'User not found');
    await expectApiError(admin.deleteUser(u.id), 404);
  });

  it('deactivation and lockout revoke the user\'s sessions; null clears a lockout; unknown users are 404', async () => {
    const u = await newUser();
    const db = server.store();
    const session = (jti: string) => db.sessions.insert({ id: jti, userId: u.id, clientIdentifier: 'app', issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(), madUse: 'auth', loginMethod: 'pwd' });
    await session('s1'.padEnd(32, '0'));
    await admin.deactivateUser(u.id);
    expect((await db.sessions.get('s1'.padEnd(32, '0')))?.isRevoked).toBe(true);
    await admin.activateUser(u.id);
    await session('s2'.padEnd(32, '0'));
    expect((await admin.setLockout(u.id, '2999-01-01T00:00:00Z')).message).toMatch(/^User lockout set to 2999-01-01 00:00:00Z/);
    expect((await admin.getUser(u.id)).lockout_until).toBe('2999-01-01T00:00:00.000Z');
    expect((await db.sessions.get('s2'.padEnd(32, '0')))?.isRevoked).toBe(true);
    expect((await admin.setLockout(u.id, null)).message).toBe('User lockout cleared');
    expect((await admin.getUser(u.id)).lockout_until).toBeNull();
    await admin.setLockout(u.id, '2999-01-01T00:00:00Z');
    const omitted = await http(`${server.adminUrl}/users/${u.id}/set-lockout`, bearer(admin.token!, jsonBody({})));
    expect([omitted.status, omitted.json.message]).toEqual([200, 'User lockout cleared']);
    expect((await admin.getUser(u.id)).lockout_until).toBeNull();
    await expectApiError(admin.setLockout('nope', null), 404);
    await expectApiError(admin.setLockout(u.id, 'not a date'), 400);
  });

  it('never leaves the installation without an active administrator', async () => {
    const me = await admin.userIdByName(ADMIN_USERNAME);
    await expectApiError(admin.deactivateUser(me), 400, /last active administrator/);
    await expectApiError(admin.setLockout(me, '2999-01-01T00:00:00Z'), 400, /last active administrator/);
    await expectApiError(admin.deleteUser(me), 400, /last active administrator/);
    await expectApiError(admin.updateUser(me, { is_active: false }), 400, /last active administrator/);
  });

  it('refuses a missing token and an auth-plane token with 401', async () => {
    expect((await http(`${server.adminUrl}/users`)).status).toBe(401);
    const db = server.store();
    const row = (await db.signingKeys.listPublished('auth')).find((k) => k.status === 'current')!;
    const { importPKCS8, SignJWT } = await import('jose');
    const iat = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ iss: `http://${server.config.authDomain}`, sub: 'x', jti: 'y', iat, exp: iat + 60, mad: 'admin', aud: 'microauthd-admin' })
      .setProtectedHeader({ alg: row.alg, kid: row.kid }).sign(await importPKCS8(row.privateKeyPem, row.alg));
    expect((await http(`${server.adminUrl}/users`, bearer(forged))).status).toBe(401);
  });
});
