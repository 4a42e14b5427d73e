import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdminClient } from '../../bindings/typescript/index.js';
import { sha256Digest } from '../../src/crypto/secrets.js';
import { failure, SEEDED_SCOPES, startAdminServer } from '../helpers/admin-b.js';
import { bearer, expectJsonBodyRule, form, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

/** A user, a session and a refresh token issued to `clientIdentifier`, arranged in the database. */
async function issueTokensFor(clientIdentifier: string) {
  const db = server.store();
  const userId = crypto.randomUUID();
  await db.users.create({ id: userId, username: `u-${userId.slice(0, 8)}`, email: `${userId.slice(0, 8)}@example.com`, passwordHash: 'x' });
  const jti = crypto.randomUUID().replaceAll('-', '');
  const now = new Date();
  const later = new Date(now.getTime() + 3600_000).toISOString();
  const refreshId = crypto.randomUUID();
  await db.refreshTokens.issueWithSession(
    { id: jti, userId, clientIdentifier, issuedAt: now.toISOString(), expiresAt: later, madUse: 'auth', loginMethod: 'pwd' },
    { id: refreshId, tokenSha256: sha256Digest(refreshId), familyId: crypto.randomUUID(), expiresAt: later },
  );
  return { db, jti, refreshId };
}

describe('clients', () => {
  it('creates a client with an admin secret (argon2id) and answers a ClientObject', async () => {
    const c = await admin.createClient({ client_id: 'web-app', client_secret: 'longenough', display_name: 'Web', audience: 'api' });
    expect(c).toMatchObject({ client_id: 'web-app', display_name: 'Web', audience: 'api', is_active: true });
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(c.created_at)).not.toBeNaN();
    expect(c.client_secret).toBeUndefined();
    const row = await server.store().clients.getById(c.id);
    expect(row?.secretKind).toBe('argon2id');
    expect(row?.secretHash.startsWith('$argon2id$')).toBe(true);
    expect((await server.store().audit.list({ action: 'create_client' })).rows[0]?.target).toBe('web-app');
  });

  it('generates a URL-safe secret when none is given, returns it once and stores its SHA-256; audience defaults to microauthd', async () => {
    const c = await admin.createClient({ client_id: 'gen-secret' });
    expect(c.audience).toBe('microauthd');
    expect(c.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await server.store().clients.getById(c.id);
    expect(row).toMatchObject({ secretKind: 'sha256', secretHash: sha256Digest(c.client_secret as string) });
    expect((await admin.getClient(c.id)).client_secret).toBeUndefined();
  });

  it('refuses bad identifiers, short secrets and duplicates with 400', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(101)]) {
      const e = await failure(admin.createClient({ client_id: bad }));
      expect([e.status, e.message]).toEqual([400, 'Invalid client_id']);
    }
    expect((await failure(admin.createClient({ client_id: 'shorty', client_secret: 'short' }))).status).toBe(400);
    await admin.createClient({ client_id: 'dup-client' });
    const e = await failure(admin.createClient({ client_id: 'dup-client' }));
    expect([e.status, e.message]).toEqual([400, 'Client creation failed (duplicate client_id?)']);
  });

  it('rejects malformed JSON, a form body, a missing token and an auth-plane token', async () => {
    const url = `${server.adminUrl}/clients`;
    const token = admin.token as string;
    const malformed = await http(url, bearer(token, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"client_id":' }));
    expect([malformed.status, malformed.json.success]).toEqual([400, false]);
    const asForm = await http(url, bearer(token, form({ client_id: 'formy' })));
    expect([asForm.status, asForm.json.success]).toEqual([400, false]);
    const notObject = await http(url, bearer(token, jsonBody([1, 2])));
    expect(notObject.status).toBe(400);
    const ill = await http(url, bearer(token, jsonBody({ client_id: 42 })));
    expect(ill.status).toBe(400);
    await expectJsonBodyRule(url, token);
    await expectJsonBodyRule(`${server.adminUrl}/clients/secret`, token);
    expect((await http(url)).status).toBe(401);
    const anon = new AdminClient(server.adminUrl);
    expect((await failure(anon.listClients())).status).toBe(401);
    // A token of the other plane: the auth plane's own token shape, signed by a key the admin plane does not trust.
    const authKey = (await server.store().signingKeys.listPublished('auth')).find((k) => k.status === 'current');
    const { importPKCS8, SignJWT } = await import('jose');
    const iat = Math.floor(Date.now() / 1000);
    const authToken = await new SignJWT({ iss: 'http://127.0.0.1', sub: 'x', jti: 'y', iat, exp: iat + 60, mad: 'auth' })
      .setProtectedHeader({ alg: authKey!.alg, kid: authKey!.kid }).sign(await importPKCS8(authKey!.privateKeyPem, authKey!.alg));
    expect((await failure(new AdminClient({ baseUrl: server.adminUrl, token: authToken }).listClients())).status).toBe(401);
  });

  it('lists with X-Total-Count and paging, gets by internal id or identifier, id-by-name answers a bare string', async () => {
    const page = await admin.listClientsPage({ limit: 2 });
    expect(page.items.length).toBe(2);
    expect(page.total).toBeGreaterThanOrEqual(3);
    const all = await admin.listClients();
    expect(all.length).toBe(page.total);
    const web = all.find((c) => c.client_id === 'web-app')!;
    expect(await admin.getClient('web-app')).toEqual(web);
    expect(await admin.getClient(web.id)).toEqual(web);
    const raw = await http(`${server.adminUrl}/clients/id-by-name/web-app`, bearer(admin.token as string));
    expect(raw.text).toBe(JSON.stringify(web.id));
    expect(await admin.getClientIdByName('web-app')).toBe(web.id);
    const e1 = await failure(admin.getClientIdByName('nope'));
    expect([e1.status, e1.message]).toEqual([404, 'Client not found']);
    const e2 = await failure(admin.getClient('nope'));
    expect([e2.status, e2.message]).toEqual([404, "Client 'nope' not found."]);
  });

  it('updates partially; a taken identifier is 400; deactivation is honoured and revokes the client tokens', async () => {
    const c = await admin.createClient({ client_id: 'upd-me', display_name: 'Before' });
    const u = await admin.updateClient(c.id, { display_name: 'After' });
    expect(u).toMatchObject({ client_id: 'upd-me', display_name: 'After', audience: 'microauthd', is_active: true });
    const e = await failure(admin.updateClient(c.id, { client_id: 'web-app' }));
    expect([e.status, e.message]).toEqual([400, 'Another client already uses that identifier.']);
    expect((await failure(admin.updateClient(c.id, { client_id: 'bad id' }))).message).toBe('Client identifier is not valid.');
    expect((await failure(admin.updateClient('missing', { display_name: 'x' }))).status).toBe(404);
    const { db, jti, refreshId } = await issueTokensFor('upd-me');
    expect((await admin.updateClient('upd-me', { is_active: false })).is_active).toBe(false);
    expect((await db.sessions.get(jti))?.isRevoked).toBe(true);
    expect((await db.refreshTokens.get(refreshId))?.isRevoked).toBe(true);
  });

  it('changes a secret (given or generated), revoking the client tokens; unknown is 404', async () => {
    const c = await admin.createClient({ client_id: 'rotate-secret', client_secret: 'firstsecret' });
    const { db, jti } = await issueTokensFor('rotate-secret');
    const generated = await admin.changeClientSecret(c.id);
    expect(generated.success).toBe(true);
    expect(generated.message).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await db.clients.getById(c.id))).toMatchObject({ secretKind: 'sha256', secretHash: sha256Digest(generated.message) });
    expect((await db.sessions.get(jti))?.isRevoked).toBe(true);
    expect((await admin.changeClientSecret('rotate-secret', 'a-new-admin-secret')).message).toBe('a-new-admin-secret');
    expect((await db.clients.getById(c.id))?.secretKind).toBe('argon2id');
    const audit = (await db.audit.list({ action: 'client_secret_changed' })).rows;
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain('a-new-admin-secret');
    expect((await failure(admin.changeClientSecret('missing'))).status).toBe(404);
  });

  it('an admin-supplied secret: at least 8 characters; argon2id once, then served from the verification cache until it changes', async () => {
    expect((await failure(admin.createClient({ client_id: 'seven-chars', client_secret: '1234567' }))).message).toBe('Client secret must be at least 8 characters');
    await admin.createClient({ client_id: 'eight-chars', client_secret: '12345678' });
    const machine = (secret: string) => http(`${server.authUrl}/token`, form({ grant_type: 'client_credentials', client_id: 'eight-chars', client_secret: secret }));
    // Counted in-process (the server's hasher calls argon2.verify): client_credentials checks no user password.
    const spy = vi.spyOn(argon2, 'verify');
    try {
      const verifies = async (secret: string, status: number) => {
        spy.mockClear();
        expect((await machine(secret)).status).toBe(status);
        return spy.mock.calls.length;
      };
      expect(await verifies('12345678', 200)).toBe(1);
      expect(await verifies('12345678', 200)).toBe(0);
      expect(await verifies('12345678', 200)).toBe(0);
      // Failures are never cached: each wrong secret pays argon2 again.
      expect(await verifies('87654321', 401)).toBe(1);
      expect(await verifies('87654321', 401)).toBe(1);
      await admin.changeClientSecret('eight-chars', 'another-secret');
      expect(await verifies('12345678', 401)).toBe(1);
      expect(await verifies('another-secret', 200)).toBe(1);
      expect(await verifies('another-secret', 200)).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers that can carry a client secret are not cacheable: Cache-Control no-store, Pragma no-cache', async () => {
    const token = admin.token as string;
    const created = await http(`${server.adminUrl}/clients`, bearer(token, jsonBody({ client_id: 'no-store-app' })));
    expect(created.json.client_secret).toBeTruthy();
    const changed = await http(`${server.adminUrl}/clients/secret`, bearer(token, jsonBody({ client_id: 'no-store-app' })));
    for (const r of [created, changed]) {
      expect([r.status, r.headers.get('cache-control'), r.headers.get('pragma')]).toEqual([200, 'no-store', 'no-cache']);
    }
  });

  it('deletes by internal id or identifier, revoking sessions and refresh tokens; unknown is 404', async () => {
    const a = await admin.createClient({ client_id: 'del-by-id' });
    await admin.createClient({ client_id: 'del-by-name' });
    const { db, jti, refreshId } = await issueTokensFor('del-by-name');
    expect((await admin.deleteClient(a.id)).message).toBe(`Client '${a.id}' deleted`);
    expect((await admin.deleteClient('del-by-name')).message).toBe("Client 'del-by-name' deleted");
    expect((await db.sessions.get(jti))?.isRevoked).toBe(true);
    expect((await db.refreshTokens.get(refreshId))?.isRevoked).toBe(true);
    expect((await failure(admin.getClient('del-by-name'))).status).toBe(404);
    expect((await failure(admin.deleteClient('del-by-name'))).status).toBe(404);
    expect((await db.audit.list({ action: 'delete_client' })).total).toBe(2);
  });
});

