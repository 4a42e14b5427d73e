import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { failure, startAdminServer } from '../helpers/admin-b.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
let clientId: string;
beforeAll(async () => ({ server, admin, clientId } = await startAdminServer({ client: 'idp-app' })));
afterAll(async () => server?.close());

describe('external IdPs', () => {
  it('creates (201), lists, updates partially and deletes; provider_key is lower-cased; scopes default', async () => {
    const created = await admin.createExternalIdp(clientId, { provider_key: 'Google', display_name: 'Google', issuer: 'https://accounts.google.com', client_identifier: 'g-123' });
    expect(created).toMatchObject({ client_id: clientId, provider_key: 'google', scopes: 'openid email profile', issuer: 'https://accounts.google.com' });
    expect((await admin.listExternalIdps('idp-app')).map((p) => p.id)).toEqual([created.id]);
    const updated = await admin.updateExternalIdp('idp-app', created.id, { display_name: 'Google Workspace' });
    expect(updated).toMatchObject({ display_name: 'Google Workspace', client_identifier: 'g-123', provider_key: 'google' });
    expect((await admin.deleteExternalIdp(clientId, created.id)).message).toBe('External IDP provider deleted');
    expect(await admin.listExternalIdps(clientId)).toEqual([]);
  });

  it('answers under /admin/clients/... too (the original mad prefix)', async () => {
    const url = `${server.adminUrl}/admin/clients/${clientId}/idp`;
    const r = await http(url, bearer(admin.token as string, jsonBody({ provider_key: 'github', display_name: 'GitHub', issuer: 'https://github.com', client_identifier: 'gh' })));
    expect(r.status).toBe(201);
    const list = await http(url, bearer(admin.token as string));
    expect(list.json.map((p: { provider_key: string }) => p.provider_key)).toEqual(['github']);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect((await http(`${server.adminUrl}/clients/${clientId}/idp`, bearer(admin.token as string))).headers.get('x-total-count')).toBe('1');
    const put = await http(`${url}/${r.json.id}`, bearer(admin.token as string, jsonBody({ scopes: 'openid' }, 'PUT')));
    expect([put.status, put.json.scopes]).toEqual([200, 'openid']);
    const del = await http(`${url}/${r.json.id}`, bearer(admin.token as string, { method: 'DELETE' }));
    expect(del.json).toEqual({ success: true, message: 'External IDP provider deleted' });
  });

  it('documented errors: blank provider_key, duplicate key, unknown provider, unknown client, form body, no token', async () => {
    expect((await failure(admin.createExternalIdp(clientId, { display_name: 'x' }))).message).toBe('Client ID and provider key are required');
    await admin.createExternalIdp(clientId, { provider_key: 'okta' });
    expect((await failure(admin.createExternalIdp(clientId, { provider_key: 'OKTA' }))).status).toBe(400);
    const e = await failure(admin.deleteExternalIdp(clientId, 'nope'));
    expect([e.status, e.message]).toEqual([404, 'External IDP provider not found']);
    expect((await failure(admin.updateExternalIdp(clientId, 'nope', { scopes: 'a' }))).status).toBe(404);
    expect((await failure(admin.listExternalIdps('no-such-client'))).status).toBe(404);
    const asForm = await http(`${server.adminUrl}/clients/${clientId}/idp`, bearer(admin.token as string, form({ provider_key: 'f' })));
    expect([asForm.status, asForm.json.message]).toEqual([400, 'Unsupported content type; expected application/json']);
    const empty = await http(`${server.adminUrl}/clients/${clientId}/idp`, bearer(admin.token as string, { method: 'POST' }));
    expect([empty.status, empty.json.message]).toEqual([400, 'Invalid payload']);
    expect((await http(`${server.adminUrl}/clients/${clientId}/idp`)).status).toBe(401);
  });
});
