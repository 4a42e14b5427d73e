import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient } from '../../bindings/typescript/index.js';
import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/index.js';
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
    // Cookie and Authorization headers of any kind, on both planes.
    await http(`${server.adminUrl}/users`, { headers: { Cookie: 'mad_session=Cookie-Sekret-42', Authorization: 'Basic QXV0aC1IZWFkZXItU2VrcmV0' } });
    await http(`${server.authUrl}/me`, { headers: { Cookie: 'sid=Auth-Cookie-Sekret-7', Authorization: 'Bearer Bogus-Bearer-Sekret-1' } });
    secrets.push('Cookie-Sekret-42', 'QXV0aC1IZWFkZXItU2VrcmV0', 'Auth-Cookie-Sekret-7', 'Bogus-Bearer-Sekret-1');
    // Key rotation on both planes, then TOTP enrolment: neither the signing keys nor the seed reach the log.
    for (const plane of ['auth', 'admin'] as const) await admin.rotateKeys(plane);
    const totpClient = await admin.createClient({ client_id: 'logged-totp-app' });
    await admin.setClientFlag('ENABLE_TOTP', totpClient.id, true);
    const enrolled = await admin.generateTotp(await admin.userIdByName('logged-user'), totpClient.id);
    secrets.push(new URL(enrolled.otpauth_uri).searchParams.get('secret')!);
    const key = readFileSync(`${server.dbFile}.key`, 'utf8').trim();
    const db = openDatabase({ file: server.dbFile, key, synchronous: 'NORMAL' });
    for (const { pem } of db.prepare('SELECT private_key_pem AS pem FROM signing_keys').all() as { pem: string }[]) {
      secrets.push(...pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
    }
    db.close();
    secrets.push(key);

    await new Promise((r) => setTimeout(r, 200));
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(12); // the scenario was logged (a test that sees nothing proves nothing)
    expect(log).toContain('"path":"/token"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log.includes(secret), `secret leaked into the log: ${secret.slice(0, 6)}…`).toBe(false);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(log).not.toContain('PRIVATE KEY');
  });

  it('writes one JSON line per request carrying the request id the answer names', async () => {
    const answers = [
      await http(`${server.authUrl}/ping`),
      await http(`${server.adminUrl}/nope`),
      await http(`${server.authUrl}/token`, form({ grant_type: 'password' })),
      await http(`${server.adminUrl}/ping`, { headers: { 'X-Request-Id': 'caller-chosen-id.1' } }),
    ];
    await new Promise((r) => setTimeout(r, 200));
    const requests = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; path?: string; status?: number; plane?: string })
      .filter((l) => l.msg === 'request');
    for (const r of answers) {
      const id = r.headers.get('x-request-id');
      expect(id).toMatch(/^[\w.-]+$/);
      const logged = requests.filter((l) => l.reqId === id);
      expect(logged, `log line for request ${id}`).toHaveLength(1);
      expect(logged[0]!.status).toBe(r.status);
    }
    expect(requests.find((l) => l.reqId === 'caller-chosen-id.1')).toMatchObject({ plane: 'admin', path: '/ping' });
  });
});
