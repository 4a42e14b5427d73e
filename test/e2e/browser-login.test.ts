/**
 * The browser flow as a standard relying party sees it: openid-client (v6) does discovery, builds the
 * PKCE authorization URL, exchanges the code and validates the ID token; headless Chromium (Debian's
 * package, driven by playwright-core) signs in through the hosted pages.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { arrange, oathtool, type TestClient, type TestUser } from '../helpers/arrange.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ISSUER = 'http://127.0.0.1';
const REDIRECT = 'https://rp.example.com/callback';
let server: TestServer;
let a: ReturnType<typeof arrange>;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  server = await startTestServer();
  a = arrange(server);
  profile = mkdtempSync(join(tmpdir(), 'mad-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  a?.close();
  await server?.close();
});

/** The issuer is port-less (auth-domain 127.0.0.1); requests to it go to the test server's ephemeral port. */
const toServer = (url: string): string => (url.startsWith(`${ISSUER}/`) ? server.authUrl + url.slice(ISSUER.length) : url);

async function relyingParty(c: TestClient): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(ISSUER), c.clientId, c.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: (url, init) => fetch(toServer(url), init as RequestInit),
  });
}

async function registered(flags: string[] = []): Promise<TestClient> {
  const c = await a.client();
  a.db.prepare('UPDATE clients SET display_name = ? WHERE id = ?').run('Reports Portal', c.id);
  a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, REDIRECT, new Date().toISOString());
  for (const flag of flags) a.db.prepare('INSERT INTO client_features (id, client_id, feature_flag, is_enabled) VALUES (?, ?, ?, 1)').run(randomUUID(), c.id, flag);
  return c;
}

/** A page whose navigation to the client's redirect URI is captured instead of loaded. */
async function rpPage(): Promise<{ page: Page; callback: Promise<string> }> {
  const page = await browser.newPage();
  const callback = new Promise<string>((resolve) => {
    void page.route(`${REDIRECT}**`, async (route) => {
      resolve(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
    });
  });
  return { page, callback };
}

async function startFlow(config: oidc.Configuration) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  return { url: toServer(url.href), verifier, state, nonce };
}

describe('openid-client + Chromium through the hosted pages', () => {
  it('discovery → PKCE authorization URL → hosted login → code exchange → validated id_token → userinfo', async () => {
    const c = await registered();
    // Fixed name and password length: the screenshot in docs/img stays the same from run to run.
    const u: TestUser = await a.user({ username: 'alice', password: 'correct-horse-battery', scopes: ['openid', 'profile'] });
    const config = await relyingParty(c);
    expect(config.serverMetadata().authorization_endpoint).toBe(`${ISSUER}/authorize`);
    const flow = await startFlow(config);
    const { page, callback } = await rpPage();
    await page.goto(flow.url);
    await expect.poll(() => page.url()).toContain('/login?jti=');
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.getByLabel('Username').fill(u.username);
    await page.getByLabel('Password').fill(u.password);
    await page.screenshot({ path: 'docs/img/login.png' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const back = new URL(await callback);
    expect(back.searchParams.get('state')).toBe(flow.state);

    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: flow.verifier, expectedState: flow.state,
      expectedNonce: flow.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: ISSUER, sub: u.id, aud: c.clientId, nonce: flow.nonce, amr: ['pwd'] });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const info = await oidc.fetchUserInfo(config, tokens.access_token, u.id);
    expect(info.sub).toBe(u.id);
    await page.close();
  });

  it('with TOTP: the hosted TOTP page takes an oathtool code; the id_token says amr [pwd, otp]', async () => {
    const c = await registered(['ENABLE_TOTP']);
    const u = await a.user({ scopes: ['openid'] });
    const secret = newTotpSecret();
    await a.enrolTotp(u.id, c.id, secret, new Date(Date.now() - 90_000));
    const config = await relyingParty(c);
    const flow = await startFlow(config);
    const { page, callback } = await rpPage();
    await page.goto(flow.url);
    await page.getByLabel('Username').fill(u.username);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toContain('/totp?jti=');
    await page.getByLabel('Code').fill('123456');
    await page.screenshot({ path: 'docs/img/totp.png' });
    // A wrong code re-renders the page with the generic error.
    await page.getByLabel('Code').fill(oathtool(secret) === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Sign-in failed');
    await page.getByLabel('Code').fill(oathtool(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    const back = new URL(await callback);
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: flow.verifier, expectedState: flow.state,
      expectedNonce: flow.nonce, idTokenExpected: true });
    expect(tokens.claims()).toMatchObject({ sub: u.id, amr: ['pwd', 'otp'] });
    await page.close();
  });

  it('the relying party refuses a code exchanged with the wrong verifier', async () => {
    const c = await registered();
    const u = await a.user({ scopes: ['openid'] });
    const config = await relyingParty(c);
    const flow = await startFlow(config);
    const { page, callback } = await rpPage();
    await page.goto(flow.url);
    await page.getByLabel('Username').fill(u.username);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const back = new URL(await callback);
    const err = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: flow.state,
      expectedNonce: flow.nonce }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { error?: string }).error).toBe('invalid_grant');
    await page.close();
  });
});
