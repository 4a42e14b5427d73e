import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { sha256Digest } from '../../src/crypto/secrets.js';
import { arrange, type TestClient, type TestUser } from '../helpers/arrange.js';
import { form, http, type HttpResult } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let user: TestUser;
const REDIRECT = 'https://rp.example.com/cb';

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  user = await a.user({ scopes: ['openid'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

async function registered(flags: [string, string][]): Promise<TestClient> {
  const c = await a.client();
  a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, REDIRECT, new Date().toISOString());
  for (const [flag, options] of flags) {
    a.db.prepare('INSERT INTO client_features (id, client_id, feature_flag, options, is_enabled) VALUES (?, ?, ?, ?, 1)').run(randomUUID(), c.id, flag, options);
  }
  return c;
}

const get = (path: string, cookie = ''): Promise<HttpResult> =>
  http(`${server.authUrl}${path}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
const hidden = (page: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';

function authorizeUrl(c: TestClient, challenge: string, extra: Record<string, string> = {}): string {
  return `/authorize?${new URLSearchParams({ response_type: 'code', client_id: c.clientId, redirect_uri: REDIRECT, scope: 'openid',
    state: 's1', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`;
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function exchange(c: TestClient, location: string, verifier: string): Promise<HttpResult> {
  return http(`${server.authUrl}/token`, form({ grant_type: 'authorization_code', code: new URL(location).searchParams.get('code')!,
    redirect_uri: REDIRECT, code_verifier: verifier, client_id: c.clientId, client_secret: c.clientSecret }));
}

/** A full password login through the pages; returns the finalize response. */
async function passwordLogin(c: TestClient, challenge: string, cookie = ''): Promise<HttpResult> {
  const az = await get(authorizeUrl(c, challenge), cookie);
  expect(az.headers.get('location')).toMatch(/^\/login\?jti=/);
  const page = await get(az.headers.get('location')!);
  const jti = hidden(page.text, 'jti');
  const li = await http(`${server.authUrl}/login`, { ...form({ jti, csrf: hidden(page.text, 'csrf'), username: user.username, password: user.password }), redirect: 'manual' });
  expect(li.status).toBe(303);
  return get(li.headers.get('location')!);
}

describe('SESSION_BASED_AUTH', () => {
  it('a fresh login sets the session cookie (HttpOnly, SameSite=Lax, SESSION_BASED_MAX_AGE); the next authorization skips the login', async () => {
    const c = await registered([['SESSION_BASED_AUTH', ''], ['SESSION_BASED_MAX_AGE', '600']]);
    const first = pkce();
    const fin = await passwordLogin(c, first.challenge);
    expect(fin.status).toBe(302);
    const setCookie = fin.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^session_${c.clientId}=[\\w-]{43};`));
    expect(setCookie.toLowerCase()).toContain('httponly');
    expect(setCookie.toLowerCase()).toContain('samesite=lax');
    expect(setCookie.toLowerCase()).not.toContain('secure'); // plain HTTP in tests; Secure is set over TLS
    const expires = Date.parse(/expires=([^;]+)/i.exec(setCookie)![1]!);
    expect(Math.abs(expires - Date.now() - 600_000)).toBeLessThan(5_000);
    const cookie = setCookie.split(';')[0]!;
    // Stored only as a digest.
    const row = a.db.prepare('SELECT * FROM sessions WHERE id = ?').get(sha256Digest(cookie.split('=')[1]!)) as Record<string, unknown>;
    expect(row).toMatchObject({ user_id: user.id, is_session_based: 1, session_max_age_seconds: 600, is_revoked: 0 });
    expect((await exchange(c, fin.headers.get('location')!, first.verifier)).status).toBe(200);

    const second = pkce();
    const az = await get(authorizeUrl(c, second.challenge), cookie);
    expect(az.status).toBe(302);
    expect(az.headers.get('location')).toMatch(/^\/login\/finalize\?jti=/);
    const fin2 = await get(az.headers.get('location')!, cookie);
    expect(fin2.status).toBe(302);
    expect(fin2.headers.get('set-cookie')).toBeNull();
    const t = await exchange(c, fin2.headers.get('location')!, second.verifier);
    expect(t.status).toBe(200);
    expect(decodeJwt(t.json.id_token).auth_time).toBe(Math.floor(Date.parse(row.issued_at as string) / 1000));

    // POST /authorize reports the client as session-based.
    const headless = await http(`${server.authUrl}/authorize`, form({ client_id: c.clientId, redirect_uri: REDIRECT, scope: 'openid', nonce: 'n',
      code_challenge: second.challenge, code_challenge_method: 'S256' }));
    expect(headless.json.is_session_based).toBe(true);

    // max_age shorter than the session's age, a revoked session, or another client's cookie: back to the login page.
    a.db.prepare('UPDATE sessions SET issued_at = ? WHERE id = ?').run(new Date(Date.now() - 120_000).toISOString(), row.id);
    expect((await get(authorizeUrl(c, second.challenge, { max_age: '60' }), cookie)).headers.get('location')).toMatch(/^\/login\?jti=/);
    const other = await registered([['SESSION_BASED_AUTH', '']]);
    expect((await get(authorizeUrl(other, second.challenge), cookie.replace(c.clientId, other.clientId))).headers.get('location')).toMatch(/^\/login\?jti=/);
    a.db.prepare('UPDATE sessions SET is_revoked = 1 WHERE id = ?').run(row.id);
    expect((await get(authorizeUrl(c, second.challenge), cookie)).headers.get('location')).toMatch(/^\/login\?jti=/);
  });

  it('POST /logout ends the browser session too: the next authorization asks for the password again', async () => {
    const c = await registered([['SESSION_BASED_AUTH', ''], ['SESSION_BASED_MAX_AGE', '600']]);
    const first = pkce();
    const fin = await passwordLogin(c, first.challenge);
    const cookie = fin.headers.get('set-cookie')!.split(';')[0]!;
    const tokens = await exchange(c, fin.headers.get('location')!, first.verifier);
    expect(tokens.status).toBe(200);
    expect((await get(authorizeUrl(c, pkce().challenge), cookie)).headers.get('location')).toMatch(/^\/login\/finalize\?jti=/);

    const out = await http(`${server.authUrl}/logout`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.json.access_token}` } });
    expect(out.status).toBe(200);
    expect((await get(authorizeUrl(c, pkce().challenge), cookie)).headers.get('location')).toMatch(/^\/login\?jti=/);
    const row = a.db.prepare('SELECT is_revoked FROM sessions WHERE id = ?').get(sha256Digest(cookie.split('=')[1]!)) as { is_revoked: number };
    expect(row.is_revoked).toBe(1);
  });

  it('clients without the flag get no cookie', async () => {
    const c = await registered([]);
    const fin = await passwordLogin(c, pkce().challenge);
    expect(fin.status).toBe(302);
    expect(fin.headers.get('set-cookie')).toBeNull();
  });
});
