import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient } from '../../bindings/typescript/index.js';
import { createLogger } from '../../src/log.js';
import { adminClient } from '../helpers/admin.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * security.md "Logging": passwords, secrets, tokens, Authorization and Cookie never reach the log,
 * even at trace level. Every line the server writes during a full scenario is captured and searched.
 */
let server: TestServer;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

beforeAll(async () => {
  server = await startTestServer([], { log: createLogger({ level: 'trace', destination: sink }) });
});
afterAll(async () => server?.close());

describe('logs carry no secrets', () => {
  it('a scenario with logins, secrets, grants, refresh, introspection, revocation and bad input leaks nothing', async () => {
    const secrets: string[] = [ADMIN_PASSWORD];
    const admin = await adminClient(server);
    secrets.push(admin.token!);
    const manual = 'Manual-Client-Secret-123';
    secrets.push(manual);
    const c1 = await admin.createClient({ client_id: 'logged-app', client_secret: manual, audience: 'api' });
    const c2 = await admin.createClient({ client_id: 'logged-app-2', audience: 'api' });
    const generated = (c2 as { client_secret?: string }).client_secret!;
    secrets.push(generated);
    const userPassword = 'User-Password-Sekret-9';
    secrets.push(userPassword);
    await admin.createUser({ username: 'logged-user', email: 'logged@example.com', password: userPassword });

    const auth = new AuthClient(server.authUrl);
    const grant = await auth.passwordGrant({ username: 'logged-user', password: userPassword, clientId: c1.client_id, clientSecret: manual });
    secrets.push(grant.access_token, grant.refresh_token!);
    const next = await auth.refresh({ refreshToken: grant.refresh_token!, clientId: c1.client_id, clientSecret: manual });
    secrets.push(next.access_token, next.refresh_token!);
    await http(`${server.authUrl}/introspect`, form({ token: next.access_token, client_id: c1.client_id, client_secret: manual }));
    await http(`${server.authUrl}/revoke`, form({ token: next.refresh_token!, client_id: c1.client_id, client_secret: manual }));
    await http(`${server.authUrl}/me`, bearer(next.access_token));
    const cc = await http(`${server.authUrl}/token`, form({ grant_type: 'client_credentials', client_id: c2.client_id, client_secret: generated }));
    secrets.push(cc.json.access_token);
    // Failures and malformed input carrying secrets.
    await http(`${server.authUrl}/token`, form({ grant_type: 'password', username: 'logged-user', password: 'Wrong-Password-Sekret', client_id: c1.client_id, client_secret: manual }));
    secrets.push('Wrong-Password-Sekret');
    await http(`${server.adminUrl}/users`, bearer(admin.token!, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"password":"Broken-Json-Sekret' }));
    secrets.push('Broken-Json-Sekret');
    await http(`${server.adminUrl}/users`, bearer(admin.token!, jsonBody({ username: 'x y', email: 'bad', password: 'Invalid-User-Sekret' })));
    secrets.push('Invalid-User-Sekret');
    await http(`${server.authUrl}/token?password=Query-Sekret-1&code=Query-Code-Sekret`, form({ grant_type: 'nope' }));
    secrets.push('Query-Sekret-1', 'Query-Code-Sekret');

    await new Promise((r) => setTimeout(r, 200));
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(12); // the scenario was logged (a test that sees nothing proves nothing)
    expect(log).toContain('"path":"/token"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log.includes(secret), `secret leaked into the log: ${secret.slice(0, 6)}…`).toBe(false);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
