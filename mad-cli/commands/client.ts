import { randomBytes } from 'node:crypto';
import { api, type Json } from '../api.js';
import { command, group } from '../command.js';
import { UsageError } from '../errors.js';
import { intOption, options, required, s, type Y } from '../options.js';

const create = command<{ 'client-id': string; secret?: string; 'gen-password'?: number; 'display-name'?: string; audience: string }>(
  'create', 'Create a client (without --secret/--gen-password the server generates a secret, shown once)',
  (y) => (options(['client-id'], ['secret', 'display-name'])(y) as Y)
    .option('gen-password', intOption('gen-password', { describe: 'Generate a URL-safe secret of this many characters (min 8) locally' }))
    .option('audience', { type: 'string', default: 'microauthd' }) as never,
  async (a, cli) => {
    let secret = a.secret;
    if (a['gen-password'] !== undefined) {
      if (!(a['gen-password'] >= 8)) throw new UsageError('--gen-password must be at least 8');
      secret = randomBytes(a['gen-password']).toString('base64url').slice(0, a['gen-password']);
    }
    const body: Json = { client_id: a['client-id'], display_name: a['display-name'] ?? '', audience: a.audience };
    if (secret) body.client_secret = secret;
    const c = await api.createClient(cli.client(), body);
    const shown = secret ?? s(c.client_secret);
    // -q prints only the id on stdout; the secret (server-generated or --gen-password) is shown once, so it goes to stderr.
    if (cli.out.options.quiet && !cli.out.asJson && shown) cli.out.warn(`Client secret (store it now, it is not shown again): ${shown}`);
    cli.out.result(secret ? { ...c, client_secret: secret } : c,
      () => [`Created client ${s(c.client_id)} with ID: ${s(c.id)}`, ...(shown ? [`Client secret (store it now, it is not shown again): ${shown}`] : [])], s(c.id));
  });

const update = command<{ id: string; 'client-id'?: string; 'display-name'?: string; audience?: string; 'is-active'?: boolean }>('update', 'Update a client',
  (y) => (options(['id'], ['client-id', 'display-name', 'audience'])(y) as Y).option('is-active', { type: 'boolean' }) as never,
  async (a, cli) => {
    const body: Json = {};
    if (a['client-id'] !== undefined) body.client_id = a['client-id'];
    if (a['display-name'] !== undefined) body.display_name = a['display-name'];
    if (a.audience !== undefined) body.audience = a.audience;
    if (a['is-active'] !== undefined) body.is_active = a['is-active'];
    if (!Object.keys(body).length) throw new UsageError('You must provide at least one field to update.');
    const c = await api.updateClient(cli.client(), a.id, body);
    cli.out.result(c, () => `Client updated: ${s(c.client_id)}`);
  });

const changeSecret = command<{ id: string; secret?: string }>('change-secret', 'Set or regenerate a client secret', options(['id'], ['secret']),
  async (a, cli) => {
    const res = await api.changeSecret(cli.client(), a.id, a.secret ?? null);
    cli.out.result(res, () => ['Client secret changed successfully.', 'Secret (please store it now):', '', `  ${res.message}`, '']);
  });

const list = command('list', 'List clients', (y) => y as never, async (_a, cli) => {
  cli.out.list((await api.listClients(cli.client())).items, [{ header: 'Id', value: (c) => c.id }, { header: 'Client Identifier', value: (c) => c.client_id },
    { header: 'Active', value: (c) => c.is_active }, { header: 'Display Name', value: (c) => c.display_name }], '(no clients)');
});

const get = command<{ id: string }>('get', 'Show a client', required('id'), async (a, cli) => {
  const c = await api.getClient(cli.client(), a.id);
  cli.out.result(c, () => [`Id:           ${s(c.id)}`, `ClientId:     ${s(c.client_id)}`, `Display Name: ${s(c.display_name)}`,
    `Audience:     ${s(c.audience)}`, `Active:       ${c.is_active ? 'True' : 'False'}`, `Created At:   ${s(c.created_at)}`]);
});

const remove = command<{ id: string }>('delete', 'Delete a client (internal id or client identifier)', required('id'), async (a, cli) => {
  const res = await api.deleteClient(cli.client(), a.id);
  cli.out.result(res, () => `Deleted client id ${a.id}`);
});

const addRedirect = command<{ id: string; uri: string }>('add-redirect-uri', 'Register a redirect URI', required('id', 'uri'), async (a, cli) => {
  const r = await api.addRedirectUri(cli.client(), a.id, a.uri);
  cli.out.result(r, () => `Added redirect URI '${a.uri}' to client ${a.id}`, s(r.id));
});

const listRedirects = command<{ 'client-id': string }>('list-redirect-uris', 'List redirect URIs', required('client-id'), async (a, cli) => {
  cli.out.list((await api.listRedirectUris(cli.client(), a['client-id'])).items,
    [{ header: 'Id', value: (r) => r.id }, { header: 'Redirect URI', value: (r) => r.redirect_uri }], '(no redirect URIs)');
});

const deleteRedirect = command<{ id: string }>('delete-redirect-uri', 'Delete a redirect URI by its id', required('id'), async (a, cli) => {
  const res = await api.deleteRedirectUri(cli.client(), a.id);
  cli.out.result(res, () => `Redirect URI ${a.id} deleted.`);
});

