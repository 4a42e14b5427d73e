import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { expectApiError, startAdminServer, unique } from '../helpers/admin.js';
import { bearer, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

const READ_USER = '1f4610fe-0cb2-4119-bd69-9b6033326998';
let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

describe('scopes', () => {
  it('create (desc optional), get, list, id-by-name, update, delete with real fields', async () => {
    const s = await admin.transport.request<{ id: string; name: string; desc: string; is_active: boolean; is_protected: boolean; created_at: string }>({
      method: 'POST', path: '/scopes', body: { json: { name: unique('orders.read.') } } });
    expect(s).toMatchObject({ desc: '', is_active: true, is_protected: false });
    expect(await admin.getScope(s.id)).toEqual(s);
    expect(await admin.scopeIdByName(s.name)).toBe(s.id);
    expect((await admin.listScopes()).map((x) => x.id)).toContain(s.id);
    expect((await admin.updateScope(s.id, { desc: 'Read orders' })).desc).toBe('Read orders');
    const renamed = unique('orders.list.');
    expect((await admin.updateScope(s.id, { name: renamed })).name).toBe(renamed);
    expect((await admin.deleteScope(s.id)).message).toBe(`Scope '${s.id}' deleted`);
    await expectApiError(admin.getScope(s.id), 404, `Scope '${s.id}' not found.`);
    await expectApiError(admin.scopeIdByName('nope'), 404, 'Scope not found');
  });

  it('scope names are normalized the same way on create, update and id-by-name (security.md)', async () => {
    const name = unique('trim.read.');
    const s = await admin.createScope(` ${name} `);
    expect(s.name).toBe(name);
    expect(await admin.scopeIdByName(` ${name} `)).toBe(s.id);
    expect((await admin.updateScope(s.id, { name: ` ${name}.x ` })).name).toBe(`${name}.x`);
    expect(await admin.scopeIdByName(`\t${name}.x `)).toBe(s.id);
  });

  it('refuses bad names, duplicates, and changes to protected scopes', async () => {
    await expectApiError(admin.createScope('has space'), 400, /Invalid scope name/);
    await expectApiError(admin.createScope(''), 400, /Invalid scope name/);
    const s = await admin.createScope(unique('dup.'));
    await expectApiError(admin.createScope(s.name), 400, /duplicate/);
    const t = await admin.createScope(unique('other.'));
    await expectApiError(admin.updateScope(t.id, { name: s.name }), 400, 'Another scope already uses that name.');
    await expectApiError(admin.updateScope(t.id, { name: 'bad name' }), 400, 'Scope name must be a valid token identifier.');
    await expectApiError(admin.deleteScope(READ_USER), 400, /Protected/);
    await expectApiError(admin.updateScope(READ_USER, { name: 'admin:renamed' }), 400, /Protected/);
    await expectApiError(admin.updateScope(READ_USER, { is_protected: false }), 400, /Protected/);
    expect((await admin.getScope(READ_USER)).is_protected).toBe(true);
  });

  it('no seeded protected row can be deleted, renamed (case or spacing included) or unprotected, through any route shape', async () => {
    const seeded: [string, string][] = [
      ['d0955db1-67f7-4a7b-a9bb-ffbef4f0d2bd', 'admin:provision_users'], ['2192998b-c3d3-4274-9a25-4a4195ba2ec7', 'admin:reset_passwords'],
      ['31c00aae-4136-4a8c-92a6-d2bbf4be2d35', 'admin:deactivate_users'], [READ_USER, 'admin:read_user'],
      ['b6348575-83ec-4288-801b-e0d2da20569c', 'admin:list_users'],
    ];
    const token = admin.token!;
    for (const [id, name] of seeded) {
      await expectApiError(admin.deleteScope(id), 400, /Protected/);
      for (const renamed of ['admin:renamed', name.toUpperCase(), `${name}2`]) await expectApiError(admin.updateScope(id, { name: renamed }), 400, /Protected/);
      await expectApiError(admin.updateScope(id, { is_protected: false }), 400, /Protected/);
      const put = await http(`${server.adminUrl}/scopes/${id}`, bearer(token, jsonBody({ name: 'admin:other', desc: 'x', is_protected: false }, 'PUT')));
      expect(put.status, name).toBe(400);
      expect(await admin.getScope(id)).toMatchObject({ id, name, is_protected: true });
    }
    const MAD_ADMIN = '3855db1d-465e-412b-b1f4-b5cd78b4ae9f';
    for (const renamed of ['madadmin', 'MadAdmin2', 'Administrators']) await expectApiError(admin.updateRole(MAD_ADMIN, { name: renamed }), 400, /Protected/);
    await expectApiError(admin.deleteRole(MAD_ADMIN), 400, /Protected/);
    expect((await http(`${server.adminUrl}/roles/${MAD_ADMIN}`, bearer(token, { method: 'DELETE' }))).status).toBe(400);
    expect(await admin.getRole(MAD_ADMIN)).toMatchObject({ name: 'MadAdmin', is_protected: true });
    expect((await admin.listScopes()).filter((s) => s.is_protected).map((s) => s.id).sort()).toEqual(seeded.map(([id]) => id).sort());
  });

  it('assigns scopes to users, lists and removes them', async () => {
    const name = unique('su');
    const u = await admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    const s = await admin.createScope(unique('profile.'));
    expect((await admin.assignUserScopes(u.id, [s.id, READ_USER])).message).toBe('Assigned 2 scope(s) to user.');
    await expectApiError(admin.assignUserScopes(u.id, [s.id]), 400, /No scopes were assigned/);
    await expectApiError(admin.assignUserScopes(u.id, []), 400, 'At least one scope ID is required');
    await expectApiError(admin.assignUserScopes('nope', [s.id]), 404);
    expect((await admin.userScopes(u.id)).map((x) => x.name).sort()).toEqual(['admin:read_user', s.name].sort());
    expect((await admin.removeUserScope(u.id, s.id)).message).toBe(`Removed scope '${s.id}' from user '${u.id}'.`);
    await expectApiError(admin.removeUserScope(u.id, s.id), 400, 'Scope not assigned or already removed');
    expect((await server.store().audit.list({ action: 'assign_scope_to_user' })).total).toBe(1);
  });
});
