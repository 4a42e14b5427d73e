import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  server = await startTestServer(['--enable-auth-swagger', '--enable-admin-swagger']);
  ({ browser, close: closeBrowser } = await launchChromium());
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

/** Operations in a plane's document: Swagger UI renders one block per operation. */
async function operationCount(base: string): Promise<number> {
  const doc = (await http(`${base}/openapi.json`)).json as { paths: Record<string, Record<string, unknown>> };
  return Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
}

describe('Swagger UI in headless Chromium', () => {
  for (const plane of ['auth', 'admin'] as const) {
    it(`renders the ${plane} plane's operations from its /openapi.json, within the page's CSP`, async () => {
      const base = plane === 'auth' ? server.authUrl : server.adminUrl;
      const page = await browser.newPage();
      const console: string[] = [];
      const errors: string[] = [];
      const offsite: string[] = [];
      page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) offsite.push(r.url()); });
      try {
        await page.goto(`${base}/swagger`);
        expect(page.url()).toBe(`${base}/swagger/`);
        await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
        await expect.poll(() => page.locator('.opblock').count()).toBe(await operationCount(base));
        await expect.poll(() => page.locator('.opblock-summary-path', { hasText: /^\/users$/ }).first().isVisible()).toBe(true);
        expect(await page.locator('.opblock-summary-method', { hasText: 'POST' }).first().isVisible()).toBe(true);
        expect(await page.locator('.info .title').textContent()).toContain(plane.toUpperCase());
        // Open an operation with a body, and a schema: the parts that render styles and examples.
        await page.locator('.opblock-post .opblock-summary', { hasText: /\/users?\b/ }).first().click();
        await page.locator('.opblock-post .opblock-body').first().waitFor();
        await page.getByRole('button', { name: 'Try it out' }).first().click();
        await page.locator('.opblock-post textarea.body-param__text').first().waitFor();
        const user = page.locator('section.models article', { hasText: /^UserObject/ }).first();
        await user.locator('.json-schema-2020-12-expand-deep-button').first().click();
        await user.locator('.json-schema-2020-12-property', { hasText: 'totp_enabled' }).first().waitFor();
        if (plane === 'admin') {
          // Try one call from the page (same origin: the admin document names no server).
          const ping = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path', { hasText: /^\/ping$/ }) });
          await ping.locator('.opblock-summary').click();
          await ping.getByRole('button', { name: 'Try it out' }).click();
          await ping.getByRole('button', { name: 'Execute' }).click();
          await expect.poll(() => ping.locator('.live-responses-table').first().textContent()).toContain('pong from admin');
        }
        expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
        expect(errors).toEqual([]);
        expect(offsite).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  it('reports a CSP violation to the console when one happens (the check above can fail)', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    try {
      await page.goto(`${server.adminUrl}/swagger/`);
      await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
      // An inline script is what the page's CSP forbids; Chromium must say so in the console.
      await page.evaluate(`{
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true';
        document.body.append(s);
      }`);
      await expect.poll(() => console.some((m) => m.includes('Content Security Policy'))).toBe(true);
      expect(await page.evaluate('window.inlineRan')).toBeUndefined();
    } finally {
      await page.close();
    }
  }, 60_000);
});
