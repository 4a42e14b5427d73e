import argon2 from 'argon2';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AuthClient } from '../../bindings/typescript/auth-client.js';
import type { MadApiError } from '../../bindings/typescript/models.js';
import { createPasswordHasher } from '../../src/crypto/password.js';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { arrange, oathtool } from '../helpers/arrange.js';
import { adminClient } from '../helpers/admin.js';
import { form, http } from '../helpers/http.js';
import { MAD_ADMIN_ROLE_ID } from '../../src/store/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const servers: { server: TestServer; a: ReturnType<typeof arrange> }[] = [];
async function boot(args: string[]) {
  const server = await startTestServer(args);
  const a = arrange(server);
  servers.push({ server, a });
  return { server, a, auth: new AuthClient(server.authUrl) };
}
afterAll(async () => {
  for (const { server, a } of servers) {
    a.close();
    await server.close();
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as MadApiError);

describe('lockout (--max-login-failures, --failed-password-lockout-duration)', () => {
  it('locks after the configured failures, refuses even the right password while locked, and unlocks after the duration', async () => {
    const { a, auth } = await boot(['--max-login-failures', '3', '--failed-password-lockout-duration', '2',
      '--seconds-to-reset-login-failures', '60']);
    const c = await a.client();
    const u = await a.user();
    const grant = (password: string) => auth.passwordGrant({ clientId: c.clientId, clientSecret: c.clientSecret, username: u.username, password });
    for (let i = 0; i < 3; i++) expect((await errorOf(grant('wrong-password')))?.error).toBe('invalid_grant');
    expect((await a.store.users.getById(u.id))?.lockoutUntil).not.toBeNull();
    const locked = await errorOf(grant(u.password));
    expect(locked?.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials', error_uri: null });
    expect((await a.store.audit.list({ action: 'account_locked', actorId: u.id })).total).toBe(1);
    // Wrong TOTP codes count as failed logins too (no brute force of the six digits behind a known password).
    await a.store.clients.setFeature(c.id, 'ENABLE_TOTP', true);
    const t = await a.user();
    const secret = newTotpSecret();
    await a.enrolTotp(t.id, c.id, secret, new Date(Date.now() - 120_000));
    const withCode = (totpCode: string) => auth.passwordGrant({ clientId: c.clientId, clientSecret: c.clientSecret, username: t.username,
      password: t.password, totpCode });
    const wrong = oathtool(secret) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) expect((await errorOf(withCode(wrong)))?.error).toBe('invalid_grant');
    expect((await errorOf(withCode(oathtool(secret))))?.error).toBe('invalid_grant');
    expect((await a.store.audit.list({ action: 'account_locked', actorId: t.id })).total).toBe(1);

    await sleep(2100);
    expect((await grant(u.password)).access_token).toBeTruthy();
    expect((await withCode(oathtool(secret, new Date(Date.now() + 30_000)))).access_token).toBeTruthy();
  });
});

describe('uniform refusals', () => {
  it('answer unknown user, wrong password, inactive and locked users identically, without a timing difference beyond noise', async () => {
    // Real (not test-cheap) argon2 cost so that a skipped verify would stand out; no lockout so that
    // repeated wrong passwords stay "wrong password".
    const cost = ['--argon2id-memory', '32768', '--argon2id-time', '2', '--argon2id-parallelism', '1', '--max-login-failures', '0'];
    const { a, server } = await boot(cost);
    const hasher = createPasswordHasher({ timeCost: 2, memoryCost: 32768, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 2 });
    const c = await a.client();
    const good = await a.user({ hasher });
    const inactive = await a.user({ hasher });
    a.deactivate(inactive.id);
    const locked = await a.user({ hasher });
    a.lock(locked.id, new Date(Date.now() + 3_600_000));
    const attempt = async (username: string, password: string) => {
      const t0 = performance.now();
      const r = await http(`${server.authUrl}/token`, form({ grant_type: 'password', username, password, client_id: c.clientId, client_secret: c.clientSecret }));
      return { ms: performance.now() - t0, status: r.status, text: r.text };
    };
    const cases = {
      unknown: () => attempt('no-such-user-anywhere', 'some-password'),
      wrongPassword: () => attempt(good.username, 'not-the-password'),
      inactive: () => attempt(inactive.username, inactive.password),
      locked: () => attempt(locked.username, locked.password),
    };
    for (const run of Object.values(cases)) await run(); // warm-up (the dummy hash is made lazily)
    const times: Record<string, number[]> = { unknown: [], wrongPassword: [], inactive: [], locked: [] };
    const bodies = new Set<string>();
    for (let i = 0; i < 8; i++) {
      for (const [name, run] of Object.entries(cases)) {
        const r = await run();
        expect(r.status).toBe(400);
        bodies.add(r.text);
        times[name]!.push(r.ms);
      }
    }
    expect([...bodies]).toEqual(['{"error":"invalid_grant","error_description":"Invalid credentials","error_uri":null}']);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const argon2Ms = medians.wrongPassword!;
    // Every path pays one argon2id verify: none is markedly faster than the wrong-password path.
    for (const [name, m] of Object.entries(medians)) {
      expect(Math.abs(m - argon2Ms), `${name}: ${JSON.stringify(medians)}`).toBeLessThan(Math.max(10, argon2Ms * 0.5));
    }
    // Sanity: the measurement can see argon2 at all (otherwise the comparison proves nothing).
    const ok = await attempt(good.username, good.password);
    expect(ok.status).toBe(200);
    expect(argon2Ms).toBeGreaterThan(10);
  });
});

describe('the dummy argon2id verify (security.md "Credentials and secrets at rest")', () => {
  it('runs exactly one argon2id verify per refused login: unknown and inactive users against one fixed dummy hash', async () => {
    // Counted in-process, not timed: argon2.verify is what the server's hasher calls (src/crypto/password.ts).
    const { a, server } = await boot(['--max-login-failures', '0']);
    const c = await a.client();
    const good = await a.user();
    const inactive = await a.user();
    a.deactivate(inactive.id);
    const locked = await a.user();
    a.lock(locked.id, new Date(Date.now() + 3_600_000));
    // Admin-role holders too, so the admin plane refuses them only for the state under test.
    for (const u of [good, inactive, locked]) {
      a.db.prepare('INSERT INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)')
        .run(crypto.randomUUID(), u.id, MAD_ADMIN_ROLE_ID, new Date().toISOString());
    }
    const storedHash = (id: string) => (a.db.prepare('SELECT password_hash AS h FROM users WHERE id = ?').get(id) as { h: string }).h;
    const spy = vi.spyOn(argon2, 'verify');
    try {
      const verified = async (call: () => Promise<{ status: number }>, status: number): Promise<string[]> => {
        spy.mockClear();
        expect((await call()).status).toBe(status);
        return spy.mock.calls.map((args) => args[0]);
      };
      const authToken = (username: string, password: string) => http(`${server.authUrl}/token`, form({ grant_type: 'password',
        username, password, client_id: c.clientId, client_secret: c.clientSecret }));
      const adminToken = (username: string, password: string) => http(`${server.adminUrl}/token`, form({ username, password, client_id: 'admin' }));
      for (const [login, refused] of [[authToken, 400], [adminToken, 403]] as const) {
        const unknown = await verified(() => login('no-such-user-anywhere', 'some-password'), refused);
        const unknown2 = await verified(() => login('another-missing-user', 'other-password'), refused);
        const gone = await verified(() => login(inactive.username, inactive.password), refused);
        expect(unknown).toHaveLength(1);
        expect(unknown2).toHaveLength(1);
        expect(gone).toHaveLength(1);
        const dummy = unknown[0]!;
        // One fixed dummy hash, made with the configured parameters (FAST_ARGON2), that is no user's hash.
        expect([unknown2[0], gone[0]]).toEqual([dummy, dummy]);
        expect(dummy).toMatch(/^\$argon2id\$v=19\$/);
        expect(dummy.split('$')[3]!.split(',').sort()).toEqual(['m=1024', 'p=1', 't=1']);
        expect([storedHash(good.id), storedHash(inactive.id), storedHash(locked.id)]).not.toContain(dummy);
        // Locked and wrong-password attempts verify against the user's own hash, once.
        expect(await verified(() => login(locked.username, locked.password), refused)).toEqual([storedHash(locked.id)]);
        expect(await verified(() => login(good.username, 'not-the-password'), refused)).toEqual([storedHash(good.id)]);
        expect(await verified(() => login(good.username, good.password), 200)).toEqual([storedHash(good.id)]);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('admin unlock', () => {
  it('an account locked by failed logins is usable again right after an admin clears the lockout, and both are audited', async () => {
    const { a, server, auth } = await boot(['--max-login-failures', '2']);
    const c = await a.client();
    const u = await a.user();
    const grant = (password: string) => auth.passwordGrant({ clientId: c.clientId, clientSecret: c.clientSecret, username: u.username, password });
    for (let i = 0; i < 2; i++) expect((await errorOf(grant('wrong-password')))?.error).toBe('invalid_grant');
    expect((await errorOf(grant(u.password)))?.error).toBe('invalid_grant'); // locked for the default 15 minutes
    const admin = await adminClient(server);
    expect((await admin.setLockout(u.id, null)).message).toBe('User lockout cleared');
    expect((await grant(u.password)).access_token).toBeTruthy();
    const adminId = await admin.userIdByName('root');
    const cleared = await a.store.audit.list({ action: 'admin.lockout.cleared' });
    expect(cleared.rows.map((r) => [r.actorId, r.target, r.outcome])).toEqual([[adminId, u.id, 'success']]);
    expect((await a.store.audit.list({ action: 'account_locked', actorId: u.id })).total).toBe(1);
  });
});

describe('rate limits (--rate-limit-auth, --trusted-proxies)', () => {
  it('answers 429 with Retry-After per client IP on the credential endpoints only; a trusted proxy forwards the client IP', async () => {
    const { server, a } = await boot(['--rate-limit-auth', '3', '--trusted-proxies', '127.0.0.1']);
    const c = await a.client();
    const attempt = (headers: Record<string, string> = {}) => http(`${server.authUrl}/token`, {
      ...form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(200);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json).toEqual({ success: false, message: expect.any(String) });
    for (const path of ['/introspect', '/revoke', '/oidc/token']) {
      expect((await http(`${server.authUrl}${path}`, form({ token: 'x' }))).status).toBe(429);
    }
    for (let i = 0; i < 6; i++) {
      expect((await http(`${server.authUrl}/ping`)).status).toBe(200);
      expect((await http(`${server.authUrl}/jwks.json`)).status).toBe(200);
    }
    // Behind the trusted proxy, another client address has its own budget.
    expect((await attempt({ 'X-Forwarded-For': '203.0.113.9' })).status).toBe(200);
  });
});

describe('rate limits on the login flow and the admin plane; X-Forwarded-For from an untrusted peer', () => {
  it('counts /login/password against the same per-IP budget, limits admin /token, and ignores X-Forwarded-For without a trusted proxy', async () => {
    const { server } = await boot(['--rate-limit-auth', '2', '--rate-limit-admin', '2']);
    const login = (headers: Record<string, string> = {}) => http(`${server.authUrl}/login/password`, {
      ...form({ jti: 'no-such-login', username: 'someone', password: 'some-password' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
    for (let i = 0; i < 2; i++) expect((await login()).status).toBe(400);
    const limited = await login();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // No proxy is trusted: a forwarded address is the client's word, not a new budget.
    expect((await login({ 'X-Forwarded-For': '203.0.113.77' })).status).toBe(429);
    expect((await http(`${server.authUrl}/token`, form({ grant_type: 'client_credentials' }))).status).toBe(429);

    const adminLogin = () => http(`${server.adminUrl}/token`, form({ username: 'someone', password: 'some-password', client_id: 'admin' }));
    for (let i = 0; i < 2; i++) expect((await adminLogin()).status).toBe(403);
    const adminLimited = await adminLogin();
    expect(adminLimited.status).toBe(429);
    expect(Number(adminLimited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('rate-limit window (--rate-limit-window)', () => {
  it('a refused client IP gets a fresh budget once the Retry-After it was given has passed', async () => {
    const { server } = await boot(['--rate-limit-auth', '1', '--rate-limit-window', '2']);
    const login = () => http(`${server.authUrl}/login/password`, form({ jti: 'no-such-login', username: 'someone', password: 'some-password' }));
    expect((await login()).status).toBe(400);
    const limited = await login();
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    await sleep(retryAfter * 1000 + 100);
    expect((await login()).status).toBe(400);
  });
});

describe('refresh and revocation disabled, CORS', () => {
  it('--disable-token-refresh: no refresh tokens, the grant is unsupported, discovery does not list it', async () => {
    const { a, auth, server } = await boot(['--disable-token-refresh', '--cors-origins', 'https://app.example',
      '--enable-token-revocation', 'false']);
    const c = await a.client();
    const u = await a.user();
    const t = await auth.passwordGrant({ clientId: c.clientId, clientSecret: c.clientSecret, username: u.username, password: u.password });
    expect(t.refresh_token).toBeNull();
    const e = await errorOf(auth.refresh({ clientId: c.clientId, clientSecret: c.clientSecret, refreshToken: 'anything' }));
    expect(e?.error).toBe('unsupported_grant_type');
    const discovery = await auth.discovery();
    expect(discovery.grant_types_supported).toEqual(['password', 'client_credentials', 'authorization_code']);
    // --enable-token-revocation false: /revoke is not served on either plane and not advertised.
    expect(discovery).not.toHaveProperty('revocation_endpoint');
    expect((await http(`${server.authUrl}/revoke`, form({ token: 'x', client_id: c.clientId, client_secret: c.clientSecret }))).status).toBe(404);

    const pre = await http(`${server.authUrl}/token`, { method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const real = await http(`${server.authUrl}/ping`, { headers: { Origin: 'https://app.example' } });
    expect(real.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const foreign = await http(`${server.authUrl}/ping`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const adminPlane = await http(`${server.adminUrl}/ping`, { headers: { Origin: 'https://app.example' } });
    expect(adminPlane.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('refresh reuse grace window (--refresh-reuse-grace-seconds)', () => {
  it('gives a retry of the immediately preceding token the same successor; once the successor is used, a retry is reuse', async () => {
    const { a, auth } = await boot(['--refresh-reuse-grace-seconds', '5']);
    const c = await a.client();
    const u = await a.user();
    const cred = { clientId: c.clientId, clientSecret: c.clientSecret };
    const t = await auth.passwordGrant({ ...cred, username: u.username, password: u.password });
    const next = await auth.refresh({ ...cred, refreshToken: t.refresh_token! });
    const retry = await auth.refresh({ ...cred, refreshToken: t.refresh_token! });
    expect(retry).toEqual(next);
    // Another client presenting it gets nothing.
    const other = await a.client();
    expect((await errorOf(auth.refresh({ clientId: other.clientId, clientSecret: other.clientSecret, refreshToken: t.refresh_token! })))?.error)
      .toBe('invalid_grant');
    const third = await auth.refresh({ ...cred, refreshToken: next.refresh_token! });
    expect((await errorOf(auth.refresh({ ...cred, refreshToken: t.refresh_token! })))?.error).toBe('invalid_grant');
    expect((await errorOf(auth.refresh({ ...cred, refreshToken: third.refresh_token! })))?.error).toBe('invalid_grant');
    expect((await a.store.audit.list({ action: 'refresh_token_reuse_detected' })).total).toBe(1);
  });
});
