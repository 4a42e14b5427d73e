import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { startAdminServer } from '../helpers/admin-b.js';
import { bearer, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

/**
 * security.md "Abuse resistance": every input field has a character rule. No field may hold a C0
 * control character or DEL; only the free-text descriptions may hold tabs and line breaks.
 */
let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

const send = (method: string, path: string, body: unknown) =>
  http(`${server.adminUrl}${path}`, bearer(admin.token as string, jsonBody(body, method)));

describe('control characters in fields', () => {
  it('are refused with 400 naming the field, and nothing is written', async () => {
    const client = await admin.createClient({ client_id: `chars-${Date.now()}`, display_name: 'Chars', audience: 'chars' });
    const role = await admin.createRole('chars-role');
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/roles', { name: 'r\u0007x' }, 'name'],
      ['POST', '/roles', { name: 'two\nlines' }, 'name'],
      ['PUT', `/roles/${role.id}`, { name: 'r\u0000' }, 'name'],
      ['POST', '/permissions', { name: 'p\nq' }, 'name'],
      ['POST', '/scopes', { name: 's\u001b[31m' }, 'name'],
      ['POST', '/clients', { client_id: 'a\u0000b' }, 'client_id'],
      ['PUT', `/clients/${client.id}`, { client_id: 'm\u00002m' }, 'client_id'],
      ['PUT', `/clients/${client.id}`, { audience: 'aud\u0000' }, 'audience'],
      ['PUT', `/clients/${client.id}`, { display_name: 'name\u007f' }, 'display_name'],
      ['POST', `/clients/${client.id}/idp`, { provider_key: 'k\u0000 y', issuer: 'https://idp.example.com' }, 'provider_key'],
      ['POST', '/users', { username: 'tab\tuser', email: 'tab@example.com', password: 'long-enough-1' }, 'username'],
      ['POST', '/users', { username: 'ctl-user', email: 'ctl@example.com', password: 'long\u0000enough-1' }, 'password'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await send(method, path, body);
      expect([r.status, r.json], `${method} ${path} ${JSON.stringify(body)}`)
        .toEqual([400, { success: false, message: `Field '${field}' contains a control character` }]);
    }
    expect((await admin.getClient(client.id)).audience).toBe('chars');
    expect((await admin.getRole(role.id)).name).toBe('chars-role');
    expect((await admin.listRoles()).map((r) => r.name)).not.toContain('r\u0007x');
  });

  it('lets a description span lines', async () => {
    const r = await send('POST', '/roles', { name: `described-${Date.now()}`, description: 'first line\n\tsecond line' });
    expect(r.status).toBe(200);
    expect(r.json.description).toBe('first line\n\tsecond line');
    const s = await send('POST', '/scopes', { name: `described-${Date.now()}`, desc: 'a\r\nb' });
    expect(s.status).toBe(200);
  });

  it('wants an external IdP issuer to be an https URL', async () => {
    const client = await admin.createClient({ client_id: `idp-${Date.now()}`, display_name: 'Idp', audience: 'idp' });
    for (const issuer of ['not a url', 'ftp://idp.example.com', 'http://idp.example.com', 'https://idp.example.com/#frag']) {
      const r = await send('POST', `/clients/${client.id}/idp`, { provider_key: 'k', issuer });
      expect([r.status, r.json.message], issuer).toEqual([400, 'issuer must be an https URL without query or fragment']);
    }
    const ok = await send('POST', `/clients/${client.id}/idp`, { provider_key: 'k', issuer: 'https://idp.example.com/realms/x' });
    expect(ok.status).toBe(201);
  });
});
