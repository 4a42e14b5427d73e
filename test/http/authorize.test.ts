import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import { MadApiError } from '../../bindings/typescript/models.js';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { sha256Digest } from '../../src/crypto/secrets.js';
import { arrange, oathtool, type TestClient, type TestUser } from '../helpers/arrange.js';
import { bearer, form, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let client: TestClient;
let user: TestUser;
const REDIRECT = 'https://rp.example.com/callback?tenant=1';

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  client = await registered();
  user = await a.user({ scopes: ['openid', 'profile'] });
});
afterAll(async () => {
  a?.close();
  await server?.close();
});

/** A client with REDIRECT registered (and optional flags). */
async function registered(o: { kind?: 'sha256' | 'none'; flags?: string[]; uris?: string[] } = {}): Promise<TestClient> {
  const c = await a.client({ kind: o.kind ?? 'sha256' });
  for (const uri of o.uris ?? [REDIRECT]) {
    a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, uri, new Date().toISOString());
  }
  for (const flag of o.flags ?? []) {
    a.db.prepare('INSERT INTO client_features (id, client_id, feature_flag, options, is_enabled) VALUES (?, ?, ?, ?, 1)').run(randomUUID(), c.id, flag, '');
  }
  return c;
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function authorize(c: TestClient, extra: Record<string, string> = {}) {
  return http(`${server.authUrl}/authorize`, form({ client_id: c.clientId, redirect_uri: REDIRECT, scope: 'openid profile',
    nonce: 'n-0S6_WzA2Mj', state: 'af0ifjsldkj', ...extra }));
}

async function finalize(jti: string) {
  return http(`${server.authUrl}/login/finalize`, { ...form({ jti }), redirect: 'manual' });
}

/** authorize → password → finalize; returns the code from the 302. */
async function loginForCode(c: TestClient, u: TestUser, challenge: string, extra: Record<string, string> = {}): Promise<string> {
  const az = await authorize(c, { code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  expect(az.status).toBe(200);
  const pw = await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: u.username, password: u.password, redirect_uri: REDIRECT }));
  expect(pw.status).toBe(200);
  const fin = await finalize(az.json.jti);
  expect(fin.status).toBe(302);
  return new URL(fin.headers.get('location')!).searchParams.get('code')!;
}

function exchange(c: TestClient, code: string, verifier: string, extra: Record<string, string> = {}) {
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: c.clientId,
    code_verifier: verifier, ...extra };
  if (c.clientSecret && !('client_secret' in extra)) fields.client_secret = c.clientSecret;
  for (const [k, v] of Object.entries(fields)) if (v === '') delete fields[k];
  return http(`${server.authUrl}/token`, form(fields));
}

