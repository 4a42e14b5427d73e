/** `--serve-public-auth-files`: the static files, and the PKCE demo page signing in in headless Chromium. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrange } from '../helpers/arrange.js';
import { http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: ReturnType<typeof arrange>;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  server = await startTestServer(['--serve-public-auth-files']);
  a = arrange(server);
  profile = mkdtempSync(join(tmpdir(), 'mad-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
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

describe('public auth files', () => {
  it('serves public/ with a CSP that forbids inline script; no traversal, no dot-files', async () => {
    const page = await http(`${server.authUrl}/pkce_demo/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(page.text).not.toMatch(/<script>/);
    expect((await http(`${server.authUrl}/pkce_demo/`)).status).toBe(200);
    expect((await http(`${server.authUrl}/pkce_demo/app.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await http(`${server.authUrl}/pkce_demo/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await http(`${server.authUrl}/..%2fpackage.json`)).status).toBe(404);
    expect((await http(`${server.authUrl}/.gitkeep`)).status).toBe(404);
  });

  it('is off by default', async () => {
    const off = await startTestServer();
    try {
      expect((await http(`${off.authUrl}/pkce_demo/index.html`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('the PKCE demo signs in as a public client and shows the decoded tokens', async () => {
    const c = await a.client({ kind: 'none' });
    const demo = `${server.authUrl}/pkce_demo/index.html`;
    a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, demo, new Date().toISOString());
    const u = await a.user({ scopes: ['openid'] });
    const page = await browser.newPage();
    await page.goto(demo);
    await page.getByLabel('Client identifier').fill(c.clientId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill(u.username);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('Signed in.');
    const idToken = JSON.parse((await page.locator('#id_token').textContent())!);
    expect(idToken.header.typ).toBe('JWT');
    expect(idToken.payload).toMatchObject({ sub: u.id, aud: c.clientId, amr: ['pwd'] });
    const access = JSON.parse((await page.locator('#access_token').textContent())!);
    expect(access.payload.sub).toBe(u.id);
    await page.close();
  });
});
