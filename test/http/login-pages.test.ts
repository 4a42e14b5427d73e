import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { arrange, oathtool, type TestClient, type TestUser } from '../helpers/arrange.js';
import { form, http, type HttpResult } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let client: TestClient;
let user: TestUser;
const REDIRECT = 'https://rp.example.com/cb';
const XSS = '<script>alert("x")</script>';

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  client = await registered();
  a.db.prepare('UPDATE clients SET display_name = ? WHERE id = ?').run(`Reports ${XSS}`, client.id);
  user = await a.user({ scopes: ['openid'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

async function registered(flags: string[] = []): Promise<TestClient> {
  const c = await a.client();
  a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, REDIRECT, new Date().toISOString());
  for (const flag of flags) a.db.prepare('INSERT INTO client_features (id, client_id, feature_flag, is_enabled) VALUES (?, ?, ?, 1)').run(randomUUID(), c.id, flag);
  return c;
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const get = (path: string): Promise<HttpResult> => http(`${server.authUrl}${path}`, { redirect: 'manual' });
const post = (path: string, fields: Record<string, string>): Promise<HttpResult> => http(`${server.authUrl}${path}`, { ...form(fields), redirect: 'manual' });
const hidden = (page: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';

function authorizeUrl(c: TestClient, challenge: string, extra: Record<string, string> = {}): string {
  return `/authorize?${new URLSearchParams({ response_type: 'code', client_id: c.clientId, redirect_uri: REDIRECT, scope: 'openid',
    state: 'st<ate>', nonce: 'nonce-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`;
}

/** GET /authorize → the login page. */
async function startLogin(c: TestClient, challenge: string): Promise<{ jti: string; page: HttpResult }> {
  const az = await get(authorizeUrl(c, challenge));
  expect(az.status).toBe(302);
  const loc = az.headers.get('location')!;
  expect(loc).toMatch(/^\/login\?jti=[\w-]{22}$/);
  const page = await get(loc);
  return { jti: new URL(loc, server.authUrl).searchParams.get('jti')!, page };
}

describe('hosted login pages', () => {
  it('GET /authorize → /login → POST /login → /login/finalize → the client gets code and state; the code exchanges', async () => {
    const { verifier, challenge } = pkce();
    const { jti, page } = await startLogin(client, challenge);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("form-action 'self' https://rp.example.com");
    expect(page.text).not.toMatch(/<script/i);
    for (const id of ['username', 'password']) {
      expect(page.text).toContain(`<label for="${id}">`);
      expect(page.text).toContain(`id="${id}"`);
    }
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.text)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    const csrf = hidden(page.text, 'csrf');
    expect(csrf).toMatch(/^[\w-]{43}$/);
    expect(hidden(page.text, 'jti')).toBe(jti);

    const li = await post('/login', { jti, csrf, username: user.username, password: user.password });
    expect(li.status).toBe(303);
    expect(li.headers.get('location')).toBe(`/login/finalize?jti=${jti}`);
    const fin = await get(li.headers.get('location')!);
    expect(fin.status).toBe(302);
    const back = new URL(fin.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st<ate>');
    const t = await http(`${server.authUrl}/token`, form({ grant_type: 'authorization_code', code: back.searchParams.get('code')!,
      redirect_uri: REDIRECT, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }));
    expect(t.status).toBe(200);
    expect(t.json.id_token).toEqual(expect.any(String));
  });

  it('an unknown client or unregistered redirect URI shows an error page and never redirects', async () => {
    const { challenge } = pkce();
    for (const extra of [{ redirect_uri: 'https://evil.example/cb' }, { redirect_uri: `${REDIRECT}/x` }, { client_id: 'nobody' }]) {
      const r = await get(authorizeUrl(client, challenge, extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).not.toContain('evil.example');
    }
  });

  it('other request errors redirect to the client with error= and state (RFC 6749 §4.1.2.1)', async () => {
    const { verifier, challenge } = pkce();
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge: verifier, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '', code_challenge_method: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ nonce: '' }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const r = await get(authorizeUrl(client, challenge, extra));
      expect(r.status, JSON.stringify(extra)).toBe(302);
      const loc = new URL(r.headers.get('location')!);
      expect(loc.origin + loc.pathname).toBe(REDIRECT);
      expect(loc.searchParams.get('error')).toBe(error);
      expect(loc.searchParams.get('state')).toBe('st<ate>');
      expect(loc.searchParams.get('code')).toBeNull();
    }
  });

  it('wrong credentials, an unknown user and a missing CSRF token re-render the page with the same generic error', async () => {
    const { jti, page } = await startLogin(client, pkce().challenge);
    const csrf = hidden(page.text, 'csrf');
    const wrong = await post('/login', { jti, csrf, username: user.username, password: 'wrong' });
    const unknown = await post('/login', { jti, csrf, username: 'ghost', password: 'wrong' });
    const noCsrf = await post('/login', { jti, username: user.username, password: user.password });
    const badCsrf = await post('/login', { jti, csrf: 'x'.repeat(43), username: user.username, password: user.password });
    const errorText = (r: HttpResult) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(r.text)?.[1];
    for (const r of [wrong, unknown, noCsrf, badCsrf]) {
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(errorText(r)).toBe('Sign-in failed. Check your details and try again.');
    }
    // The CSRF refusal did not log the user in.
    expect((await get(`/login/finalize?jti=${jti}`)).status).toBe(400);
  });

  it('escapes everything it echoes: client name, username, jti', async () => {
    const { jti, page } = await startLogin(client, pkce().challenge);
    expect(page.text).not.toContain(XSS);
    expect(page.text).toContain('Reports &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const r = await post('/login', { jti, csrf: hidden(page.text, 'csrf'), username: `"><img src=x onerror=alert(1)>`, password: 'x' });
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    const bogus = await get(`/login?jti=${encodeURIComponent(XSS)}`);
    expect(bogus.status).toBe(400);
    expect(bogus.text).not.toContain('<script>alert');
    const bogusTotp = await get(`/totp?jti=${encodeURIComponent(XSS)}&error=${encodeURIComponent(XSS)}`);
    expect(bogusTotp.text).not.toContain('<script>alert');
  });

  it('with TOTP: /login → /totp; finalize before the TOTP step is refused; the oathtool code completes the login', async () => {
    const totpClient = await registered(['ENABLE_TOTP']);
    const totpUser = await a.user({ scopes: ['openid'] });
    const secret = newTotpSecret();
    await a.enrolTotp(totpUser.id, totpClient.id, secret, new Date(Date.now() - 90_000));
    const { jti, page } = await startLogin(totpClient, pkce().challenge);
    const li = await post('/login', { jti, csrf: hidden(page.text, 'csrf'), username: totpUser.username, password: totpUser.password });
    expect(li.status).toBe(303);
    expect(li.headers.get('location')).toBe(`/totp?jti=${jti}`);
    expect((await get(`/login/finalize?jti=${jti}`)).status).toBe(400);
    const totp = await get(li.headers.get('location')!);
    expect(totp.status).toBe(200);
    expect(totp.text).toContain('<label for="totp_code">');
    const csrf = hidden(totp.text, 'csrf');
    expect((await post('/totp', { jti, csrf, totp_code: '000000' === oathtool(secret) ? '111111' : '000000' })).status).toBe(400);
    const ok = await post('/totp', { jti, csrf, totp_code: oathtool(secret) });
    expect(ok.status).toBe(303);
    const fin = await get(ok.headers.get('location')!);
    expect(fin.status).toBe(302);
    expect(new URL(fin.headers.get('location')!).searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('discovery advertises the authorization endpoint, code and S256', async () => {
    const d = await http(`${server.authUrl}/.well-known/openid-configuration`);
    expect(d.json).toMatchObject({ authorization_endpoint: 'http://127.0.0.1/authorize', response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'] });
  });
});
