import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient, type AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, expectApiError, unique } from '../helpers/admin.js';
import { arrange, oathtool } from '../helpers/arrange.js';
import { bearer, http, jsonBody } from '../helpers/http.js';
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
});
