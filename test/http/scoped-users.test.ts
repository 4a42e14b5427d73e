import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient, type AdminClient } from '../../bindings/typescript/index.js';
import { expectApiError, startAdminServer, unique } from '../helpers/admin.js';
import { arrange } from '../helpers/arrange.js';
import { expectJsonBodyRule } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: AdminClient;
beforeAll(async () => ({ server, admin } = await startAdminServer()));
afterAll(async () => server?.close());

/** Signs a user with the given admin:* scopes in through the password grant and returns its client. */
async function operator(scopes: string[]): Promise<AuthClient> {
  const a = arrange(server);
  const client = await a.client();
  const user = await a.user({ scopes });
  const auth = new AuthClient(server.authUrl);
  const res = await auth.passwordGrant({ username: user.username, password: user.password, clientId: client.clientId, clientSecret: client.clientSecret });
  auth.token = res.access_token;
  return auth;
}

describe('scoped user administration on the auth plane (scope names in the token)', () => {
  it('each route works with its scope, several scopes in one token', async () => {
    const ops = await operator(['admin:provision_users', 'admin:reset_passwords', 'admin:deactivate_users', 'admin:read_user', 'admin:list_users']);
    const name = unique('prov');
    const created = await ops.provisionUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    expect(created.username).toBe(name);
    expect((await ops.readUser(created.id)).id).toBe(created.id);
    expect((await ops.listUsers({ limit: 1000 })).map((u) => u.id)).toContain(created.id);
    expect((await ops.resetUserPassword(created.id, 'new-password-2')).message).toBe(`Password for user '${created.id}' has been reset.`);
    expect((await ops.deactivateUser(created.id)).success).toBe(true);
    expect((await admin.getUser(created.id)).is_active).toBe(false);
    await expectApiError(ops.deactivateUser(created.id), 400, 'User is already inactive');
    await expectApiError(ops.readUser('no-such-user'), 404);
    expect((await server.store().audit.list({ action: 'user_deactivated' })).total).toBe(1);
  });

  it('a token without the scope gets 403 Permission denied; no token 401', async () => {
    const reader = await operator(['admin:read_user']);
    await expectApiError(reader.listUsers(), 403, 'Permission denied');
    await expectApiError(reader.provisionUser({ username: unique('x'), email: 'x@example.com', password: 'user-password-1' }), 403, 'Permission denied');
    await expectApiError(new AuthClient(server.authUrl).listUsers(), 401);
    await expectApiError(reader.resetUserPassword('x', ''), 403);
  });

  it('its JSON routes follow the admin API\'s body rule (form 400, malformed JSON or an array 400, no body 400)', async () => {
    const ops = await operator(['admin:provision_users']);
    await expectJsonBodyRule(`${server.authUrl}/user`, ops.token as string);
  });
});