describe('headless authorization code flow', () => {
  it('authorize → password → finalize → code exchange gives an access token, a refresh token and a valid OIDC id_token', async () => {
    const { verifier, challenge } = pkce();
    const az = await authorize(client, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(az.status).toBe(200);
    expect(az.json).toEqual({ jti: expect.stringMatching(/^[\w-]{22}$/), client_id: client.clientId, redirect_uri: REDIRECT,
      requires_totp: false, is_session_based: false });
    const pw = await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: user.username, password: user.password,
      redirect_uri: REDIRECT }));
    expect(pw.status).toBe(200);
    expect(pw.json).toMatchObject({ jti: az.json.jti, requires_totp: false });
    const fin = await finalize(az.json.jti);
    expect(fin.status).toBe(302);
    const location = new URL(fin.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://rp.example.com/callback');
    expect(location.searchParams.get('tenant')).toBe('1');
    expect(location.searchParams.get('state')).toBe('af0ifjsldkj');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[\w-]{43}$/);
    // Stored only as its SHA-256 digest.
    const row = a.db.prepare('SELECT * FROM authorization_codes WHERE code_sha256 = ?').get(sha256Digest(code)) as Record<string, unknown>;
    expect(row).toMatchObject({ user_id: user.id, client_identifier: client.clientId, used_at: null });
    // security.md: ≤ 60 s (the two times are read a moment apart, so allow a little under).
    const codeLife = Date.parse(String(row.expires_at)) - Date.parse(String(row.created_at));
    expect(codeLife).toBeLessThanOrEqual(60_000);
    expect(codeLife).toBeGreaterThan(59_000);
    expect(JSON.stringify(a.db.prepare('SELECT * FROM authorization_codes').all())).not.toContain(code);

    const t = await exchange(client, code, verifier);
    expect(t.status).toBe(200);
    expect(t.headers.get('cache-control')).toBe('no-store');
    expect(t.headers.get('pragma')).toBe('no-cache');
    expect(t.json).toMatchObject({ token_type: 'bearer', refresh_token: expect.stringMatching(/^[\da-f-]{36}\.[\w-]{43}$/), id_token: expect.any(String) });

    const jwks = createRemoteJWKSet(new URL(`${server.authUrl}/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(t.json.id_token, jwks, { issuer: 'http://127.0.0.1', audience: client.clientId });
    expect(protectedHeader.typ).toBe('JWT');
    expect(decodeProtectedHeader(t.json.id_token).kid).toEqual(expect.any(String));
    const digest = createHash('sha256').update(t.json.access_token).digest();
    expect(payload).toMatchObject({ sub: user.id, nonce: 'n-0S6_WzA2Mj', amr: ['pwd'], at_hash: digest.subarray(0, 16).toString('base64url') });
    expect(payload.auth_time).toEqual(expect.any(Number));
    expect(payload.exp! - payload.iat!).toBe(600);

    const info = await http(`${server.authUrl}/userinfo`, bearer(t.json.access_token));
    expect(info.status).toBe(200);
    expect(info.json.sub).toBe(user.id);
    // The ID token is not a bearer credential.
    expect((await http(`${server.authUrl}/userinfo`, bearer(t.json.id_token))).status).toBe(401);
    // The refresh token from the code works (and still yields an ID token).
    const r = await http(`${server.authUrl}/token`, form({ grant_type: 'refresh_token', refresh_token: t.json.refresh_token,
      client_id: client.clientId, client_secret: client.clientSecret }));
    expect(r.status).toBe(200);
  });

  it('without openid there is no id_token and no nonce is needed', async () => {
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge, { scope: 'profile', nonce: '' });
    const t = await exchange(client, code, verifier);
    expect(t.status).toBe(200);
    expect(t.json.id_token).toBeNull();
  });

  it('a public client (no secret) uses PKCE and may not send a secret; a confidential client must authenticate', async () => {
    const pub = await registered({ kind: 'none' });
    const { verifier, challenge } = pkce();
    const code = await loginForCode(pub, user, challenge);
    expect((await exchange({ ...pub, clientSecret: '' }, code, verifier)).status).toBe(200);

    const code2 = await loginForCode(pub, user, pkce().challenge);
    const withSecret = await exchange({ ...pub, clientSecret: 'made-up-secret' }, code2, verifier);
    expect(withSecret.status).toBe(401);
    expect(withSecret.json.error).toBe('invalid_client');

    const p = pkce();
    const code3 = await loginForCode(client, user, p.challenge);
    const noSecret = await exchange({ ...client, clientSecret: '' }, code3, p.verifier);
    expect(noSecret.status).toBe(401);
    const wrongSecret = await exchange(client, code3, p.verifier, { client_secret: 'wrong' });
    expect(wrongSecret.status).toBe(401);
  });

  it('GET /auth-session/{jti} shows only what a login page needs', async () => {
    const az = await authorize(client, { code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const v = await http(`${server.authUrl}/auth-session/${az.json.jti}`);
    expect(v.status).toBe(200);
    expect(Object.keys(v.json).sort()).toEqual(['client_id', 'client_name', 'expires_at', 'jti', 'redirect_host', 'redirect_origin', 'requires_totp', 'scope']);
    expect(v.json).toMatchObject({ client_id: client.clientId, redirect_host: 'rp.example.com', scope: 'openid profile', requires_totp: false });
    expect(v.text).not.toContain('af0ifjsldkj');
    expect(v.text).not.toContain('n-0S6_WzA2Mj');
    const missing = await http(`${server.authUrl}/auth-session/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ success: false, message: 'Session not found or expired' });
  });
});

