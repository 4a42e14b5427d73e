import { api, type Json } from '../api.js';
import { command, group } from '../command.js';
import { UsageError } from '../errors.js';
import { options, required, s } from '../options.js';

const create = command<{ name: string; description?: string }>('create', 'Create a role', options(['name'], ['description']), async (a, cli) => {
  const r = await api.createRole(cli.client(), a.name, a.description ?? '');
  cli.out.result(r, () => `Created role ${s(r.name)} with ID: ${s(r.id)}`, s(r.id));
});

const update = command<{ id: string; name?: string; description?: string }>('update', 'Update a role', options(['id'], ['name', 'description']),
  async (a, cli) => {
    const body: Json = {};
    if (a.name !== undefined) body.name = a.name;
    if (a.description !== undefined) body.description = a.description;
    if (!Object.keys(body).length) throw new UsageError('You must provide at least one field to update.');
    const r = await api.updateRole(cli.client(), a.id, body);
    cli.out.result(r, () => `Role updated: ${s(r.name)}`);
  });

const list = command('list', 'List roles', (y) => y as never, async (_a, cli) => {
  const { items } = await api.listRoles(cli.client());
  cli.out.list(items, [{ header: 'Id', value: (r) => r.id }, { header: 'Name', value: (r) => r.name },
    { header: 'Protected', value: (r) => r.is_protected }, { header: 'Description', value: (r) => r.description }], '(no roles)');
});

const get = command<{ id: string }>('get', 'Show a role', required('id'), async (a, cli) => {
  const r = await api.getRole(cli.client(), a.id);
  cli.out.result(r, () => [`Id:          ${s(r.id)}`, `Name:        ${s(r.name)}`, `Description: ${s(r.description)}`,
    `Protected:   ${r.is_protected ? 'True' : 'False'}`]);
});

const remove = command<{ id: string }>('delete', 'Delete a role', required('id'), async (a, cli) => {
  const res = await api.deleteRole(cli.client(), a.id);
  cli.out.result(res, () => `Deleted role ${a.id}`);
});

const assign = command<{ 'user-id': string; 'role-id': string }>('assign', 'Assign a role to a user', required('user-id', 'role-id'), async (a, cli) => {
  const res = await api.assignRole(cli.client(), a['user-id'], a['role-id']);
  cli.out.result(res, () => `Assigned role ${a['role-id']} to user ${a['user-id']}`);
});

const unassign = command<{ 'user-id': string; 'role-id': string }>('unassign', 'Remove a role from a user', required('user-id', 'role-id'), async (a, cli) => {
  const res = await api.unassignRole(cli.client(), a['user-id'], a['role-id']);
  cli.out.result(res, () => `Removed role ${a['role-id']} from user ${a['user-id']}`);
});

const idByName = command<{ name: string }>('id-by-name', 'Print the id of a role by name', required('name'), async (a, cli) => {
  const found = await api.roleIdByName(cli.client(), a.name);
  cli.out.result(found, () => found);
});

export const roleCommands = group('role', 'Manage roles', [create, update, list, get, remove, assign, unassign, idByName] as never[]);
