import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/crypto/password.js';
import { arrange, type TestClient } from '../helpers/arrange.js';
import { form, http } from '../helpers/http.js';
import { MAD_ADMIN_ROLE_ID } from '../../src/store/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * User enumeration (security.md "Abuse resistance"): unknown user, wrong password, inactive and
 * locked accounts get the same status and body, and — each path running exactly one argon2id
 * verify — no response time that stands apart (median ratio to the wrong password's, round by round)
 * over 200 tries per endpoint, on all three login endpoints: auth /token, admin /token and
 * /login/password. Production-like argon2 cost so a skipped verify would show.
 */
const COST = ['--argon2id-memory', '32768', '--argon2id-time', '2', '--argon2id-parallelism', '1', '--max-login-failures', '0',
  '--rate-limit-auth', '0', '--rate-limit-admin', '0'];
const hasher = createPasswordHasher({ timeCost: 2, memoryCost: 32768, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 2 });
const REDIRECT = 'https://rp.example.com/cb';
/** 50 rounds × 4 cases = 200 tries per endpoint. */
const ROUNDS = 50;

let server: TestServer;
let client: TestClient;
const users: Record<'good' | 'inactive' | 'locked', { username: string; password: string }> = {} as never;

beforeAll(async () => {
  server = await startTestServer(COST);
  const a = arrange(server);
  client = await a.client();
  a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomBytes(8).toString('hex'), client.id, REDIRECT, new Date().toISOString());
  for (const kind of ['good', 'inactive', 'locked'] as const) {
    const u = await a.user({ hasher });
    // Admin holders too, so that admin /token refuses them only for the state under test.
    a.db.prepare('INSERT INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)').run(randomBytes(8).toString('hex'), u.id, MAD_ADMIN_ROLE_ID, new Date().toISOString());
    users[kind] = u;
    if (kind === 'inactive') a.deactivate(u.id);
    if (kind === 'locked') a.lock(u.id, new Date(Date.now() + 3_600_000));
  }
}, 60_000);
afterAll(async () => server?.close());

type Attempt = (username: string, password: string) => Promise<{ ms: number; status: number; text: string }>;

async function timed(call: () => Promise<{ status: number; text: string }>): Promise<{ ms: number; status: number; text: string }> {
  const t0 = performance.now();
  const r = await call();
  return { ms: performance.now() - t0, status: r.status, text: r.text };
}

async function assertIndistinguishable(attempt: Attempt, expectStatus: number): Promise<void> {
  const cases: Record<string, () => ReturnType<Attempt>> = {
    unknown: () => attempt('no-such-user-anywhere', 'some-password'),
    wrongPassword: () => attempt(users.good.username, 'not-the-password'),
    inactive: () => attempt(users.inactive.username, users.inactive.password),
    locked: () => attempt(users.locked.username, users.locked.password),
  };
  for (const run of Object.values(cases)) await run(); // warm-up: the dummy hash is made lazily
  const times: Record<string, number[]> = {};
  const bodies = new Set<string>();
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const r = await run();
      expect(r.status, name).toBe(expectStatus);
      bodies.add(r.text);
      (times[name] ??= []).push(r.ms);
    }
  }
  expect(bodies.size, [...bodies].join(' | ')).toBe(1);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const reference = times.wrongPassword!;
  expect(median(reference), 'the measurement must see argon2 at all').toBeGreaterThan(10);
  // Each try against the wrong-password try of the same round: the cases take turns, so a slow phase of
  // the machine (other test files run alongside) slows both sides of a ratio alike. A path that skipped
  // its argon2 verify would answer in a fraction of the time, every round.
  const ratios = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v.map((ms, i) => ms / reference[i]!))]));
  for (const [name, ratio] of Object.entries(ratios)) {
    expect(Math.abs(ratio - 1), `${name}: median ratio to wrongPassword ${JSON.stringify(ratios)}`).toBeLessThan(0.5);
  }
}

describe('no user enumeration by answer or timing', () => {
  it('auth POST /token (password grant)', async () => {
    const attempt: Attempt = (username, password) => timed(() => http(`${server.authUrl}/token`, form({ grant_type: 'password', username,
      password, client_id: client.clientId, client_secret: client.clientSecret })));
    await assertIndistinguishable(attempt, 400);
    expect((await attempt(users.good.username, users.good.password)).status).toBe(200);
  }, 180_000);

  it('admin POST /token', async () => {
    const attempt: Attempt = (username, password) => timed(() => http(`${server.adminUrl}/token`, form({ username, password, client_id: 'admin' })));
    await assertIndistinguishable(attempt, 403);
    expect((await attempt(users.good.username, users.good.password)).status).toBe(200);
  }, 180_000);

  it('POST /login/password (hosted login flow)', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const attempt: Attempt = async (username, password) => {
      const auth = await http(`${server.authUrl}/authorize`, form({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT,
        code_challenge: challenge, code_challenge_method: 'S256', scope: 'profile', state: 's' }));
      expect(auth.status, auth.text).toBe(200);
      return timed(() => http(`${server.authUrl}/login/password`, form({ username, password, jti: auth.json.jti, redirect_uri: REDIRECT })));
    };
    await assertIndistinguishable(attempt, 400);
    expect((await attempt(users.good.username, users.good.password)).status).toBe(200);
  }, 180_000);
});
