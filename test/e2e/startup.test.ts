import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { form, http } from '../helpers/http.js';
import { runServerCommand, spawnServer } from '../helpers/process.js';
import { FAST_ARGON2 } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const dbFile = join(dir, 'mad.db3');
const args = ['--db-file', dbFile, '--auth-port', '0', '--admin-port', '0', '--no-prompt', '--log-level', 'warn', ...FAST_ARGON2];
const env = { MAD_ADMIN_USERNAME: 'FirstAdmin', MAD_ADMIN_EMAIL: 'first.admin@example.org' };

describe('first run, restart and shutdown of the real process', () => {
  let password = '';
  let kids: string[] = [];

  it('first run (non-interactive) creates the database, a key file, both keyrings and a working admin', async () => {
    const server = await spawnServer(args, env, dir);
    const m = /generated password is in (\S+) /.exec(server.stdout());
    expect(m, server.stdout()).not.toBeNull();
    const passwordFile = m![1] as string;
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(`${dbFile}.key`).mode & 0o777).toBe(0o600);
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    const [user, pw] = readFileSync(passwordFile, 'utf8').trim().split('\n');
    expect(user).toBe('firstadmin');
    password = pw as string;
    expect(server.stdout()).not.toContain(password);
    expect(server.stderr()).not.toContain(password);

    // No --admin-ip given: the admin plane listens on loopback only (security.md "Admin plane").
    expect(new URL(server.adminUrl).hostname).toBe('127.0.0.1');
    const login = await http(`${server.adminUrl}/token`, form({ username: 'FirstAdmin', password, client_id: 'admin' }));
    expect(login.status).toBe(200);
    kids = (await http(`${server.authUrl}/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toHaveLength(2);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('the database file holds no plaintext username or email', () => {
    const bytes = Buffer.concat([readFileSync(dbFile)]);
    expect(bytes.includes('firstadmin')).toBe(false);
    expect(bytes.includes('first.admin@example.org')).toBe(false);
  });

  it('a restart keeps keys and data, and does not run setup again', async () => {
    const server = await spawnServer(args, {}, dir);
    expect(server.stdout()).not.toContain('Created administrator');
    const again = (await http(`${server.authUrl}/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid);
    expect(again).toEqual(kids);
    const login = await http(`${server.adminUrl}/token`, form({ username: 'firstadmin', password, client_id: 'admin' }));
    expect(login.status).toBe(200);
    expect(await server.stop('SIGINT')).toBe(0);
  });

  it('refuses to start with a wrong database key', async () => {
    const r = await runServerCommand([...args, '--db-pass', 'not-the-key'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wrong database key/);
  });

  it('reports every bad configuration value at once and exits 2', async () => {
    const r = await runServerCommand(['--auth-port', '70000', '--argon2id-time', '0'], { MAD_ADMIN_IP: 'not-an-ip' }, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/auth-port/);
    expect(r.stderr).toMatch(/argon2id-time/);
    expect(r.stderr).toMatch(/admin-ip/i);
  });

  it('--print-effective-config masks secrets', async () => {
    const r = await runServerCommand(['--print-effective-config', '--db-pass', 'super-secret-db-pass'], {}, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/db-pass = \*+/);
    expect(r.stdout).not.toContain('super-secret-db-pass');
  });
});
