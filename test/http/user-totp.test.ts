import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient, type AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, expectApiError, unique } from '../helpers/admin.js';
import { arrange, oathtool } from '../helpers/arrange.js';
import { bearer, http, jsonBody } from '../helpers/http.js';
import { servedRoutes } from '../helpers/routes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const qrRoot = mkdtempSync(join(tmpdir(), 'mad-qr-'));
let server: TestServer;
let admin: AdminClient;
beforeAll(async () => {
  server = await startTestServer(['--totp-qr-output-root', qrRoot]);
  admin = await adminClient(server);
});
afterAll(async () => {
  await server?.close();
  rmSync(qrRoot, { recursive: true, force: true });
});

const secretOf = (uri: string) => new URL(uri).searchParams.get('secret') as string;

describe('TOTP enrolment (admin API)', () => {
  it('enrols with an SVG file, an otpauth URI and an inline QR; a code from oathtool enables it; login then needs a code', async () => {
    const a = arrange(server);
    const client = await a.client();
    await a.store.clients.setFeature(client.id, 'ENABLE_TOTP', true);
    await a.store.clients.setFeatureOptions(client.id, 'TOTP_ISSUER', 'Acme');
    const name = unique('otp');
    const u = await admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    const enrol = await admin.generateTotp(u.id, client.clientId, 'qr');
    expect(enrol.success).toBe(true);
    expect(enrol.filename).toMatch(/^totp_qr_[0-9a-f]{12}\.svg$/);
    expect(readFileSync(join(qrRoot, 'qr', enrol.filename as string), 'utf8')).toContain('<svg');
    expect(enrol.qr_svg).toContain('<svg');
    expect(enrol.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Acme:/);
    expect((await admin.getUser(u.id)).totp_enabled).toBe(false);

    await expectApiError(admin.verifyTotp(u.id, client.id, '000000'), 400, 'totp failure');
    const code = oathtool(secretOf(enrol.otpauth_uri));
    expect((await admin.verifyTotp(u.id, client.id, code)).message).toBe('TOTP enabled for user');
    await expectApiError(admin.verifyTotp(u.id, client.id, code), 400, 'totp failure'); // a used code cannot be replayed
    expect((await admin.getUser(u.id)).totp_enabled).toBe(true);

    const auth = new AuthClient(server.authUrl);
    const creds = { username: name, password: 'user-password-1', clientId: client.clientId, clientSecret: client.clientSecret };
    await expectApiError(auth.passwordGrant(creds), 400, 'Invalid credentials');
    expect((await admin.disableTotp(u.id, client.clientId)).message).toBe('TOTP disabled for user');
    expect((await auth.passwordGrant(creds)).access_token).toBeTruthy();
    expect((await admin.getUser(u.id)).totp_enabled).toBe(false);
  });

  it('refuses clients without ENABLE_TOTP, unknown users, and paths outside the QR root', async () => {
    const a = arrange(server);
    const plain = await a.client();
    const name = unique('otp');
    const u = await admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    await expectApiError(admin.generateTotp(u.id, plain.id), 400, 'TOTP is not enabled for this client');
    await expectApiError(admin.generateTotp(u.id, 'no-such-client'), 400, 'TOTP is not enabled for this client');
    const totpClient = await a.client();
    await a.store.clients.setFeature(totpClient.id, 'ENABLE_TOTP', true);
    await expectApiError(admin.generateTotp('no-such-user', totpClient.id), 404, 'User not found');
    await expectApiError(admin.generateTotp(u.id, totpClient.id, '../../etc'), 400, 'QR output path is outside the allowed directory');
    expect(existsSync(join(qrRoot, '..', '..', 'etc', 'totp_qr'))).toBe(false);
    await expectApiError(admin.verifyTotp('', totpClient.id, '123456'), 400, 'totp failure');
  });

  it('the enrolment answer (it carries the seed) is not cacheable: Cache-Control no-store, Pragma no-cache', async () => {
    const a = arrange(server);
    const client = await a.client();
    await a.store.clients.setFeature(client.id, 'ENABLE_TOTP', true);
    const name = unique('otp');
    const u = await admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    const r = await http(`${server.adminUrl}/users/${u.id}/totp/generate`, bearer(admin.token!, jsonBody({ client_id: client.id })));
    expect(r.json.otpauth_uri).toMatch(/^otpauth:/);
    expect([r.status, r.headers.get('cache-control'), r.headers.get('pragma')]).toEqual([200, 'no-store', 'no-cache']);
  });

  it('never hands the seed out again after enrolment: no GET of either plane, no verify answer, no audit record carries it', async () => {
    const a = arrange(server);
    const client = await a.client({ scopes: ['admin:read_user', 'admin:list_users'] });
    await a.store.clients.setFeature(client.id, 'ENABLE_TOTP', true);
    const name = unique('seed');
    const u = await admin.createUser({ username: name, email: `${name}@example.com`, password: 'user-password-1' });
    await admin.assignUserScopes(u.id, [(await admin.listScopes()).find((s) => s.name === 'admin:read_user')!.id]);
    const enrol = await admin.generateTotp(u.id, client.clientId, 'qr');
    const seed = secretOf(enrol.otpauth_uri);
    expect(seed).toMatch(/^[A-Z2-7]{16,}$/);
    const verified = await http(`${server.adminUrl}/users/totp/verify`, bearer(admin.token!, jsonBody({ user_id: u.id, client_id: client.id,
      code: oathtool(seed) })));
    expect(verified.status).toBe(200);
    const answers: { where: string; status: number; text: string }[] = [{ where: 'POST /users/totp/verify', status: verified.status, text: verified.text }];
    const auth = new AuthClient(server.authUrl);
    const userToken = (await auth.passwordGrant({ username: name, password: 'user-password-1', clientId: client.clientId,
      clientSecret: client.clientSecret, totpCode: oathtool(seed, new Date(Date.now() + 30_000)) })).access_token;
    const session = (await admin.listUserSessions(u.id)).items[0]!;
    // Every GET route each plane serves, its path parameters filled with this user's and client's ids.
    const fill = (path: string): string => path
      .replace(/^\/clients\/\{id\}/, `/clients/${client.id}`)
      .replace(/\{(id|userId)\}/g, u.id).replace('{clientId}', client.clientId).replace('{jti}', session.id)
      .replace('{flag}', 'ENABLE_TOTP').replace('{plane}', 'auth').replace(/\{(name|username)\}/g, name).replace('{roleId}', 'x');
    for (const [plane, base, token] of [['admin', server.adminUrl, admin.token!], ['auth', server.authUrl, userToken]] as const) {
      for (const route of servedRoutes(server.apps[plane]).filter((r) => r.method === 'GET' || r.method === '*')) {
        const path = fill(route.path);
        const r = await http(`${base}${path}?client_id=${client.clientId}`, bearer(token, { redirect: 'manual' }));
        answers.push({ where: `${plane} GET ${path}`, status: r.status, text: r.text });
      }
    }
    expect(answers.find((x) => x.where === `admin GET /users/${u.id}`)?.text).toContain('"totp_enabled":true');
    // The test saw real data: the user, their sessions and the audit trail were among the answers.
    for (const where of [`admin GET /users/${u.id}`, `admin GET /sessions/user/${u.id}`, `admin GET /sessions/${session.id}`, 'admin GET /audit-logs', 'auth GET /me', `auth GET /user/${u.id}`]) {
      expect(answers.find((x) => x.where === where)?.status, where).toBe(200);
    }
    for (const x of answers) {
      expect(x.text.includes(seed) || x.text.toLowerCase().includes(seed.toLowerCase()), `seed in ${x.where}`).toBe(false);
    }
    const audit = a.db.prepare('SELECT * FROM audit_logs').all();
    expect(JSON.stringify(audit)).not.toContain(seed);
    a.close();
  });
});
