import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { failure, startAdminServer } from '../helpers/admin-b.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
let clientId: string;
beforeAll(async () => ({ server, admin, clientId } = await startAdminServer({ client: 'uri-app' })));
afterAll(async () => server?.close());

describe('redirect URIs', () => {
  it('adds from a bare string, {uri} or {redirect_uri}; lists ordered by URI; 201 with the object', async () => {
    const a = await admin.addRedirectUri(clientId, 'https://app.example.com/cb');
    expect(a).toMatchObject({ client_id: clientId, redirect_uri: 'https://app.example.com/cb' });
    const url = `${server.adminUrl}/clients/uri-app/redirect-uris`;
    const b = await http(url, bearer(admin.token as string, jsonBody({ uri: 'http://127.0.0.1:8080/cb' })));
    expect([b.status, b.json.redirect_uri]).toEqual([201, 'http://127.0.0.1:8080/cb']);
    const c = await http(url, bearer(admin.token as string, jsonBody({ redirect_uri: 'com.example.app:/callback' })));
    expect(c.status).toBe(201);
    const list = await admin.listRedirectUris('uri-app');
    expect(list.map((r) => r.redirect_uri)).toEqual(['com.example.app:/callback', 'http://127.0.0.1:8080/cb', 'https://app.example.com/cb']);
    expect(await server.store().clients.hasRedirectUri(clientId, 'https://app.example.com/cb')).toBe(true);
    expect((await http(url, bearer(admin.token as string))).headers.get('x-total-count')).toBe('3');
  });

  it('validates: relative, fragment, plain http to a non-loopback host, dangerous schemes, duplicates, empty', async () => {
    for (const bad of ['/cb', 'https://a.example.com/cb#frag', 'http://evil.example.com/cb', 'javascript:alert(1)', 'myapp:/cb', '']) {
      const e = await failure(admin.addRedirectUri(clientId, bad));
      expect(e.status, bad).toBe(400);
    }
    expect((await failure(admin.addRedirectUri(clientId, 'https://app.example.com/cb'))).status).toBe(400);
    expect((await failure(admin.addRedirectUri('no-such-client', 'https://x.example.com/cb'))).status).toBe(404);
    const asForm = await http(`${server.adminUrl}/clients/uri-app/redirect-uris`, bearer(admin.token as string, form({ uri: 'https://f.example.com' })));
    expect([asForm.status, asForm.json.message]).toEqual([400, 'Unsupported content type; expected application/json']);
    expect((await http(`${server.adminUrl}/clients/uri-app/redirect-uris`, jsonBody('https://n.example.com'))).status).toBe(401);
  });

  it('deletes by body (original form) and by path; unknown id is 404', async () => {
    const [first, second] = await admin.listRedirectUris(clientId);
    expect((await admin.deleteRedirectUri(first!.id, true)).message).toBe('Redirect URI deleted');
    expect((await admin.deleteRedirectUri(second!.id)).message).toBe('Redirect URI deleted');
    const e = await failure(admin.deleteRedirectUri(first!.id));
    expect([e.status, e.message]).toEqual([404, 'Redirect URI not found']);
    expect((await admin.listRedirectUris(clientId)).length).toBe(1);
    expect((await server.store().audit.list({ action: 'redirect_uri_removed' })).total).toBe(2);
  });
});