describe('client scopes', () => {
  it('assigns, lists and removes scopes; empty, unknown and duplicate assignments are 400', async () => {
    await admin.createClient({ client_id: 'scoped' });
    expect((await admin.assignClientScopes('scoped', [SEEDED_SCOPES.provisionUsers, SEEDED_SCOPES.resetPasswords])).message)
      .toBe('Assigned 2 scope(s) to client.');
    const scopes = await admin.listClientScopes('scoped');
    expect(scopes.map((s) => s.name)).toEqual(['admin:provision_users', 'admin:reset_passwords']);
    expect(scopes[0]).toMatchObject({ is_active: true, is_protected: true });
    expect(scopes[0]).toHaveProperty('desc');
    expect((await failure(admin.assignClientScopes('scoped', []))).message).toBe('At least one scope ID is required');
    expect((await failure(admin.assignClientScopes('scoped', [SEEDED_SCOPES.provisionUsers]))).message)
      .toBe('No scopes were assigned. Check scope IDs or duplicates.');
    expect((await failure(admin.assignClientScopes('scoped', ['no-such-scope']))).status).toBe(400);
    expect((await failure(admin.assignClientScopes('missing', [SEEDED_SCOPES.provisionUsers]))).status).toBe(404);
    const removed = await admin.removeClientScope('scoped', SEEDED_SCOPES.provisionUsers);
    expect(removed.message).toBe(`Removed scope '${SEEDED_SCOPES.provisionUsers}' from client 'scoped'`);
    expect((await failure(admin.removeClientScope('scoped', SEEDED_SCOPES.provisionUsers))).message).toBe('Scope not assigned or already removed');
    expect((await admin.listClientScopes('scoped')).length).toBe(1);
    const listed = await http(`${server.adminUrl}/clients/scoped/scopes`, bearer(admin.token as string));
    expect([listed.json.length, listed.headers.get('x-total-count')]).toEqual([1, '1']);
    const bad = await http(`${server.adminUrl}/clients/scoped/scopes`, bearer(admin.token as string, jsonBody({ scope_ids: 'x' })));
    expect(bad.status).toBe(400);
  });
});
