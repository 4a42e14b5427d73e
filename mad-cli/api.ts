/**
 * What `mad` asks of the admin API, as one small adapter over bindings/typescript. Commands call
 * these functions only, so the wire details (paths, bodies) live in one place.
 */
import type { AdminClient, MessageResponse } from '../bindings/typescript/index.js';

export type Json = Record<string, unknown>;
const enc = encodeURIComponent;

export interface Listed<T> {
  items: T[];
  total: number;
}

async function list<T>(c: AdminClient, path: string, query?: Record<string, string | number | boolean | undefined>): Promise<Listed<T>> {
  const res = await c.transport.raw({ method: 'GET', path, ...(query ? { query } : {}) });
  const items = (res.body as T[] | undefined) ?? [];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}

/** The most rows the server answers per list call; `listAll` pages with offset until X-Total-Count is reached. */
export const PAGE_SIZE = 1000;

async function listAll<T>(c: AdminClient, path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<Listed<T>> {
  const items: T[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await list<T>(c, path, { ...query, limit: PAGE_SIZE, offset });
    items.push(...page.items);
    if (page.items.length < PAGE_SIZE || items.length >= page.total) return { items, total: page.total };
  }
}

const get = <T>(c: AdminClient, path: string, query?: Record<string, string | number | boolean | undefined>) =>
  c.transport.request<T>({ method: 'GET', path, ...(query ? { query } : {}) });
const send = <T>(c: AdminClient, method: 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown) =>
  c.transport.request<T>({ method, path, ...(json !== undefined ? { body: { json } } : {}) });
const sendForm = <T>(c: AdminClient, path: string, form: Record<string, string>) =>
  c.transport.request<T>({ method: 'POST', path, body: { form } });

export const api = {
  // users
  createUser: (c: AdminClient, body: { username: string; email: string; password: string }) => send<Json>(c, 'POST', '/users', body),
  listUsers: (c: AdminClient, query: { limit: number; offset: number; include_inactive?: boolean }) => list<Json>(c, '/users', query),
  getUser: (c: AdminClient, id: string) => get<Json>(c, `/users/${enc(id)}`),
  updateUser: (c: AdminClient, id: string, body: Json) => send<Json>(c, 'PUT', `/users/${enc(id)}`, body),
  userIdByName: (c: AdminClient, name: string) => get<string>(c, `/users/id-by-name/${enc(name)}`),
  verifyEmail: (c: AdminClient, id: string) => send<MessageResponse>(c, 'POST', `/users/${enc(id)}/verify-email`),
  resetPassword: (c: AdminClient, id: string, newPassword: string) => send<MessageResponse>(c, 'POST', `/users/${enc(id)}/reset`, { new_password: newPassword }),
  deactivateUser: (c: AdminClient, id: string) => send<MessageResponse>(c, 'POST', `/users/deactivate/${enc(id)}`),
  activateUser: (c: AdminClient, id: string) => send<MessageResponse>(c, 'POST', `/users/${enc(id)}/activate`),
  deleteUser: (c: AdminClient, id: string) => send<MessageResponse>(c, 'DELETE', `/users/${enc(id)}`),
  setLockout: (c: AdminClient, id: string, until: string | null) => send<MessageResponse>(c, 'POST', `/users/${enc(id)}/set-lockout`, { lockout_until: until }),
  totpGenerate: (c: AdminClient, id: string, clientId: string, path: string) =>
    send<Json>(c, 'POST', `/users/${enc(id)}/totp/generate`, { user_id: id, client_id: clientId, qr_output_path: path }),
  totpVerify: (c: AdminClient, userId: string, clientId: string, code: string) => send<MessageResponse>(c, 'POST', '/users/totp/verify', { user_id: userId, client_id: clientId, code }),
  totpDisable: (c: AdminClient, userId: string, clientId: string) => send<MessageResponse>(c, 'POST', `/users/${enc(userId)}/${enc(clientId)}/disable-totp`),
  userRoles: (c: AdminClient, userId: string, all: boolean) => get<Json[]>(c, `/users/${enc(userId)}/roles`, { all }),
  replaceUserRoles: (c: AdminClient, userId: string, roles: { id: string; name: string }[]) => send<MessageResponse>(c, 'PUT', `/users/${enc(userId)}/roles`, roles),
  // roles
  createRole: (c: AdminClient, name: string, description: string) => send<Json>(c, 'POST', '/roles', { name, description }),
  updateRole: (c: AdminClient, id: string, body: Json) => send<Json>(c, 'PUT', `/roles/${enc(id)}`, body),
  listRoles: (c: AdminClient) => list<Json>(c, '/roles'),
  getRole: (c: AdminClient, id: string) => get<Json>(c, `/roles/${enc(id)}`),
  roleIdByName: (c: AdminClient, name: string) => get<string>(c, `/roles/id-by-name/${enc(name)}`),
  deleteRole: (c: AdminClient, id: string) => send<MessageResponse>(c, 'DELETE', `/roles/${enc(id)}`),
  assignRole: (c: AdminClient, userId: string, roleId: string) => send<MessageResponse>(c, 'POST', '/roles/assign', { user_id: userId, role_id: roleId }),
  unassignRole: (c: AdminClient, userId: string, roleId: string) => send<MessageResponse>(c, 'POST', '/roles/unassign', { user_id: userId, role_id: roleId }),
  // permissions
  createPermission: (c: AdminClient, name: string) => send<Json>(c, 'POST', '/permissions', { name }),
  updatePermission: (c: AdminClient, id: string, body: Json) => send<Json>(c, 'PUT', `/permissions/${enc(id)}`, body),
  listPermissions: (c: AdminClient) => list<Json>(c, '/permissions'),
  getPermission: (c: AdminClient, id: string) => get<Json>(c, `/permissions/${enc(id)}`),
  permissionIdByName: (c: AdminClient, name: string) => get<string>(c, `/permissions/id-by-name/${enc(name)}`),
  deletePermission: (c: AdminClient, id: string) => send<MessageResponse>(c, 'DELETE', `/permissions/${enc(id)}`),
  assignPermission: (c: AdminClient, roleId: string, permissionId: string) => send<MessageResponse>(c, 'POST', `/roles/${enc(roleId)}/permissions`, { permission_id: permissionId }),
  removePermission: (c: AdminClient, roleId: string, permissionId: string) => send<MessageResponse>(c, 'DELETE', `/roles/${enc(roleId)}/permissions/${enc(permissionId)}`),
  rolePermissions: (c: AdminClient, roleId: string) => list<Json>(c, `/roles/${enc(roleId)}/permissions`),
  userPermissions: (c: AdminClient, userId: string) => list<Json>(c, `/permissions/user/${enc(userId)}`),
  checkAccess: (c: AdminClient, userId: string, permissionId: string) => send<Json>(c, 'POST', '/check-access', { user_id: userId, permission_id: permissionId }),
  // scopes
  createScope: (c: AdminClient, name: string, desc: string) => send<Json>(c, 'POST', '/scopes', { name, desc }),
  updateScope: (c: AdminClient, id: string, body: Json) => send<Json>(c, 'PUT', `/scopes/${enc(id)}`, body),
  listScopes: (c: AdminClient) => list<Json>(c, '/scopes'),
  getScope: (c: AdminClient, id: string) => get<Json>(c, `/scopes/${enc(id)}`),
  scopeIdByName: (c: AdminClient, name: string) => get<string>(c, `/scopes/id-by-name/${enc(name)}`),
  deleteScope: (c: AdminClient, id: string) => send<MessageResponse>(c, 'DELETE', `/scopes/${enc(id)}`),
  assignUserScopes: (c: AdminClient, userId: string, ids: string[]) => send<MessageResponse>(c, 'POST', `/users/${enc(userId)}/scopes`, { scope_ids: ids }),
  userScopes: (c: AdminClient, userId: string) => list<Json>(c, `/users/${enc(userId)}/scopes`),
  removeUserScope: (c: AdminClient, userId: string, scopeId: string) => send<MessageResponse>(c, 'DELETE', `/users/${enc(userId)}/scopes/${enc(scopeId)}`),
  assignClientScopes: (c: AdminClient, clientId: string, ids: string[]) => send<MessageResponse>(c, 'POST', `/clients/${enc(clientId)}/scopes`, { scope_ids: ids }),
  clientScopes: (c: AdminClient, clientId: string) => list<Json>(c, `/clients/${enc(clientId)}/scopes`),
  removeClientScope: (c: AdminClient, clientId: string, scopeId: string) => send<MessageResponse>(c, 'DELETE', `/clients/${enc(clientId)}/scopes/${enc(scopeId)}`),
  // clients
  createClient: (c: AdminClient, body: Json) => send<Json>(c, 'POST', '/clients', body),
  updateClient: (c: AdminClient, id: string, body: Json) => send<Json>(c, 'PUT', `/clients/${enc(id)}`, body),
  listClients: (c: AdminClient) => list<Json>(c, '/clients'),
  getClient: (c: AdminClient, id: string) => get<Json>(c, `/clients/${enc(id)}`),
  clientIdByName: (c: AdminClient, identifier: string) => get<string>(c, `/clients/id-by-name/${enc(identifier)}`),
  deleteClient: (c: AdminClient, id: string) => send<MessageResponse>(c, 'DELETE', `/clients/${enc(id)}`),
  changeSecret: (c: AdminClient, id: string, secret: string | null) => send<MessageResponse>(c, 'POST', '/clients/secret', { client_id: id, new_secret: secret }),
  addRedirectUri: (c: AdminClient, id: string, uri: string) => send<Json>(c, 'POST', `/clients/${enc(id)}/redirect-uris`, { redirect_uri: uri }),
  listRedirectUris: (c: AdminClient, id: string) => list<Json>(c, `/clients/${enc(id)}/redirect-uris`),
  deleteRedirectUri: (c: AdminClient, uriId: string) => send<MessageResponse>(c, 'DELETE', `/clients/redirect-uris/${enc(uriId)}`),
  setFlag: (c: AdminClient, clientId: string, flag: string, enabled: boolean) =>
    sendForm<MessageResponse>(c, `/client/options/${enc(flag)}`, { client_id: clientId, enabled: String(enabled) }),
  getFlag: (c: AdminClient, clientId: string, flag: string) => get<Json>(c, `/client/options/${enc(flag)}`, { client_id: clientId }),
  setFlagOptions: (c: AdminClient, clientId: string, flag: string, options: string) =>
    sendForm<MessageResponse>(c, `/client/options/${enc(flag)}/ext`, { client_id: clientId, options }),
  getFlagOptions: (c: AdminClient, clientId: string, flag: string) => get<MessageResponse>(c, `/client/options/${enc(flag)}/ext`, { client_id: clientId }),
  listIdps: (c: AdminClient, clientId: string) => list<Json>(c, `/clients/${enc(clientId)}/idp`),
  addIdp: (c: AdminClient, clientId: string, body: Json) => send<Json>(c, 'POST', `/clients/${enc(clientId)}/idp`, body),
  updateIdp: (c: AdminClient, clientId: string, idpId: string, body: Json) => send<Json>(c, 'PUT', `/clients/${enc(clientId)}/idp/${enc(idpId)}`, body),
  deleteIdp: (c: AdminClient, clientId: string, idpId: string) => send<MessageResponse>(c, 'DELETE', `/clients/${enc(clientId)}/idp/${enc(idpId)}`),
  // sessions, refresh tokens, audit
  listSessions: (c: AdminClient) => listAll<Json>(c, '/sessions'),
  getSession: (c: AdminClient, jti: string) => get<Json>(c, `/sessions/${enc(jti)}`),
  sessionsOfUser: (c: AdminClient, userId: string) => listAll<Json>(c, `/sessions/user/${enc(userId)}`),
  revokeSession: (c: AdminClient, jti: string) => send<Json>(c, 'DELETE', `/sessions/${enc(jti)}`),
  purgeSessions: (c: AdminClient, body: Json) => send<MessageResponse>(c, 'POST', '/sessions/purge', body),
  introspect: (c: AdminClient, token: string) => send<Json>(c, 'POST', '/introspect', { token }),
  listRefreshTokens: (c: AdminClient) => listAll<Json>(c, '/refresh-tokens'),
  refreshTokensOfUser: (c: AdminClient, userId: string) => listAll<Json>(c, `/refresh-tokens/user/${enc(userId)}`),
  getRefreshToken: (c: AdminClient, id: string) => get<Json>(c, `/refresh-tokens/${enc(id)}`),
  purgeRefreshTokens: (c: AdminClient, body: Json) => send<MessageResponse>(c, 'POST', '/refresh-tokens/purge', body),
  listAudit: (c: AdminClient, query: Record<string, string | number | undefined>) => list<Json>(c, '/audit-logs', query),
  getAudit: (c: AdminClient, id: string) => get<Json>(c, `/audit-logs/${enc(id)}`),
  purgeAudit: (c: AdminClient, days: number) => send<MessageResponse>(c, 'POST', '/audit-logs/purge', { older_than_days: days }),
  verifyAudit: (c: AdminClient) => get<Json>(c, '/audit-logs/verify'),
};
