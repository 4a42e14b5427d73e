import { api, type Json } from '../api.js';
import { command, group } from '../command.js';
import { UsageError } from '../errors.js';
import { options, required, s, type Y } from '../options.js';

const columns = [{ header: 'Id', value: (x: Json) => x.id }, { header: 'Name', value: (x: Json) => x.name }, { header: 'Description', value: (x: Json) => x.desc }];
const scopeIds = (y: Y) => y.option('scope-id', { type: 'string', array: true, demandOption: true, describe: 'Scope id (repeatable)' });

const create = command<{ name: string; description?: string }>('create', 'Create a scope', options(['name'], ['description']), async (a, cli) => {
  const sc = await api.createScope(cli.client(), a.name, a.description ?? '');
  cli.out.result(sc, () => `Created scope ${s(sc.name)} with ID: ${s(sc.id)}`, s(sc.id));
});

const update = command<{ id: string; name?: string; description?: string }>('update', 'Update a scope', options(['id'], ['name', 'description']),
  async (a, cli) => {
    const body: Json = {};
    if (a.name !== undefined) body.name = a.name;
    if (a.description !== undefined) body.desc = a.description;
    if (!Object.keys(body).length) throw new UsageError('You must provide at least one field to update.');
    const sc = await api.updateScope(cli.client(), a.id, body);
    cli.out.result(sc, () => `Scope updated: ${s(sc.name)}`);
  });

const list = command('list', 'List scopes', (y) => y as never, async (_a, cli) => {
  cli.out.list((await api.listScopes(cli.client())).items, columns, '(no scopes)');
});

const get = command<{ id: string }>('get', 'Show a scope', required('id'), async (a, cli) => {
  const sc = await api.getScope(cli.client(), a.id);
  cli.out.result(sc, () => [`Id:          ${s(sc.id)}`, `Name:        ${s(sc.name)}`, `Description: ${s(sc.desc)}`,
    `Created At:  ${s(sc.created_at)}`, `Active:      ${sc.is_active ? 'True' : 'False'}`]);
});

const remove = command<{ id: string }>('delete', 'Delete a scope', required('id'), async (a, cli) => {
  const res = await api.deleteScope(cli.client(), a.id);
  cli.out.result(res, () => `Deleted scope ${a.id}`);
});

const assignToUser = command<{ 'user-id': string; 'scope-id': string[] }>('assign-to-user', 'Give a user scopes',
  (y) => scopeIds(required('user-id')(y) as Y) as never, async (a, cli) => {
    await api.assignUserScopes(cli.client(), a['user-id'], a['scope-id']);
    cli.out.message('Scopes assigned.');
  });

const listForUser = command<{ 'user-id': string }>('list-for-user', 'Scopes of a user', required('user-id'), async (a, cli) => {
  cli.out.list((await api.userScopes(cli.client(), a['user-id'])).items, columns, '(no scopes)');
});

const removeFromUser = command<{ 'user-id': string; 'scope-id': string }>('remove-from-user', 'Take a scope from a user', required('user-id', 'scope-id'),
  async (a, cli) => {
    await api.removeUserScope(cli.client(), a['user-id'], a['scope-id']);
    cli.out.message(`Scope '${a['scope-id']}' removed from user '${a['user-id']}'.`);
  });

const assignToClient = command<{ 'client-id': string; 'scope-id': string[] }>('assign-to-client', 'Give a client scopes',
  (y) => scopeIds(required('client-id')(y) as Y) as never, async (a, cli) => {
    await api.assignClientScopes(cli.client(), a['client-id'], a['scope-id']);
    cli.out.message(`Scopes assigned to client '${a['client-id']}'.`);
  });

const listForClient = command<{ 'client-id': string }>('list-for-client', 'Scopes of a client', required('client-id'), async (a, cli) => {
  cli.out.list((await api.clientScopes(cli.client(), a['client-id'])).items, columns, '(no scopes)');
});

const removeFromClient = command<{ 'client-id': string; 'scope-id': string }>('remove-from-client', 'Take a scope from a client',
  required('client-id', 'scope-id'), async (a, cli) => {
    await api.removeClientScope(cli.client(), a['client-id'], a['scope-id']);
    cli.out.message('Scope removed.');
  });

const idByName = command<{ name: string }>('id-by-name', 'Print the id of a scope by name', required('name'), async (a, cli) => {
  const found = await api.scopeIdByName(cli.client(), a.name);
  cli.out.result(found, () => found);
});

export const scopeCommands = group('scope', 'Manage scopes', [create, update, list, get, remove, assignToUser, listForUser, removeFromUser,
  assignToClient, listForClient, removeFromClient, idByName] as never[]);
