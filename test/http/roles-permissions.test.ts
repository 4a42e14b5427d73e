import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { expectApiError, startAdminServer, unique } from '../helpers/admin.js';
import { arrange } from '../helpers/arrange.js';
import { bearer, expectJsonBodyRule, form, http } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type TestServer } from '../helpers/server.js';

const MAD_ADMIN = '3855db1d-465e-412b-b1f4-b5cd78b4ae9f';
let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

const newUser = async () => {
  const name = unique('rp');
  return admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
};

describe('roles', () => {
  it('create, get, list, id-by-name, update, delete', async () => {
    const r = await admin.createRole(unique('role-'), 'first');
    expect(r).toMatchObject({ description: 'first', is_protected: false, is_active: true });
    expect(await admin.getRole(r.id)).toEqual(r);
    expect((await admin.listRoles()).map((x) => x.id)).toContain(r.id);
    expect(await admin.roleIdByName(r.name)).toBe(r.id);
    expect((await admin.updateRole(r.id, { description: 'second' })).description).toBe('second');
    expect((await admin.updateRole(r.id, { name: `${r.name}-x` })).name).toBe(`${r.name}-x`);
    expect((await admin.deleteRole(r.id)).message).toBe(`Role '${r.id}' deleted`);
    await expectApiError(admin.getRole(r.id), 404, `Role '${r.id}' not found.`);
    await expectApiError(admin.deleteRole(r.id), 404);
    await expectApiError(admin.roleIdByName('no-such-role'), 404, 'Role not found');
  });

  it('refuses duplicates, blank names, protecting and touching the protected MadAdmin role', async () => {
    const r = await admin.createRole(unique('dup-'));
    await expectApiError(admin.createRole(r.name), 400, /already exists/);
    await expectApiError(admin.createRole('  '), 400, 'Role name is required');
    const other = await admin.createRole(unique('other-'));
    await expectApiError(admin.updateRole(other.id, { name: r.name }), 400, 'Another role already uses that name.');
    await expectApiError(admin.updateRole(r.id, { is_protected: true }), 400, 'Cannot mark a role as protected through this API.');
    await expectApiError(admin.deleteRole(MAD_ADMIN), 400, /Protected/);
    await expectApiError(admin.updateRole(MAD_ADMIN, { name: 'Renamed' }), 400, /Protected/);
    await expectApiError(admin.updateRole(MAD_ADMIN, { is_protected: false }), 400, /Protected/);
    expect((await admin.getRole(MAD_ADMIN)).name).toBe('MadAdmin');
  });

  it('assignment is idempotent (one row), unassign, role ids of a user, replace, all', async () => {
    const u = await newUser();
    const r = await admin.createRole(unique('assign-'));
    await admin.assignRole(u.id, r.id);
    await Promise.all([admin.assignRole(u.id, r.id), admin.assignRole(u.id, r.id), admin.assignRole(u.id, r.id)]);
    expect(await admin.roleIdsOfUser(u.id)).toEqual([r.id]);
    expect(await admin.userRoles(u.id)).toEqual([{ id: r.id, name: r.name }]);
    expect((await admin.userRoles(u.id, true)).map((x) => x.id)).toEqual(expect.arrayContaining([r.id, MAD_ADMIN]));
    expect((await admin.replaceUserRoles(u.id, [])).message).toBe('Roles updated.');
    expect(await admin.roleIdsOfUser(u.id)).toEqual([]);
    await admin.replaceUserRoles(u.id, [{ id: r.id, name: r.name }]);
    expect((await admin.unassignRole(u.id, r.id)).message).toBe(`Removed role '${r.id}' from user '${u.id}'`);
    await expectApiError(admin.unassignRole(u.id, r.id), 400);
    await expectApiError(admin.assignRole(u.id, 'no-such-role'), 404);
    await expectApiError(admin.assignRole('', r.id), 400, 'User Id and Role Id are required');
    await expectApiError(admin.replaceUserRoles(u.id, [{ id: 'no-such-role', name: 'x' }]), 404);
    const bad = await http(`${server.adminUrl}/users/${u.id}/roles`, bearer(admin.token!, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"id":1}' }));
    expect(bad.status).toBe(400);
    const asForm = await http(`${server.adminUrl}/users/${u.id}/roles`, bearer(admin.token!, { ...form({ id: r.id }), method: 'PUT' }));
    expect([asForm.status, asForm.json.success]).toEqual([400, false]);
    await expectApiError(admin.transport.request({ method: 'GET', path: `/users/${u.id}/roles`, query: { all: 'maybe' } }), 400);
    await expectJsonBodyRule(`${server.adminUrl}/roles/assign`, admin.token!);
  });

  it('keeps MadAdmin on the last active administrator', async () => {
    const me = await admin.userIdByName('root');
    await expectApiError(admin.unassignRole(me, MAD_ADMIN), 400, /last active administrator/);
    await expectApiError(admin.replaceUserRoles(me, []), 400, /last active administrator/);
  });
});

describe('the admin role is known by its fixed id, not by its name (security.md "Admin plane")', () => {
  it('a role that takes the name MadAdmin gives no admin token; the seeded role keeps working under another name', async () => {
    const own = await startAdminServer();
    const a = arrange(own.server);
    try {
      // Only a direct database edit can rename the protected role (the API refuses: see above).
      a.db.prepare('UPDATE roles SET name = ? WHERE id = ?').run('SeededAdminRenamed', MAD_ADMIN);
      const impostor = await own.admin.createRole('MadAdmin', 'same name, another id');
      expect(impostor.id).not.toBe(MAD_ADMIN);
      const name = unique('impostor');
      const u = await own.admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
      await own.admin.assignRole(u.id, impostor.id);
      const login = (username: string, password: string) =>
        http(`${own.server.adminUrl}/token`, form({ username, password, client_id: 'admin' }));
      const refused = await login(name, 'user-password-1');
      expect([refused.status, refused.json]).toEqual([403, { success: false, message: 'Invalid credentials' }]);
      const root = await login(ADMIN_USERNAME, ADMIN_PASSWORD);
      expect(root.status).toBe(200);
      expect(JSON.parse(Buffer.from(root.json.access_token.split('.')[1], 'base64url').toString()).roles).toEqual(['SeededAdminRenamed']);
      // The fixed id, given to the same user, is what opens the admin plane.
      await own.admin.assignRole(u.id, MAD_ADMIN);
      expect((await login(name, 'user-password-1')).status).toBe(200);
    } finally {
      a.close();
      await own.server.close();
    }
  });
});

describe('permissions and access checks', () => {
  it('create (unique names), update, list, get, id-by-name, delete', async () => {
    const p = await admin.createPermission(unique('perm-'));
    await expectApiError(admin.createPermission(p.name), 400, /already exists/);
    await expectApiError(admin.createPermission(''), 400, 'Permission name is required');
    expect(await admin.getPermission(p.id)).toEqual(p);
    expect(await admin.permissionIdByName(p.name)).toBe(p.id);
    const renamed = unique('perm2-');
    expect(await admin.updatePermission(p.id, renamed)).toEqual({ id: p.id, name: renamed });
    const q = await admin.createPermission(unique('perm3-'));
    await expectApiError(admin.updatePermission(q.id, renamed), 400, 'Another permission already uses that name.');
    await expectApiError(admin.updatePermission('nope', unique('x')), 404);
    expect((await admin.listPermissions()).map((x) => x.id)).toEqual(expect.arrayContaining([p.id, q.id]));
    expect((await admin.allPermissionDtos()).map((x) => x.id)).toContain(p.id);
    expect((await admin.deletePermission(q.id)).message).toBe(`Permission '${q.id}' deleted`);
    await expectApiError(admin.getPermission(q.id), 404, `Permission '${q.id}' not found.`);
    await expectApiError(admin.permissionIdByName('nope'), 404, 'Permission not found');
  });

  it('PUT with a partial body keeps the name (contract.md); null keeps it too; an empty name is still 400', async () => {
    const p = await admin.createPermission(unique('keep-'));
    const put = (body: unknown, id = p.id) => http(`${server.adminUrl}/permissions/${id}`,
      bearer(admin.token!, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
    for (const body of [{}, { name: null }]) {
      const r = await put(body);
      expect([r.status, r.json], JSON.stringify(body)).toEqual([200, { id: p.id, name: p.name }]);
    }
    expect((await put({}, 'no-such-permission')).status).toBe(404);
    expect([(await put({ name: ' ' })).status, (await put({ name: ' ' })).json.message]).toEqual([400, 'Permission name is required.']);
    expect(await admin.getPermission(p.id)).toEqual(p);
  });

  it('names are trimmed the same way on create, update and id-by-name', async () => {
    const name = unique('trim-');
    const p = await admin.createPermission(` ${name} `);
    expect(p.name).toBe(name);
    expect(await admin.permissionIdByName(` ${name} `)).toBe(p.id);
    const r = await admin.createRole(` ${name} `);
    expect(r.name).toBe(name);
    expect(await admin.roleIdByName(` ${name} `)).toBe(r.id);
    expect((await admin.updateRole(r.id, { name: ` ${name}-2 ` })).name).toBe(`${name}-2`);
    expect(await admin.roleIdByName(`${name}-2 `)).toBe(r.id);
  });

  it('role permissions give users access; check-access follows role assignment', async () => {
    const u = await newUser();
    const r = await admin.createRole(unique('access-'));
    const p = await admin.createPermission(unique('read-'));
    expect((await admin.checkAccess(u.id, p.id)).allowed).toBe(false);
    expect((await admin.assignPermission(r.id, p.id)).message).toBe(`Permission assigned to role ${r.id}`);
    await admin.assignPermission(r.id, p.id);
    expect(await admin.rolePermissions(r.id)).toEqual([p]);
    expect(await admin.permissionDtosOfRole(r.id)).toEqual([p]);
    await admin.assignRole(u.id, r.id);
    expect(await admin.userPermissions(u.id)).toEqual([p]);
    expect(await admin.checkAccess(u.id, p.id)).toEqual({ user_id: u.id, permission_id: p.id, allowed: true });
    expect((await admin.removePermission(r.id, p.id)).message).toBe(`Permission '${p.id}' removed from role '${r.id}'`);
    await expectApiError(admin.removePermission(r.id, p.id), 400);
    expect((await admin.checkAccess(u.id, p.id)).allowed).toBe(false);
    await expectApiError(admin.checkAccess('', p.id), 400, 'User Id and Permission Id are required');
    await expectApiError(admin.assignPermission(r.id, 'nope'), 404);
    await expectApiError(admin.assignPermission('nope', p.id), 404);
  });
});
