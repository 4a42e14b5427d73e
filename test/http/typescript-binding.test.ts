/**
 * bindings/typescript beyond what the route tests exercise: the transport against small fake servers
 * (every non-2xx answer and every broken exchange is a MadApiError), and the auth-plane routes for
 * proxies and backends (/verify, RFC 8414 metadata, the PEM) against the real server.
 */
import { createHash, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/admin-client.js';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import { MadApiError } from '../../bindings/typescript/models.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';

const hits: string[] = [];
const answers: Record<string, { status: number; type: string; body: string }> = {
  '/oauth': { status: 400, type: 'application/json', body: '{"error":"invalid_grant","error_description":"Invalid credentials"}' },
  '/envelope': { status: 404, type: 'application/json', body: '{"success":false,"message":"Role not found"}' },
  '/json-string': { status: 400, type: 'application/json', body: '"Invalid credentials"' },
  '/text': { status: 429, type: 'text/plain', body: 'Too Many Requests' },
  '/empty': { status: 401, type: 'application/json', body: '' },
};
let fake: Server;
let fakeUrl: string;

beforeAll(async () => {
  fake = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/elsewhere' }).end();
    } else if (req.url === '/broken') { // promises 100 bytes, sends 10, hangs up
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"message"', () => res.destroy());
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('{}'), 2_000).unref();
    } else {
      const a = answers[req.url ?? ''] ?? { status: 200, type: 'application/json', body: '{"message":"ok"}' };
      res.writeHead(a.status, { 'Content-Type': a.type }).end(a.body);
    }
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

async function failure(path: string, timeoutMs = 5_000): Promise<MadApiError> {
  const client = new AdminClient({ baseUrl: fakeUrl, token: 'secret-admin-token', timeoutMs });
  const err = await client.transport.request({ method: 'GET', path }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MadApiError);
  return err as MadApiError;
}

describe('transport', () => {
  it('a redirect is an error and is not followed', async () => {
    const err = await failure('/redirect');
    expect(err.status).toBe(302);
    expect(err.message).toContain('/elsewhere');
    expect(hits).not.toContain('/elsewhere');
  });

  it('error bodies of every shape keep the server\'s words', async () => {
    const expected: Record<string, [number, string, string | undefined]> = {
      '/oauth': [400, 'Invalid credentials', 'invalid_grant'],
      '/envelope': [404, 'Role not found', undefined],
      '/json-string': [400, 'Invalid credentials', undefined],
      '/text': [429, 'Too Many Requests', undefined],
      '/empty': [401, 'HTTP 401', undefined],
    };
    for (const [path, [status, message, error]] of Object.entries(expected)) {
      const err = await failure(path);
      expect([err.status, err.message, err.error], path).toEqual([status, message, error]);
    }
  });

  it('a broken answer and a timeout are status 0 with their cause', async () => {
    const broken = await failure('/broken');
    expect(broken.status).toBe(0);
    expect(broken.cause).toBeInstanceOf(Error);
    const slow = await failure('/slow', 200);
    expect(slow.status).toBe(0);
    expect(slow.cause).toBeInstanceOf(Error);
  });
});

describe('a 2xx answer that is not JSON where JSON is expected (another web server at the base URL)', () => {
  const html = '<!doctype html><h1>It works!</h1>';
  let pages: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  let other: Server;
  let otherUrl: string;
  beforeAll(async () => {
    other = createServer((req, res) => {
      req.resume();
      const page = pages[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html };
      res.writeHead(page.status, page.headers).end(page.body);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });
  const failureOf = (p: Promise<unknown>): Promise<MadApiError> => p.then(() => {
    throw new Error('resolved');
  }, (e: unknown) => {
    expect(e).toBeInstanceOf(MadApiError);
    return e as MadApiError;
  });

  it('is a MadApiError with the status, whatever the method returns', async () => {
    pages = {};
    const admin = new AdminClient({ baseUrl: otherUrl, token: 't' });
    const auth = new AuthClient({ baseUrl: otherUrl, token: 't' });
    const creds = { clientId: 'c', clientSecret: 's' };
    const calls: Record<string, () => Promise<unknown>> = {
      'ping (an object)': () => admin.ping(), 'getUser (a model)': () => admin.getUser('u1'), 'listRoles (a list)': () => admin.listRoles(),
      'listUsersPage (a page)': () => admin.listUsersPage(), 'userIdByName (a JSON string)': () => admin.userIdByName('alice'),
      'deleteUser (a message)': () => admin.deleteUser('u1'), getClientFlag: () => admin.getClientFlag('ENABLE_TOTP', 'c'),
      'login (keeps a token)': () => admin.login('admin', 'pw'), clientCredentials: () => auth.clientCredentials(creds),
      introspect: () => auth.introspect({ ...creds, token: 'tok' }), jwks: () => auth.jwks(), meSessions: () => auth.meSessions(),
      authorize: () => auth.authorize({ clientId: 'c', redirectUri: 'https://app.example.com/cb', codeChallenge: 'ch' }),
    };
    const message = new RegExp(`^expected JSON from (GET|POST|DELETE) /[^ ]+, got text/html \\(HTTP 200\\); is ${otherUrl.replaceAll(".", "\\.")} a microauthd server\\?$`);
    for (const [name, call] of Object.entries(calls)) {
      const err = await failureOf(call());
      expect([err.status, err.body], name).toEqual([200, html]);
      expect(err.message, name).toMatch(message);
    }
    expect((await failureOf(admin.getUser('u/1'))).message).toContain('from GET /users/u%2F1, got text/html');
    expect(admin.token).toBe('t'); // login kept no token from the page
  });

  it('an empty body, malformed JSON and an object where a list is expected are MadApiErrors too', async () => {
    const json = { 'Content-Type': 'application/json' };
    pages = {
      '/users/u1': { status: 201, headers: json, body: '' },
      '/roles': { status: 200, headers: json, body: '<html>' },
      '/users': { status: 200, headers: json, body: '{"message":"ok"}' },
      '/client/options/F/ext': { status: 200, headers: { 'Content-Type': 'text/plain' }, body: '600' },
    };
    const admin = new AdminClient({ baseUrl: otherUrl, token: 't' });
    expect(await failureOf(admin.getUser('u1'))).toMatchObject({ status: 201, message: expect.stringContaining('got an empty body (HTTP 201)') });
    expect(await failureOf(admin.listRoles())).toMatchObject({ status: 200, message: expect.stringContaining('got malformed JSON') });
    expect(await failureOf(admin.listUsersPage())).toMatchObject({ status: 200,
      message: expect.stringContaining('expected a JSON array from GET /users, got a JSON object (HTTP 200)'), body: { message: 'ok' } });
    expect(await failureOf(admin.getClientFlagOptions('F', 'c'))).toMatchObject({ status: 200, message: expect.stringContaining('got text/plain (HTTP 200)') });
  });

  it('verify() needs the identity headers', async () => {
    pages = {};
    expect(await failureOf(new AuthClient(otherUrl).verify('tok'))).toMatchObject({ status: 200,
      message: expect.stringContaining('expected the X-Auth-Sub header from GET /verify') });
  });

  it('the routes that are not JSON still work: the PEM, /verify\'s headers, the redirect of /login/finalize', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
    pages = {
      '/keys/auth.pem': { status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: pem },
      '/verify': { status: 200, headers: { 'X-Auth-Sub': 'u1', 'X-Auth-Client': 'web' }, body: '' },
      '/login/finalize': { status: 302, headers: { Location: 'https://app.example.com/cb?code=c1', 'Content-Type': 'text/html' }, body: '<p>Found</p>' },
    };
    const auth = new AuthClient(otherUrl);
    expect(await auth.publicKeyPem()).toBe(pem);
    expect(await auth.verify('tok')).toEqual({ 'x-auth-sub': 'u1', 'x-auth-client': 'web' });
    expect(await auth.finalize('jti')).toBe('https://app.example.com/cb?code=c1');
  });
});

describe('auth-plane routes for proxies and backends', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('authorizationUrl() drives the browser login to a code', async () => {
    const REDIRECT = 'https://app.example.com/cb';
    const admin = new AdminClient(server.adminUrl);
    await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const username = `tsb-${randomUUID().slice(0, 8)}`;
    const user = await admin.createUser({ username, email: `${username}@example.com`, password: 'user-password-1' });
    const client = await admin.createClient({ client_id: `ts-br-${randomUUID().slice(0, 8)}`, audience: 'ts-api' });
    await admin.addRedirectUri(client.id, REDIRECT);
    const auth = new AuthClient(server.authUrl);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const link = auth.authorizationUrl({ clientId: client.client_id, redirectUri: REDIRECT, codeChallenge: challenge, scope: 'openid profile',
      nonce: 'n 1', state: 'a b&c=d' });
    expect(link.startsWith(`${server.authUrl}/authorize?response_type=code&`)).toBe(true);

    const browser = (path: string, init: RequestInit = {}) => fetch(new URL(path, server.authUrl), { ...init, redirect: 'manual' });
    const login = (await browser(link)).headers.get('location')!;
    expect(login).toMatch(/^\/login\?jti=/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await browser(login)).text())![1]!;
    const jti = new URL(login, server.authUrl).searchParams.get('jti')!;
    const finalize = (await browser('/login', { method: 'POST',
      body: new URLSearchParams({ jti, csrf, username, password: 'user-password-1' }) })).headers.get('location')!;
    const back = new URL((await browser(finalize)).headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('a b&c=d');
    const tokens = await auth.authorizationCodeGrant({ clientId: client.client_id, clientSecret: client.client_secret! },
      { code: back.searchParams.get('code')!, redirectUri: REDIRECT, codeVerifier: verifier });
    expect((await new AuthClient({ baseUrl: server.authUrl, token: tokens.access_token }).me()).sub).toBe(user.id);

    const foreign = auth.authorizationUrl({ clientId: client.client_id, redirectUri: 'https://evil.example.com/cb', codeChallenge: challenge });
    expect((await browser(foreign)).status).toBe(400); // never redirected to an unregistered URI
  });

  it('verify() checks the token and its requirements on the server; metadata and the PEM match discovery and JWKS', async () => {
    const admin = new AdminClient(server.adminUrl);
    await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const username = `ts-${randomUUID().slice(0, 8)}`;
    const user = await admin.createUser({ username, email: `${username}@example.com`, password: 'user-password-1' });
    const client = await admin.createClient({ client_id: `ts-fa-${randomUUID().slice(0, 8)}`, audience: 'ts-api' });
    const auth = new AuthClient(server.authUrl);
    const { access_token: token } = await auth.passwordGrant({ clientId: client.client_id, clientSecret: client.client_secret!, username,
      password: 'user-password-1' });

    expect(await auth.verify(token, { aud: 'ts-api' })).toMatchObject({ 'x-auth-sub': user.id, 'x-auth-client': client.client_id });
    const refusal = async (t: string, require: Parameters<AuthClient['verify']>[1]) =>
      auth.verify(t, require).then(() => null, (e: unknown) => e as MadApiError);
    expect(await refusal(token, { aud: 'another-api' })).toMatchObject({ status: 403 });
    expect(await refusal(token, { scope: 'admin:list_users' })).toMatchObject({ status: 403 });
    expect(await refusal('not-a-token', {})).toMatchObject({ status: 401 });

    expect(await auth.authorizationServerMetadata()).toEqual(await auth.discovery());
    const { kty, n, e, crv, x, y } = createPublicKey(await auth.publicKeyPem()).export({ format: 'jwk' });
    expect(kty).toMatch(/^(RSA|EC)$/);
    expect((await auth.jwks()).keys).toContainEqual(expect.objectContaining(JSON.parse(JSON.stringify({ kty, n, e, crv, x, y }))));
  });
});
