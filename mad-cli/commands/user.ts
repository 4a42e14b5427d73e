import type { AdminClient } from '../../bindings/typescript/index.js';
import { command, group } from '../command.js';
import { api, type Json } from '../api.js';
import { UsageError } from '../errors.js';
import { required, s, type Y } from '../options.js';

const id = (y: Y) => required('id')(y);

const create = command<{ username: string; 'user-email': string; 'user-password': string }>('create', 'Create a user',
  (y) => y.option('username', { type: 'string', demandOption: true }).option('user-email', { type: 'string', demandOption: true })
    .option('user-password', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const u = await api.createUser(cli.client(), { username: a.username, email: a['user-email'], password: a['user-password'] });
    cli.out.result(u, () => `Created user ${s(u.username)} with Id: ${s(u.id)}`, s(u.id));
  });

/** Pages through every user (the server answers at most 1000 per call). */
const list = command<{ inactive?: boolean }>('list', 'List users (all pages)',
  (y) => y.option('inactive', { type: 'boolean', describe: 'Include inactive users' }) as never,
  async (a, cli) => {
    const client = cli.client();
    const users: Json[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await api.listUsers(client, { limit: 1000, offset, ...(a.inactive ? { include_inactive: true } : {}) });
      users.push(...page.items);
      if (page.items.length < 1000 || users.length >= page.total) break;
    }
    cli.out.list(users, [
      { header: 'Id', value: (u) => u.id }, { header: 'Username', value: (u) => u.username }, { header: 'Email', value: (u) => u.email },
      { header: 'Status', value: (u) => (u.is_active ? 'ACTIVE' : 'INACTIVE') },
    ], '(no users)');
  });

const get = command<{ id: string }>('get', 'Show a user', (y) => id(y), async (a, cli) => {
  const u = await api.getUser(cli.client(), a.id);
  cli.out.result(u, () => [`Id:        ${s(u.id)}`, `Username:  ${s(u.username)}`, `Email:     ${s(u.email)}`,
    `Active:    ${u.is_active ? 'True' : 'False'}`, `Created:   ${s(u.created_at)}`, `Locked until: ${s(u.lockout_until) || '-'}`]);
});

const update = command<{ id: string; username?: string; email?: string; 'is-active'?: boolean }>('update', 'Update a user (only the given fields)',
  (y) => y.option('id', { type: 'string', demandOption: true }).option('username', { type: 'string' }).option('email', { type: 'string' })
    .option('is-active', { type: 'boolean' }) as never,
  async (a, cli) => {
    const body: Json = { id: a.id };
    if (a.username !== undefined) body.username = a.username;
    if (a.email !== undefined) body.email = a.email;
    if (a['is-active'] !== undefined) body.is_active = a['is-active'];
    if (Object.keys(body).length === 1) throw new UsageError('You must provide at least one field to update.');
    const u = await api.updateUser(cli.client(), a.id, body);
    cli.out.result(u, () => `User updated: ${s(u.username)} (${s(u.email)}) [${u.is_active ? 'ACTIVE' : 'INACTIVE'}]`);
  });

const simple = (name: string, describe: string, call: (c: AdminClient, id: string) => Promise<{ message: string }>,
  text: (id: string) => string) =>
  command<{ id: string }>(name, describe, (y) => id(y), async (a, cli) => {
    const res = await call(cli.client(), a.id);
    cli.out.result({ success: true, message: res.message }, () => text(a.id));
  });

const verifyEmail = simple('verify-email', 'Mark the email as verified', api.verifyEmail, () => 'Email marked as verified.');
const deactivate = simple('deactivate', 'Deactivate a user (revokes its sessions)', api.deactivateUser, (i) => `Deactivated user ${i}`);
const activate = simple('activate', 'Reactivate a user', api.activateUser, (i) => `User ${i} reactivated.`);
const remove = simple('delete', 'Delete a user', api.deleteUser, (i) => `Deleted user ${i}`);
const clearLockout = simple('clear-lockout', 'Clear a lockout', (c, i) => api.setLockout(c, i, null), (i) => `Lockout cleared for user ${i}.`);

