import { statSync, lstatSync, readFileSync, readdirSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mad } from '../helpers/mad.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

let server: TestServer;
const home = tempDir('mad-home-');
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); home.cleanup(); });

const run = (args: string[], env: Record<string, string> = {}, stdin?: string) =>
  mad(['--admin-url', server.adminUrl, ...args], { home: home.dir, env, ...(stdin !== undefined ? { stdin } : {}) });

describe('mad session, ping, version, key, token', () => {
  it('ping and version work without a token', async () => {
    const ping = await run(['ping', '--json']);
    expect(ping.code).toBe(0);
    expect(ping.json).toEqual({ message: 'pong from admin' });
    const version = await run(['version', '--json']);
    expect(version.json.server.name).toBe('microauthd');
    expect(version.code).toBe(0);
    // No server: mad still says which version it is, and exits 1 (a connection failure).
    const alone = await mad(['--admin-url', 'http://127.0.0.1:9', 'version', '--json'], { home: home.dir });
    expect([alone.code, alone.json.server, typeof alone.json.mad]).toEqual([1, null, 'string']);
  });

  it('logs in without a terminal (--password-stdin), writes 0600 token files, prints one JSON document', async () => {
    const r = await run(['session', 'login', '--username', ADMIN_USERNAME, '--password-stdin', '--json'], {}, `${ADMIN_PASSWORD}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json).toMatchObject({ success: true, message: 'Login successful' });
    for (const f of ['.mad_token', '.mad_url']) expect(statSync(join(home.dir, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home.dir, '.mad_url'), 'utf8').trim()).toBe(server.adminUrl);
  });

  it('replaces the token files (new 0600 file renamed over them) instead of writing through an existing file or link', async () => {
    const other = tempDir('mad-home-link-');
    const outside = tempDir('mad-outside-');
    const leak = join(outside.dir, 'world-readable');
    writeFileSync(leak, '', { mode: 0o644 });
    symlinkSync(leak, join(other.dir, '.mad_token'));
    writeFileSync(join(other.dir, '.mad_url'), 'old\n', { mode: 0o644 });
    const r = await mad(['--admin-url', server.adminUrl, 'session', 'login', '--username', ADMIN_USERNAME, '--password-stdin'],
      { home: other.dir, stdin: `${ADMIN_PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(leak, 'utf8')).toBe('');
    expect(statSync(leak).mode & 0o777).toBe(0o644);
    for (const f of ['.mad_token', '.mad_url']) {
      const st = lstatSync(join(other.dir, f));
      expect(st.isFile(), f).toBe(true);
      expect(st.mode & 0o777, f).toBe(0o600);
    }
    expect(readdirSync(other.dir).sort()).toEqual(['.mad_token', '.mad_url']);
    other.cleanup();
    outside.cleanup();
  });

  it('logs in from MAD_ADMIN_USERNAME / MAD_ADMIN_PASSWORD', async () => {
    const r = await run(['session', 'login'], { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Logged in as [0-9a-f-]{36}\./);
  });

  it('a wrong password exits 1 with the server message; missing credentials exit 2', async () => {
    const bad = await run(['session', 'login', '--username', ADMIN_USERNAME, '--password-stdin'], {}, 'wrong\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Invalid credentials/);
    const none = await run(['session', 'login', '--no-config']);
    expect(none.code).toBe(2);
  });

  it('login with --no-config is a usage error before anything is sent (the token would be stored nowhere)', async () => {
    // A closed port: had mad tried the login, it would exit 1 (connection failure), not 2.
    const r = await mad(['--admin-url', 'http://127.0.0.1:1', 'session', 'login', '--no-config', '--json'],
      { home: home.dir, env: { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ success: false, message: expect.stringMatching(/--no-config/) });
  });

  it('status decodes the stored token; key list/rotate use it', async () => {
    await run(['session', 'login'], { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const status = await run(['session', 'status', '--json']);
    expect(status.json).toMatchObject({ success: true, role: 'MadAdmin', token_use: 'access' });
    const keys = await run(['key', 'list', '--plane', 'admin', '--json']);
    expect(keys.code).toBe(0);
    expect(keys.json.map((k: { status: string }) => k.status).sort()).toEqual(['current', 'standby']);
    const rotated = await run(['key', 'rotate', '--plane', 'admin', '-q']);
    expect(rotated.stdout.trim()).toBe(keys.json.find((k: { status: string }) => k.status === 'standby').kid);
    const csv = await run(['key', 'list', '--plane', 'admin', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('Kid,Alg,Status,Created,Published until');
  });

  it('status warns about an expired token and reads the role claim when roles is missing', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) - 60;
    const expired = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub: 'u-1', role: 'MadAdmin', exp, token_use: 'access' })}.c2ln`;
    const r = await mad(['session', 'status', '--json', '--no-config'], { home: home.dir, env: { MAD_ADMIN_TOKEN: expired } });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ success: true, sub: 'u-1', role: 'MadAdmin', expires_at: new Date(exp * 1000).toISOString() });
    expect(r.stderr).toMatch(/Token is expired/);
  });

  it('token decodes a JWT offline', async () => {
    const token = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
    const r = await run(['token', '--token', token, '--json']);
    expect(r.json.payload.mad).toBe('admin');
    expect((await run(['token', '--token', 'garbage'])).code).toBe(2);
  });

  it('usage errors exit 2; connection failures exit 1', async () => {
    expect((await run(['no-such-command'])).code).toBe(2);
    expect((await run(['key'])).code).toBe(2);
    for (const args of [['no-such-command', '--json'], ['user', 'get', '--json'], ['--format', 'json', 'user', 'get'], ['key', '--format=json']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.json, args.join(' ')).toEqual({ success: false, message: expect.any(String) });
      expect(r.json.message.length).toBeGreaterThan(0);
    }
    const down = await mad(['--admin-url', 'http://127.0.0.1:1', 'ping', '--json'], { home: home.dir });
    expect(down.code).toBe(1);
    expect(down.json.success).toBe(false);
  });

  it('MAD_ADMIN_TOKEN works without any file, and --no-config ignores the files', async () => {
    const token = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
    const other = tempDir('mad-home-2-');
    const r = await mad(['--admin-url', server.adminUrl, 'key', 'list', '--json'], { home: other.dir, env: { MAD_ADMIN_TOKEN: token } });
    expect(r.code, r.stderr).toBe(0);
    const noCfg = await run(['key', 'list', '--no-config']);
    expect(noCfg.code).toBe(2);
    other.cleanup();
  });

  it('logout revokes the session on the server and clears ~/.mad_token', async () => {
    const token = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
    const r = await run(['session', 'logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(existsSync(join(home.dir, '.mad_token'))).toBe(false);
    expect((await run(['key', 'list'])).code).toBe(2);
    const stale = await mad(['--admin-url', server.adminUrl, 'key', 'list', '--no-config'], { home: home.dir, env: { MAD_ADMIN_TOKEN: token } });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/revoked/);
  });

  it('logout whose revoke fails exits 1 with a JSON error and keeps ~/.mad_token for a retry', async () => {
    await run(['session', 'login'], { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const token = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
    const down = await mad(['--admin-url', 'http://127.0.0.1:1', 'session', 'logout', '--json'], { home: home.dir });
    expect(down.code).toBe(1);
    expect(down.stdout.trim().split('\n')).toHaveLength(1);
    expect(down.json).toEqual({ success: false, message: expect.stringMatching(/Could not revoke/) });
    expect(readFileSync(join(home.dir, '.mad_token'), 'utf8').trim()).toBe(token);
    const text = await mad(['--admin-url', 'http://127.0.0.1:1', 'session', 'logout'], { home: home.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/Could not revoke/);
    // the retry against the live server works
    expect((await run(['session', 'logout'])).code).toBe(0);
    expect(existsSync(join(home.dir, '.mad_token'))).toBe(false);
    // a token the server already refuses (revoked) still logs out locally
    await run(['session', 'login'], { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const second = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
    expect((await run(['session', 'logout', '--no-config'], { MAD_ADMIN_TOKEN: second })).code).toBe(0);
    const again = await run(['session', 'logout']);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(home.dir, '.mad_token'))).toBe(false);
  });

  it('logout revokes a token given only by MAD_ADMIN_TOKEN or --admin-token', async () => {
    const other = tempDir('mad-home-3-');
    for (const how of ['env', 'flag'] as const) {
      await run(['session', 'login'], { MAD_ADMIN_USERNAME: ADMIN_USERNAME, MAD_ADMIN_PASSWORD: ADMIN_PASSWORD });
      const token = readFileSync(join(home.dir, '.mad_token'), 'utf8').trim();
      const args = ['--admin-url', server.adminUrl, 'session', 'logout', '--json', ...(how === 'flag' ? ['--admin-token', token] : [])];
      const r = await mad(args, { home: other.dir, env: how === 'env' ? { MAD_ADMIN_TOKEN: token } : {} });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ success: true });
      const stale = await mad(['--admin-url', server.adminUrl, 'key', 'list', '--no-config'], { home: other.dir, env: { MAD_ADMIN_TOKEN: token } });
      expect(stale.code, how).toBe(1);
    }
    other.cleanup();
  });
});
