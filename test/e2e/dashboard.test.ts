import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient, unique } from '../helpers/admin.js';
import { arrangeLogin } from '../helpers/admin-b.js';
import { launchChromium } from '../helpers/browser.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let api: AdminClient;
let browser: Browser;
let closeBrowser: () => Promise<void>;
// Screenshots go to docs/img when UPDATE_SCREENSHOTS=1, else to the test's temp folder.
let shots: string;

beforeAll(async () => {
  server = await startTestServer();
  api = await adminClient(server);
  ({ browser, close: closeBrowser } = await launchChromium());
  shots = process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'img') : join(server.dir, 'shots');
  mkdirSync(shots, { recursive: true });
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

async function signIn(username = ADMIN_USERNAME, password = ADMIN_PASSWORD): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', () => { throw new Error('a script ran in the dashboard'); });
  await page.goto(`${server.adminUrl}/dashboard/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  const file = join(shots, `dashboard-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(statSync(file).size).toBeGreaterThan(1000);
}

describe('dashboard in headless Chromium', () => {
  it('signs in, creates a user, a role and a client through the pages; the API sees them', async () => {
    const page = await signIn();
    await expect.poll(() => page.url()).toBe(`${server.adminUrl}/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    await shot(page, 'overview');

    const username = unique('web');
    await page.goto(`${server.adminUrl}/dashboard/users/new`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password').fill('web-password-1');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain(`User '${username}' created.`);
    const user = await api.getUser(await api.userIdByName(username));
    expect(user.email).toBe(`${username}@example.com`);
    await shot(page, 'user');

    const roleName = unique('web-role-');
    await page.goto(`${server.adminUrl}/dashboard/roles`);
    await page.getByLabel('Name').fill(roleName);
    await page.getByLabel('Description').fill('made in the browser');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('created');
    const role = await api.getRole(await api.roleIdByName(roleName));
    expect(role.description).toBe('made in the browser');

    // Assign the role on the user's page, then check through the API.
    await page.goto(`${server.adminUrl}/dashboard/users/${user.id}`);
    await page.getByLabel(roleName).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toBe('Roles saved.');
    expect(await api.roleIdsOfUser(user.id)).toEqual([role.id]);

    const clientId = unique('web-client-');
    await page.goto(`${server.adminUrl}/dashboard/clients`);
    await page.getByLabel('Client id').fill(clientId);
    await page.getByLabel('Display name').fill('Web client');
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = (await page.locator('#client-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await shot(page, 'client-secret');
    expect(await basicClientCredentials(clientId, secret)).toMatch(/^ey/);

    for (const [path, name] of [['/dashboard/users', 'users'], ['/dashboard/clients', 'clients'], ['/dashboard/audit?verify=1', 'audit'],
      ['/dashboard/keys', 'keys']] as const) {
      await page.goto(server.adminUrl + path);
      await shot(page, name);
    }
    expect(await page.locator('body').textContent()).toContain('AUTH plane');
    await page.close();
  });

  it('renders injected markup as text: no script runs', async () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>${unique('')}`;
    await api.createRole(evil, '"><script>alert(3)</script>');
    const page = await signIn();
    await page.goto(`${server.adminUrl}/dashboard/roles`);
    expect(await page.locator('body').textContent()).toContain(evil);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await page.close();
  });

  it('refuses a form post without the CSRF token, and a non-admin sign-in', async () => {
    const page = await signIn();
    // The page's CSP forbids scripts and fetch; post with the browser context's cookies but no CSRF field.
    const res = await page.context().request.post(`${server.adminUrl}/dashboard/roles`, { form: { name: 'no-csrf-role' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    const forged = await page.context().request.post(`${server.adminUrl}/dashboard/roles`, { form: { name: 'no-csrf-role', _csrf: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    // A body that is not a form is refused before anything reads it (security.md: content types are checked).
    const asJson = await page.context().request.post(`${server.adminUrl}/dashboard/roles`, { data: { name: 'no-csrf-role' }, maxRedirects: 0 });
    expect(asJson.status()).toBe(400);
    await expect(api.roleIdByName('no-csrf-role')).rejects.toMatchObject({ status: 404 });

    const name = unique('plain');
    await api.createUser({ username: name, email: `${name}@example.com`, password: 'plain-password-1' });
    const other = await signIn(name, 'plain-password-1');
    expect(await other.locator('.flash.error').textContent()).toBe('Invalid credentials');
    expect(other.url()).toContain('/dashboard/login');
    await other.goto(`${server.adminUrl}/dashboard/users`);
    expect(other.url()).toContain('/dashboard/login');
    await page.close();
    await other.close();
  });

  it('lists sessions and refresh tokens, revokes one of each and purges through the pages', async () => {
    const a = await arrangeLogin(server, { clientIdentifier: 'dash-app' });
    const b = await arrangeLogin(server, { clientIdentifier: 'dash-app' });
    const page = await signIn();
    await expect.poll(() => page.url()).toBe(`${server.adminUrl}/dashboard`);
    await page.goto(`${server.adminUrl}/dashboard/sessions`);
    expect(await page.locator('h1').textContent()).toBe('Sessions');
    await page.locator(`form[action="/dashboard/sessions/${a.jti}/revoke"] button`).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toBe('Session revoked.');
    expect((await api.getSession(a.jti)).is_revoked).toBe(true);
    expect(await page.locator(`form[action="/dashboard/sessions/${a.jti}/revoke"]`).count()).toBe(0);

    await page.goto(`${server.adminUrl}/dashboard/refresh-tokens`);
    expect(await page.locator('h1').textContent()).toBe('Refresh tokens');
    await page.locator(`form[action="/dashboard/refresh-tokens/${b.refreshId}/revoke"] button`).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toBe('Refresh token family revoked.');
    expect((await api.getRefreshToken(b.refreshId)).is_revoked).toBe(true);
    await page.getByLabel('Older than (days)').fill('0');
    await page.getByLabel('revoked', { exact: true }).check();
    await page.getByRole('button', { name: 'Purge', exact: true }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toMatch(/^Purged [1-9]\d* refresh token\(s\)\.$/);
    await expect(api.getRefreshToken(b.refreshId)).rejects.toMatchObject({ status: 404 });
    await page.close();
  });

  it('signing out revokes the admin session on the server', async () => {
    const page = await signIn();
    const before = (await api.listSessions({ limit: 1000, mad_use: 'admin' } as never)).items.filter((s) => s.client_id === 'dashboard' && !s.is_revoked).length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/dashboard/login');
    const after = (await api.listSessions({ limit: 1000, mad_use: 'admin' } as never)).items.filter((s) => s.client_id === 'dashboard' && !s.is_revoked).length;
    expect(after).toBe(before - 1);
    await page.close();
  });
});

async function basicClientCredentials(clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${server.authUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