const resetPassword = command<{ id: string; 'new-password': string }>('reset-password', 'Set a new password',
  (y) => y.option('id', { type: 'string', demandOption: true }).option('new-password', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const res = await api.resetPassword(cli.client(), a.id, a['new-password']);
    cli.out.result(res, () => 'Password was reset successfully.');
  });

const setLockout = command<{ id: string; until: string }>('set-lockout', 'Lock a user until a time (ISO-8601 or "permanent")',
  (y) => y.option('id', { type: 'string', demandOption: true }).option('until', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const until = a.until === 'permanent' ? '9999-12-31T23:59:59Z' : a.until;
    if (Number.isNaN(Date.parse(until))) throw new UsageError(`Invalid time format for --until: '${a.until}'`);
    const res = await api.setLockout(cli.client(), a.id, new Date(until).toISOString());
    cli.out.result(res, () => res.message);
  });

const totpQr = command<{ id: string; 'client-id': string; 'output-path': string }>('totp-qr', 'Enrol TOTP: generate a secret and its QR code',
  (y) => y.option('id', { type: 'string', demandOption: true }).option('client-id', { type: 'string', demandOption: true })
    .option('output-path', { type: 'string', default: '.' }) as never,
  async (a, cli) => {
    const res = await api.totpGenerate(cli.client(), a.id, a['client-id'], a['output-path']);
    cli.out.result(res, () => [`TOTP QR generated: ${s(res.filename) || '(inline only)'}`, `otpauth URI: ${s(res.otpauth_uri)}`]);
  });

const totpVerify = command<{ 'user-id': string; 'client-id': string; code: string }>('totp-verify', 'Verify a TOTP code and enable TOTP',
  (y) => y.option('user-id', { type: 'string', demandOption: true }).option('client-id', { type: 'string', demandOption: true })
    .option('code', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const res = await api.totpVerify(cli.client(), a['user-id'], a['client-id'], a.code);
    cli.out.result(res, () => 'TOTP verified and enabled');
  });

const disableTotp = command<{ 'user-id': string; 'client-id': string }>('disable-totp', 'Disable TOTP for a user and client',
  (y) => y.option('user-id', { type: 'string', demandOption: true }).option('client-id', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const res = await api.totpDisable(cli.client(), a['user-id'], a['client-id']);
    cli.out.result(res, () => res.message);
  });

const idByName = command<{ username: string }>('id-by-name', 'Print the id of a user by username',
  (y) => y.option('username', { type: 'string', demandOption: true }) as never,
  async (a, cli) => {
    const found = await api.userIdByName(cli.client(), a.username);
    cli.out.result(found, () => found);
  });

const roles = command<{ id: string; set?: string[] }>('roles', 'List a user\'s roles, or replace them with --set',
  (y) => y.option('id', { type: 'string', demandOption: true }).option('set', { type: 'string', array: true, describe: 'Role ids to keep (all others are removed)' }) as never,
  async (a, cli) => {
    const client = cli.client();
    if (a.set) {
      const all = await api.userRoles(client, a.id, true);
      const wanted = all.filter((r) => a.set?.includes(String(r.id))).map((r) => ({ id: String(r.id), name: String(r.name) }));
      if (wanted.length !== a.set.length) throw new UsageError('Unknown role id in --set');
      const res = await api.replaceUserRoles(client, a.id, wanted);
      return cli.out.result(res, () => res.message);
    }
    cli.out.list(await api.userRoles(client, a.id, false), [{ header: 'Id', value: (r) => r.id }, { header: 'Name', value: (r) => r.name }], '(no roles)');
  });

export const userCommands = group('user', 'Manage users', [create, list, get, update, verifyEmail, resetPassword, deactivate, activate,
  remove, setLockout, clearLockout, totpQr, totpVerify, disableTotp, idByName, roles] as never[]);