const setFlag = command<{ 'client-id': string; flag: string; enable: boolean }>('set-flag', 'Turn a feature flag on or off',
  (y) => (required('client-id', 'flag')(y) as Y).option('enable', { type: 'boolean', demandOption: true }) as never,
  async (a, cli) => {
    const res = await api.setFlag(cli.client(), a['client-id'], a.flag, a.enable);
    cli.out.result(res, () => res.message);
  });

const getFlag = command<{ 'client-id': string; flag: string }>('get-flag', 'Is a feature flag on?', required('client-id', 'flag'), async (a, cli) => {
  const res = await api.getFlag(cli.client(), a['client-id'], a.flag);
  const enabled = typeof res.enabled === 'boolean' ? res.enabled : res.message === 'True';
  cli.out.result(enabled, () => (enabled ? 'enabled' : 'disabled'));
});

const setFlagOptions = command<{ 'client-id': string; flag: string; options: string }>('set-flag-options', 'Set a flag\'s option value',
  required('client-id', 'flag', 'options'), async (a, cli) => {
    const res = await api.setFlagOptions(cli.client(), a['client-id'], a.flag, a.options);
    cli.out.result(res, () => res.message);
  });

const getFlagOptions = command<{ 'client-id': string; flag: string }>('get-flag-options', 'Show a flag\'s option value', required('client-id', 'flag'),
  async (a, cli) => {
    const res = await api.getFlagOptions(cli.client(), a['client-id'], a.flag);
    cli.out.result(res.message, () => res.message || '(none)');
  });

const idpFields = ['provider-key', 'display-name', 'issuer', 'external-client-id'];
const idpBody = (a: Record<string, unknown>): Json => ({ provider_key: a['provider-key'], display_name: a['display-name'], issuer: a.issuer,
  client_identifier: a['external-client-id'], scopes: a.scopes });

const addIdp = command<Record<string, string>>('add-idp', 'Add an external identity provider to a client',
  (y) => (required('id', ...idpFields)(y) as Y).option('scopes', { type: 'string', default: 'openid email profile' }) as never,
  async (a, cli) => {
    const res = await api.addIdp(cli.client(), String(a.id), idpBody(a));
    cli.out.result(res, () => `External IdP '${s(res.provider_key)}' added to client '${String(a.id)}'.`, s(res.id));
  });

const updateIdp = command<Record<string, string>>('update-idp', 'Update an external identity provider',
  (y) => (required('id', 'idp-id', ...idpFields)(y) as Y).option('scopes', { type: 'string', default: 'openid email profile' }) as never,
  async (a, cli) => {
    const res = await api.updateIdp(cli.client(), String(a.id), String(a['idp-id']), { id: a['idp-id'], ...idpBody(a) });
    cli.out.result(res, () => `External IdP '${s(res.provider_key)}' updated.`);
  });

const listIdps = command<{ id: string }>('list-idps', 'List a client\'s external identity providers', required('id'), async (a, cli) => {
  cli.out.list((await api.listIdps(cli.client(), a.id)).items, [{ header: 'Id', value: (i) => i.id }, { header: 'ProviderKey', value: (i) => i.provider_key },
    { header: 'DisplayName', value: (i) => i.display_name }, { header: 'Issuer', value: (i) => i.issuer }], '(no external providers)');
});

const deleteIdp = command<{ id: string; 'idp-id': string }>('delete-idp', 'Delete an external identity provider', required('id', 'idp-id'), async (a, cli) => {
  await api.deleteIdp(cli.client(), a.id, a['idp-id']);
  cli.out.message('External IdP deleted.');
});

const assignScope = command<{ 'client-id': string; 'scope-id': string[] }>('assign-scope', 'Give a client scopes',
  (y) => (required('client-id')(y) as Y).option('scope-id', { type: 'string', array: true, demandOption: true }) as never,
  async (a, cli) => {
    await api.assignClientScopes(cli.client(), a['client-id'], a['scope-id']);
    cli.out.message('Scopes assigned.');
  });

const listScopes = command<{ 'client-id': string }>('list-scopes', 'Scopes of a client', required('client-id'), async (a, cli) => {
  cli.out.list((await api.clientScopes(cli.client(), a['client-id'])).items,
    [{ header: 'Id', value: (x) => x.id }, { header: 'Name', value: (x) => x.name }], '(no scopes)');
});

const removeScope = command<{ 'client-id': string; 'scope-id': string }>('remove-scope', 'Take a scope from a client', required('client-id', 'scope-id'),
  async (a, cli) => {
    await api.removeClientScope(cli.client(), a['client-id'], a['scope-id']);
    cli.out.message('Scope removed.');
  });

const idByName = command<{ 'client-id': string }>('id-by-name', 'Print the internal id of a client identifier', required('client-id'), async (a, cli) => {
  const found = await api.clientIdByName(cli.client(), a['client-id']);
  cli.out.result(found, () => found);
});

export const clientCommands = group('client', 'Manage clients', [create, update, changeSecret, list, get, remove, addRedirect, listRedirects,
  deleteRedirect, setFlag, getFlag, setFlagOptions, getFlagOptions, addIdp, updateIdp, listIdps, deleteIdp, assignScope, listScopes,
  removeScope, idByName] as never[]);