describe('through bindings/typescript', () => {
  it('authorize, password, TOTP, auth-session, finalize and the code grant; failures carry status and message', async () => {
    const auth = new AuthClient(server.authUrl);
    const totpClient = await registered({ flags: ['ENABLE_TOTP'] });
    const totpUser = await a.user({ scopes: ['openid'] });
    const secret = newTotpSecret();
    await a.enrolTotp(totpUser.id, totpClient.id, secret, new Date(Date.now() - 90_000));
    const { verifier, challenge } = pkce();
    const started = await auth.authorize({ clientId: totpClient.clientId, redirectUri: REDIRECT, codeChallenge: challenge,
      codeChallengeMethod: 'S256', scope: 'openid', nonce: 'nn', state: 'ss' });
    expect(started.requires_totp).toBe(false);
    const refused = await auth.loginPassword(started.jti, totpUser.username, 'wrong').then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(MadApiError);
    expect((refused as MadApiError).status).toBe(400);
    expect((await auth.loginPassword(started.jti, totpUser.username, totpUser.password)).requires_totp).toBe(true);
    const early = await auth.finalize(started.jti).then(() => null, (e: unknown) => e);
    expect(early).toBeInstanceOf(MadApiError);
    expect(early).toMatchObject({ status: 400, message: 'Invalid credentials' });
    expect((await auth.authSession(started.jti)).requires_totp).toBe(true);
    await auth.loginTotp(started.jti, oathtool(secret));
    const location = await auth.finalize(started.jti);
    expect(location).toMatch(/^https:\/\/rp\.example\.com\/callback\?tenant=1&code=[\w-]{43}&state=ss$/);
    const tokens = await auth.authorizationCodeGrant({ clientId: totpClient.clientId, clientSecret: totpClient.clientSecret, basic: true },
      { code: new URL(location).searchParams.get('code')!, redirectUri: REDIRECT, codeVerifier: verifier });
    expect(tokens.id_token).toEqual(expect.any(String));
  });
});

