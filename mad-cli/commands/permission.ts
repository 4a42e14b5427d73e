import { api } from '../api.js';
import { command, group } from '../command.js';
import { UsageError } from '../errors.js';
import { options, required, s } from '../options.js';

const columns = [{ header: 'Id', value: (p: Record<string, unknown>) => p.id }, { header: 'Name', value: (p: Record<string, unknown>) => p.name }];

const create = command<{ name: string }>('create', 'Create a permission', required('name'), async (a, cli) => {
  const p = await api.createPermission(cli.client(), a.name);
  cli.out.result(p, () => `Created permission ${s(p.name)} with ID: ${s(p.id)}`, s(p.id));
});

const update = command<{ id: string; name?: string }>('update', 'Rename a permission', options(['id'], ['name']), async (a, cli) => {
  if (a.name === undefined) throw new UsageError('You must provide at least one field to update.');
  const p = await api.updatePermission(cli.client(), a.id, { id: a.id, name: a.name });
  cli.out.result(p, () => `Permission updated: ${s(p.name)}`);
});

const list = command('list', 'List permissions', (y) => y as never, async (_a, cli) => {
  cli.out.list((await api.listPermissions(cli.client())).items, columns, '(no permissions)');
});

const get = command<{ id: string }>('get', 'Show a permission', required('id'), async (a, cli) => {
  const p = await api.getPermission(cli.client(), a.id);
  cli.out.result(p, () => [`Id:   ${s(p.id)}`, `Name: ${s(p.name)}`]);
});

const remove = command<{ id: string }>('delete', 'Delete a permission', required('id'), async (a, cli) => {
  const res = await api.deletePermission(cli.client(), a.id);
  cli.out.result(res, () => `Deleted permission ${a.id}`);
});

const assign = command<{ 'role-id': string; 'permission-id': string }>('assign', 'Give a role a permission', required('role-id', 'permission-id'),
  async (a, cli) => {
    await api.assignPermission(cli.client(), a['role-id'], a['permission-id']);
    cli.out.message('Permissions assigned.');
  });

const removeFromRole = command<{ 'role-id': string; 'permission-id': string }>('remove', 'Take a permission from a role', required('role-id', 'permission-id'),
  async (a, cli) => {
    await api.removePermission(cli.client(), a['role-id'], a['permission-id']);
    cli.out.message('Permission removed.');
  });

const listForRole = command<{ 'role-id': string }>('list-for-role', 'Permissions of a role', required('role-id'), async (a, cli) => {
  cli.out.list((await api.rolePermissions(cli.client(), a['role-id'])).items, columns, '(no permissions)');
});

const listForUser = command<{ 'user-id': string }>('list-for-user', 'Effective permissions of a user', required('user-id'), async (a, cli) => {
  cli.out.list((await api.userPermissions(cli.client(), a['user-id'])).items, columns, '(no permissions)');
});

const checkAccess = command<{ 'user-id': string; 'permission-id': string }>('check-access', 'Does a user have a permission?',
  required('user-id', 'permission-id'), async (a, cli) => {
    const res = await api.checkAccess(cli.client(), a['user-id'], a['permission-id']);
    cli.out.message(res.allowed ? 'User has permission.' : 'User does NOT have permission.');
  });

const idByName = command<{ name: string }>('id-by-name', 'Print the id of a permission by name', required('name'), async (a, cli) => {
  const found = await api.permissionIdByName(cli.client(), a.name);
  cli.out.result(found, () => found);
});

export const permissionCommands = group('permission', 'Manage permissions', [create, update, list, get, remove, assign, removeFromRole,
  listForRole, listForUser, checkAccess, idByName] as never[]);
