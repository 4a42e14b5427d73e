import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { failure, startAdminServer } from '../helpers/admin-b.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
let clientId: string;
beforeAll(async () => ({ server, admin, clientId } = await startAdminServer({ client: 'flag-app' })));
afterAll(async () => server?.close());

describe('client feature flags', () => {
  it('sets and reads a flag by internal id or identifier (form body); GET keeps message True/False and adds enabled', async () => {
    expect(await admin.getClientFlag('ENABLE_TOTP', clientId)).toEqual({ success: true, message: 'False', enabled: false });
    expect((await admin.setClientFlag('enable_totp', 'flag-app', true)).message).toBe("Feature 'enable_totp' set to True");
    expect(await admin.getClientFlag('ENABLE_TOTP', clientId)).toEqual({ success: true, message: 'True', enabled: true });
    expect((await server.store().clients.featuresOf(clientId)).get('ENABLE_TOTP')?.isEnabled).toBe(true);
  });

  it('accepts a JSON body and client_id in the query', async () => {
    const url = `${server.adminUrl}/client/options/SESSION_BASED_AUTH?client_id=flag-app`;
    const r = await http(url, bearer(admin.token as string, jsonBody({ enabled: true })));
    expect([r.status, r.json.message]).toEqual([200, "Feature 'SESSION_BASED_AUTH' set to True"]);
    expect((await admin.getClientFlag('SESSION_BASED_AUTH', 'flag-app')).enabled).toBe(true);
  });

  it("accepts is_enabled (what the original mad sends: JSON, client_id in the query) and form is_enabled; neither is 400", async () => {
    const url = `${server.adminUrl}/client/options/ENABLE_TOTP?client_id=flag-app`;
    const on = await http(url, bearer(admin.token as string, jsonBody({ is_enabled: true })));
    expect([on.status, on.json.message]).toEqual([200, "Feature 'ENABLE_TOTP' set to True"]);
    expect((await admin.getClientFlag('ENABLE_TOTP', 'flag-app')).enabled).toBe(true);
    const off = await http(url, bearer(admin.token as string, form({ is_enabled: 'false' })));
    expect([off.status, off.json.message]).toEqual([200, "Feature 'ENABLE_TOTP' set to False"]);
    await admin.setClientFlag('ENABLE_TOTP', 'flag-app', true);
    const missing = await http(url, bearer(admin.token as string, jsonBody({})));
    expect([missing.status, missing.json.message]).toEqual([400, "Field 'enabled' (or 'is_enabled') is required: true or false"]);
    const clash = await http(url, bearer(admin.token as string, jsonBody({ enabled: true, is_enabled: 'false' })));
    expect(clash.status).toBe(400);
    expect((await admin.getClientFlag('ENABLE_TOTP', 'flag-app')).enabled).toBe(true);
  });

  it('sets options; toggling the flag keeps them (the original wiped them)', async () => {
    expect((await admin.setClientFlagOptions('TOKEN_EXPIRATION', clientId, '600')).message).toBe("Option for 'TOKEN_EXPIRATION' updated.");
    expect((await admin.getClientFlagOptions('TOKEN_EXPIRATION', clientId)).message).toBe('600');
    await admin.setClientFlag('TOKEN_EXPIRATION', clientId, false);
    await admin.setClientFlag('TOKEN_EXPIRATION', clientId, true);
    expect((await admin.getClientFlagOptions('TOKEN_EXPIRATION', 'flag-app')).message).toBe('600');
  });

  it('documented errors: unknown flag, no extended options, missing client_id, unknown client, no token', async () => {
    expect((await failure(admin.setClientFlag('NOPE', clientId, true))).message).toBe('Unknown feature flag');
    expect((await failure(admin.setClientFlagOptions('ENABLE_TOTP', clientId, 'x'))).message).toBe('This feature has no extended options');
    const e = await failure(admin.setClientFlag('ENABLE_TOTP', '', true));
    expect([e.status, e.message]).toEqual([400, 'Missing client_id']);
    expect((await failure(admin.getClientFlag('ENABLE_TOTP', 'no-such-client'))).status).toBe(404);
    const bad = await http(`${server.adminUrl}/client/options/ENABLE_TOTP`, bearer(admin.token as string, jsonBody({ client_id: clientId, enabled: 7 })));
    expect(bad.status).toBe(400);
    expect((await http(`${server.adminUrl}/client/options/ENABLE_TOTP?client_id=${clientId}`)).status).toBe(401);
  });
});