describe('authorization request validation', () => {
  it('refuses plain, a missing or malformed challenge, unregistered redirect URIs, unknown clients and openid without nonce', async () => {
    const { challenge, verifier } = pkce();
    const cases: Record<string, string>[] = [
      { code_challenge: verifier, code_challenge_method: 'plain' },
      { code_challenge: challenge, code_challenge_method: 's256' },
      {},
      { code_challenge: 'short', code_challenge_method: 'S256' },
      { code_challenge: challenge, code_challenge_method: 'S256', redirect_uri: 'https://rp.example.com/callback' },
      { code_challenge: challenge, code_challenge_method: 'S256', redirect_uri: `${REDIRECT}&x=1` },
      { code_challenge: challenge, code_challenge_method: 'S256', redirect_uri: 'https://evil.example/callback' },
      { code_challenge: challenge, code_challenge_method: 'S256', client_id: 'no-such-client' },
      { code_challenge: challenge, code_challenge_method: 'S256', nonce: '' },
    ];
    for (const extra of cases) {
      const r = await authorize(client, extra);
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.json).toEqual({ success: false, message: expect.any(String) });
    }
  });

  it('bad input is a 400 envelope, never a 500', async () => {
    const r = await http(`${server.authUrl}/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"client_id":' });
    expect(r.status).toBe(400);
    expect(r.json.success).toBe(false);
    const pw = await http(`${server.authUrl}/login/password`, form({ jti: 'x' }));
    expect(pw.status).toBe(400);
    expect(pw.json).toEqual({ success: false, message: 'Missing required fields' });
    const maxAge = await authorize(client, { code_challenge: pkce().challenge, code_challenge_method: 'S256', max_age: '-3' });
    expect(maxAge.status).toBe(400);
  });

  it('wrong credentials at /login/password are 400 Invalid credentials, the same for an unknown user', async () => {
    const az = await authorize(client, { code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const wrong = await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: user.username, password: 'nope' }));
    const unknown = await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: 'ghost-user', password: 'nope' }));
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ success: false, message: 'Invalid credentials' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe(wrong.text);
  });
});

describe('code exchange refusals', () => {
  it('a wrong verifier is invalid_grant and burns the code', async () => {
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge);
    const bad = await exchange(client, code, pkce().verifier);
    expect(bad.status).toBe(400);
    expect([bad.headers.get('cache-control'), bad.headers.get('pragma')]).toEqual(['no-store', 'no-cache']);
    expect(bad.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials', error_uri: null });
    expect((await exchange(client, code, verifier)).status).toBe(400);
  });

  it('a missing verifier, an altered redirect URI and another client are invalid_grant', async () => {
    const other = await registered();
    for (const extra of [{ code_verifier: '' }, { redirect_uri: 'https://rp.example.com/callback' }, { redirect_uri: `${REDIRECT}&x=1` }]) {
      const { verifier, challenge } = pkce();
      const code = await loginForCode(client, user, challenge);
      const r = await exchange(client, code, verifier, extra);
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.json.error).toBe('invalid_grant');
    }
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge);
    const r = await exchange(other, code, verifier);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_grant');
  });

  it('an expired code is invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge);
    a.db.prepare('UPDATE authorization_codes SET expires_at = ? WHERE code_sha256 = ?').run(new Date(Date.now() - 1000).toISOString(), sha256Digest(code));
    const r = await exchange(client, code, verifier);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_grant');
  });

  it('a reused code is refused and revokes the access and refresh tokens the first exchange issued', async () => {
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge);
    const first = await exchange(client, code, verifier);
    expect(first.status).toBe(200);
    expect((await http(`${server.authUrl}/userinfo`, bearer(first.json.access_token))).status).toBe(200);
    const second = await exchange(client, code, verifier);
    expect(second.status).toBe(400);
    expect(second.json.error).toBe('invalid_grant');
    expect((await http(`${server.authUrl}/userinfo`, bearer(first.json.access_token))).status).toBe(401);
    const refresh = await http(`${server.authUrl}/token`, form({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token,
      client_id: client.clientId, client_secret: client.clientSecret }));
    expect(refresh.status).toBe(400);
    const audit = a.db.prepare("SELECT count(*) AS n FROM audit_logs WHERE action = 'authorization_code_reuse_detected'").get() as { n: number };
    expect(audit.n).toBeGreaterThan(0);
  });

  it('two concurrent exchanges of one code: exactly one succeeds', async () => {
    const { verifier, challenge } = pkce();
    const code = await loginForCode(client, user, challenge);
    const results = await Promise.all([1, 2, 3, 4].map(() => exchange(client, code, verifier)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
  });

  it('a confidential client with ALLOW_CONFIDENTIAL_WITHOUT_PKCE may skip PKCE only when it authenticates', async () => {
    const flagged = await registered({ flags: ['ALLOW_CONFIDENTIAL_WITHOUT_PKCE'] });
    const az = await authorize(flagged);
    expect(az.status).toBe(200);
    await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: user.username, password: user.password }));
    const code = new URL((await finalize(az.json.jti)).headers.get('location')!).searchParams.get('code')!;
    // A verifier for a code issued without a challenge is a downgrade attempt.
    expect((await exchange(flagged, code, pkce().verifier)).status).toBe(400);
    const az2 = await authorize(flagged);
    await http(`${server.authUrl}/login/password`, form({ jti: az2.json.jti, username: user.username, password: user.password }));
    const code2 = new URL((await finalize(az2.json.jti)).headers.get('location')!).searchParams.get('code')!;
    expect((await exchange(flagged, code2, '')).status).toBe(200);
    // A public client never gets that exemption.
    const pub = await registered({ kind: 'none', flags: ['ALLOW_CONFIDENTIAL_WITHOUT_PKCE'] });
    expect((await authorize(pub)).status).toBe(400);
  });
});

describe('finalize refuses incomplete logins', () => {
  it('no password step: 400 "Invalid credentials" (a JSON string), and the login stays usable', async () => {
    const az = await authorize(client, { code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const fin = await finalize(az.json.jti);
    expect(fin.status).toBe(400);
    expect(fin.json).toBe('Invalid credentials');
    expect((await finalize('unknown-jti')).status).toBe(400);
  });

  it('TOTP required: finalize before the TOTP step is refused; a wrong code is refused; the oathtool code completes it', async () => {
    const totpClient = await registered({ flags: ['ENABLE_TOTP'] });
    const totpUser = await a.user({ scopes: ['openid'] });
    const secret = newTotpSecret();
    await a.enrolTotp(totpUser.id, totpClient.id, secret, new Date(Date.now() - 90_000));
    const { verifier, challenge } = pkce();
    const az = await authorize(totpClient, { code_challenge: challenge, code_challenge_method: 'S256' });
    // The TOTP step before the password step is refused.
    expect((await http(`${server.authUrl}/login/totp`, form({ jti: az.json.jti, totp_code: oathtool(secret) }))).status).toBe(400);
    const pw = await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: totpUser.username, password: totpUser.password }));
    expect(pw.json.requires_totp).toBe(true);
    expect((await http(`${server.authUrl}/auth-session/${az.json.jti}`)).json.requires_totp).toBe(true);
    expect((await finalize(az.json.jti)).status).toBe(400);
    const wrongCode = String((Number(oathtool(secret)) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await http(`${server.authUrl}/login/totp`, form({ jti: az.json.jti, totp_code: wrongCode }));
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ success: false, message: 'Invalid credentials' });
    const ok = await http(`${server.authUrl}/login/totp`, form({ jti: az.json.jti, totp_code: oathtool(secret) }));
    expect(ok.status).toBe(200);
    expect(ok.json.requires_totp).toBe(false);
    const fin = await finalize(az.json.jti);
    expect(fin.status).toBe(302);
    const code = new URL(fin.headers.get('location')!).searchParams.get('code')!;
    const t = await exchange(totpClient, code, verifier);
    expect(t.status).toBe(200);
    const claims = JSON.parse(Buffer.from(t.json.id_token.split('.')[1], 'base64url').toString());
    expect(claims.amr).toEqual(['pwd', 'otp']);
    // The login was consumed by finalize.
    expect((await finalize(az.json.jti)).status).toBe(400);
  });
});

describe('discovery', () => {
  it('lists the authorization_code grant', async () => {
    const d = await http(`${server.authUrl}/.well-known/openid-configuration`);
    expect(d.json.grant_types_supported).toContain('authorization_code');
  });

  it('with enable-pkce off the routes are not served and the grant is invalid_grant', async () => {
    const off = await startTestServer(['--enable-pkce', 'false']);
    try {
      expect((await http(`${off.authUrl}/.well-known/openid-configuration`)).json.grant_types_supported).not.toContain('authorization_code');
      expect((await http(`${off.authUrl}/authorize`, form({ client_id: 'x' }))).status).toBe(404);
      const t = await http(`${off.authUrl}/token`, form({ grant_type: 'authorization_code', code: 'c', redirect_uri: REDIRECT, client_id: 'x' }));
      expect(t.json.error).toBe('invalid_grant');
    } finally {
      await off.close();
    }
  });
});
