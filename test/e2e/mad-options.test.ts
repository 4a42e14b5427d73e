import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mad, type MadResult } from '../helpers/mad.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The reference `mad` options that mad-commands/mad-session do not reach: where the admin URL and token come
 * from (--admin-token alone, MAD_ADMIN_URL, ~/.mad_url and their precedence), and that every flag of the
 * `update` commands changes its field on the server. Checks go through the admin HTTP API directly, not
 * through bindings/typescript, which mad itself uses.
 */

let server: TestServer;
let token: string;
const DEAD_URL = 'http://127.0.0.1:1'; // nothing listens on port 1: a command sent there fails with exit 1
const homes: { cleanup: () => void }[] = [];

/** A fresh, empty HOME: no ~/.mad_token, no ~/.mad_url. */
function emptyHome(files: Record<string, string> = {}): string {
  const home = tempDir('mad-opt-home-');
  homes.push(home);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(home.dir, name), content, { mode: 0o600 });
  return home.dir;
}

beforeAll(async () => {
  server = await startTestServer();
  const login = await http(`${server.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }));
  expect(login.status, login.text).toBe(200);
  token = login.json.access_token;
});
afterAll(async () => {
  await server?.close();
  for (const h of homes) h.cleanup();
});

/** GET on the admin API with the admin token. */
async function adminGet(path: string): Promise<any> {
  const r = await http(`${server.adminUrl}${path}`, bearer(token));
  expect(r.status, `GET ${path}: ${r.text}`).toBe(200);
  return r.json;
}

/** POST on the admin API with the admin token; returns the created object. */
async function adminPost(path: string, body: unknown): Promise<any> {
  const r = await http(`${server.adminUrl}${path}`, bearer(token, jsonBody(body)));
  expect(r.status, `POST ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
}

/** `mad key list --plane admin --json` is a cheap command that needs both a URL and a token. */
const keyList = ['key', 'list', '--plane', 'admin', '--json'];
const kids = async () => (await adminGet('/keys/admin')).map((k: { kid: string }) => k.kid).sort();

function expectOk(r: MadResult, what: string): void {
  expect(r.code, `${what}: ${r.stderr}${r.stdout}`).toBe(0);
}

describe('where mad takes the admin URL and token from', () => {
  it('--admin-token alone: no token file, no login, no MAD_ADMIN_TOKEN', async () => {
    const home = emptyHome();
    const r = await mad(['--admin-url', server.adminUrl, '--admin-token', token, ...keyList], { home });
    expectOk(r, 'key list');
    expect(r.json.map((k: { kid: string }) => k.kid).sort()).toEqual(await kids());
    expect(r.stderr).toBe('');
    // --admin-token=<jwt>, after the subcommand, works the same
    const after = await mad(['user', 'list', '--json', `--admin-token=${token}`, '--admin-url', server.adminUrl], { home });
    expectOk(after, 'user list');
    expect(after.json.map((u: { username: string }) => u.username)).toContain(ADMIN_USERNAME);
    // without it the same command has no token: usage error, nothing sent
    const none = await mad(['--admin-url', server.adminUrl, ...keyList], { home });
    expect(none.code).toBe(2);
    expect(none.json).toEqual({ success: false, message: expect.stringMatching(/No admin token/) });
  });

  it('--admin-token beats MAD_ADMIN_TOKEN, which beats ~/.mad_token', async () => {
    const home = emptyHome({ '.mad_token': 'not-a-token\n' });
    const flag = await mad(['--admin-url', server.adminUrl, '--admin-token', token, ...keyList], { home, env: { MAD_ADMIN_TOKEN: 'also-not-a-token' } });
    expectOk(flag, '--admin-token over env and file');
    expect(flag.stderr).toBe(''); // the bad env and file tokens were not even looked at (no "not a JWT" warning)
    const env = await mad(['--admin-url', server.adminUrl, ...keyList], { home, env: { MAD_ADMIN_TOKEN: token } });
    expectOk(env, 'MAD_ADMIN_TOKEN over file');
    // and the file alone is used: here it holds garbage, which the server refuses
    const file = await mad(['--admin-url', server.adminUrl, ...keyList], { home });
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/not a JWT/);
  });

  it('MAD_ADMIN_URL is used when --admin-url is not given', async () => {
    const home = emptyHome();
    const r = await mad(keyList, { home, env: { MAD_ADMIN_URL: server.adminUrl, MAD_ADMIN_TOKEN: token } });
    expectOk(r, 'MAD_ADMIN_URL');
    // a trailing slash is trimmed (the original trims it too)
    const slash = await mad(['ping', '--json'], { home, env: { MAD_ADMIN_URL: `${server.adminUrl}/` } });
    expectOk(slash, 'MAD_ADMIN_URL with /');
    expect(slash.json).toEqual({ message: 'pong from admin' });
    // --admin-url beats it
    const flag = await mad(['--admin-url', server.adminUrl, 'ping'], { home, env: { MAD_ADMIN_URL: DEAD_URL } });
    expectOk(flag, '--admin-url over MAD_ADMIN_URL');
    const dead = await mad(['ping'], { home, env: { MAD_ADMIN_URL: DEAD_URL } });
    expect([dead.code, dead.stderr]).toEqual([1, `Error: cannot reach ${DEAD_URL}: fetch failed\n`]);
  });

  it('~/.mad_url is the default admin URL; MAD_ADMIN_URL and --admin-url beat it; --no-config ignores it', async () => {
    const home = emptyHome({ '.mad_url': `${server.adminUrl}/\n`, '.mad_token': `${token}\n` });
    const r = await mad(keyList, { home });
    expectOk(r, '~/.mad_url and ~/.mad_token');
    expect(r.json.map((k: { kid: string }) => k.kid).sort()).toEqual(await kids());
    const envFirst = await mad(['ping'], { home, env: { MAD_ADMIN_URL: DEAD_URL } });
    expect([envFirst.code, envFirst.stderr]).toEqual([1, `Error: cannot reach ${DEAD_URL}: fetch failed\n`]);
    const dead = emptyHome({ '.mad_url': `${DEAD_URL}\n`, '.mad_token': `${token}\n` });
    const fromFile = await mad(['ping'], { home: dead });
    expect([fromFile.code, fromFile.stderr]).toEqual([1, `Error: cannot reach ${DEAD_URL}: fetch failed\n`]);
    expectOk(await mad(keyList, { home: dead, env: { MAD_ADMIN_URL: server.adminUrl } }), 'MAD_ADMIN_URL over ~/.mad_url');
    expectOk(await mad(['--admin-url', server.adminUrl, ...keyList], { home: dead }), '--admin-url over ~/.mad_url');
    // --no-config: ~/.mad_url is not read, the default is used (something else may listen there: then ping succeeds)
    const ignored = await mad(['ping', '--no-config'], { home: dead });
    expect(ignored.stderr).not.toContain(DEAD_URL);
    if (ignored.code !== 0) expect(ignored.stderr).toContain('cannot reach http://localhost:9041');
  });

  it('session login writes ~/.mad_url, which later commands use without --admin-url', async () => {
    const home = emptyHome();
    const login = await mad(['--admin-url', server.adminUrl, 'session', 'login', '--username', ADMIN_USERNAME, '--password-stdin'],
      { home, stdin: `${ADMIN_PASSWORD}\n` });
    expectOk(login, 'login');
    expectOk(await mad(keyList, { home }), 'key list after login');
  });
});

describe('every flag of the update commands changes its field on the server', () => {
  const run = (args: string[]) => mad(['--admin-url', server.adminUrl, '--admin-token', token, ...args, '--json'], { home: emptyHome() });
  async function update(args: string[]): Promise<any> {
    const r = await run(args);
    expectOk(r, args.join(' '));
    return r.json;
  }

  it('user update --username, --email, --is-active', async () => {
    const u = await adminPost('/users', { username: 'upd-user', email: 'upd-user@example.com', password: 'pw-upd-user-1' });
    const fields = (x: any) => ({ username: x.username, email: x.email, is_active: x.is_active });
    const steps: [string[], object][] = [
      [['--username', 'upd-user-2'], { username: 'upd-user-2', email: 'upd-user@example.com', is_active: true }],
      [['--email', 'upd-user-2@example.com'], { username: 'upd-user-2', email: 'upd-user-2@example.com', is_active: true }],
      [['--is-active', 'false'], { username: 'upd-user-2', email: 'upd-user-2@example.com', is_active: false }],
      [['--is-active'], { username: 'upd-user-2', email: 'upd-user-2@example.com', is_active: true }],
      [['--username', 'upd-user-3', '--email', 'upd-user-3@example.com', '--is-active', 'False'],
        { username: 'upd-user-3', email: 'upd-user-3@example.com', is_active: false }],
    ];
    for (const [flags, want] of steps) {
      const printed = await update(['user', 'update', '--id', u.id, ...flags]);
      expect(fields(printed), flags.join(' ')).toEqual(want);
      expect(fields(await adminGet(`/users/${u.id}`)), flags.join(' ')).toEqual(want);
    }
    const text = await mad(['--admin-url', server.adminUrl, '--admin-token', token, 'user', 'update', '--id', u.id, '--is-active', 'true'], { home: emptyHome() });
    expectOk(text, 'user update (text)');
    expect(text.stdout).toBe('User updated: upd-user-3 (upd-user-3@example.com) [ACTIVE]\n');
  });

  it('role update --name, --description', async () => {
    const role = await adminPost('/roles', { name: 'upd-role', description: 'before' });
    const fields = (x: any) => ({ name: x.name, description: x.description });
    for (const [flags, want] of [
      [['--name', 'upd-role-2'], { name: 'upd-role-2', description: 'before' }],
      [['--description', 'after'], { name: 'upd-role-2', description: 'after' }],
      [['--name', 'upd-role-3', '--description', ''], { name: 'upd-role-3', description: '' }],
    ] as [string[], object][]) {
      expect(fields(await update(['role', 'update', '--id', role.id, ...flags])), flags.join(' ')).toEqual(want);
      expect(fields(await adminGet(`/roles/${role.id}`)), flags.join(' ')).toEqual(want);
    }
  });

  it('permission update --name', async () => {
    const perm = await adminPost('/permissions', { name: 'upd-perm' });
    expect((await update(['permission', 'update', '--id', perm.id, '--name', 'upd-perm-2'])).name).toBe('upd-perm-2');
    expect((await adminGet(`/permissions/${perm.id}`)).name).toBe('upd-perm-2');
  });

  it('scope update --name, --description', async () => {
    const scope = await adminPost('/scopes', { name: 'upd.scope', desc: 'before' });
    const fields = (x: any) => ({ name: x.name, desc: x.desc });
    for (const [flags, want] of [
      [['--name', 'upd.scope2'], { name: 'upd.scope2', desc: 'before' }],
      [['--description', 'after'], { name: 'upd.scope2', desc: 'after' }],
      [['--name', 'upd.scope3', '--description', 'both'], { name: 'upd.scope3', desc: 'both' }],
    ] as [string[], object][]) {
      expect(fields(await update(['scope', 'update', '--id', scope.id, ...flags])), flags.join(' ')).toEqual(want);
      expect(fields(await adminGet(`/scopes/${scope.id}`)), flags.join(' ')).toEqual(want);
    }
  });

  it('client update --client-id, --display-name, --audience, --is-active', async () => {
    const c = await adminPost('/clients', { client_id: 'upd-client', display_name: 'Before', audience: 'aud-1' });
    const fields = (x: any) => ({ client_id: x.client_id, display_name: x.display_name, audience: x.audience, is_active: x.is_active });
    const base = { client_id: 'upd-client', display_name: 'Before', audience: 'aud-1', is_active: true };
    expect(fields(await adminGet(`/clients/${c.id}`))).toEqual(base);
    for (const [flags, want] of [
      [['--client-id', 'upd-client-2'], { ...base, client_id: 'upd-client-2' }],
      [['--display-name', 'After'], { ...base, client_id: 'upd-client-2', display_name: 'After' }],
      [['--audience', 'aud-2'], { ...base, client_id: 'upd-client-2', display_name: 'After', audience: 'aud-2' }],
      [['--is-active', 'false'], { client_id: 'upd-client-2', display_name: 'After', audience: 'aud-2', is_active: false }],
      [['--is-active', '--client-id', 'upd-client-3', '--display-name', 'All', '--audience', 'aud-3'],
        { client_id: 'upd-client-3', display_name: 'All', audience: 'aud-3', is_active: true }],
    ] as [string[], object][]) {
      expect(fields(await update(['client', 'update', '--id', c.id, ...flags])), flags.join(' ')).toEqual(want);
      expect(fields(await adminGet(`/clients/${c.id}`)), flags.join(' ')).toEqual(want);
    }
  });

  it('client update-idp --provider-key, --display-name, --issuer, --external-client-id, --scopes', async () => {
    const c = await adminPost('/clients', { client_id: 'upd-idp-client' });
    const idp = await adminPost(`/clients/${c.id}/idp`, { provider_key: 'p1', display_name: 'P1', issuer: 'https://p1.example.com',
      client_identifier: 'ext-1', scopes: 'openid' });
    const fields = (x: any) => ({ provider_key: x.provider_key, display_name: x.display_name, issuer: x.issuer,
      client_identifier: x.client_identifier, scopes: x.scopes });
    const all = ['--provider-key', 'p2', '--display-name', 'P2', '--issuer', 'https://p2.example.com', '--external-client-id', 'ext-2'];
    const want = { provider_key: 'p2', display_name: 'P2', issuer: 'https://p2.example.com', client_identifier: 'ext-2' };
    const stored = async () => fields((await adminGet(`/clients/${c.id}/idp`)).find((x: any) => x.id === idp.id));
    // --scopes defaults to "openid email profile"
    expect(fields(await update(['client', 'update-idp', '--id', c.id, '--idp-id', idp.id, ...all]))).toEqual({ ...want, scopes: 'openid email profile' });
    expect(await stored()).toEqual({ ...want, scopes: 'openid email profile' });
    await update(['client', 'update-idp', '--id', c.id, '--idp-id', idp.id, ...all, '--scopes', 'openid email']);
    expect(await stored()).toEqual({ ...want, scopes: 'openid email' });
  });
});

describe('an option given twice', () => {
  const run = (args: string[]) => mad(['--admin-token', token, ...args, '--json'], { home: emptyHome() });

  it('is a usage error (exit 2, nothing sent) unless the option takes a list', async () => {
    // yargs made it an array: --admin-url twice crashed with a TypeError, --email twice sent a JSON array
    const url = await run(['--admin-url', server.adminUrl, '--admin-url', server.adminUrl, 'ping']);
    expect([url.code, url.json]).toEqual([2, { success: false, message: '--admin-url was given more than once; it takes one value.' }]);
    const u = await adminPost('/users', { username: 'twice-user', email: 'twice@example.com', password: 'pw-twice-user-1' });
    const email = await run(['--admin-url', server.adminUrl, 'user', 'update', '--id', u.id, '--email', 'a@example.com', '--email', 'b@example.com']);
    expect([email.code, email.json]).toEqual([2, { success: false, message: '--email was given more than once; it takes one value.' }]);
    expect((await adminGet(`/users/${u.id}`)).email).toBe('twice@example.com');
    // --scope-id is a list: repeated, or several values after one flag
    const [s1, s2, s3] = [await adminPost('/scopes', { name: 'twice.1' }), await adminPost('/scopes', { name: 'twice.2' }),
      await adminPost('/scopes', { name: 'twice.3' })];
    expectOk(await run(['--admin-url', server.adminUrl, 'scope', 'assign-to-user', '--user-id', u.id, '--scope-id', s1.id, '--scope-id', s2.id, s3.id]),
      'assign-to-user');
    expect((await adminGet(`/users/${u.id}/scopes`)).map((x: { id: string }) => x.id).sort()).toEqual([s1.id, s2.id, s3.id].sort());
  });
});
