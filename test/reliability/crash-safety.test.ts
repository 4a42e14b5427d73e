import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminClient, AuthClient } from '../../bindings/typescript/index.js';
import { openDatabase } from '../../src/store/index.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { FAST_ARGON2 } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Crash safety: under a steady write load (users, token grants, refresh rotation) the real server
 * process is SIGKILLed at random points and restarted on the same file. Every write whose 2xx answer
 * arrived must be there, the file must pass integrity_check, spent refresh tokens must stay spent,
 * and the audit chain must still verify. Bounded: three rounds of at most ~1.5 s of load each.
 */
const { dir, cleanup } = tempDir('crash-');
afterAll(cleanup);
const dbFile = join(dir, 'crash.db3');
const args = ['--db-file', dbFile, '--auth-port', '0', '--admin-port', '0', '--no-prompt', '--log-level', 'error',
  '--rate-limit-auth', '0', '--rate-limit-admin', '0', ...FAST_ARGON2];
const env = { MAD_ADMIN_USERNAME: 'crashadmin', MAD_ADMIN_PASSWORD: 'crash-admin-password' };

describe('crash safety under SIGKILL', () => {
  it('keeps every acknowledged write, integrity, one-time refresh tokens and the audit chain', async () => {
    const acknowledgedUsers: string[] = [];
    const spentRefreshTokens: string[] = [];
    let client: { clientId: string; clientSecret: string } | null = null;
    let server: ServerProcess | null = null;

    for (let round = 0; round < 3; round++) {
      server = await spawnServer(args, env, dir);
      const admin = new AdminClient(server.adminUrl);
      await admin.login('crashadmin', 'crash-admin-password');
      if (!client) {
        const c = await admin.createClient({ client_id: 'crash-app', audience: 'crash' });
        client = { clientId: c.client_id, clientSecret: (c as { client_secret?: string }).client_secret! };
        await admin.createUser({ username: 'crash-user', email: 'crash@example.com', password: 'crash-user-password' });
      }
      const auth = new AuthClient(server.authUrl);
      let refresh = (await auth.passwordGrant({ username: 'crash-user', password: 'crash-user-password', ...client })).refresh_token!;
      let stop = false;
      const writers = [
        (async () => {
          for (let i = 0; !stop; i++) {
            const name = `r${round}u${i}`;
            try {
              await admin.createUser({ username: name, email: `${name}@example.com`, password: 'load-password-1' });
              acknowledgedUsers.push(name);
            } catch { /* the kill interrupted it: not acknowledged */ }
          }
        })(),
        (async () => {
          while (!stop) {
            try {
              const next = await auth.refresh({ refreshToken: refresh, ...client! });
              spentRefreshTokens.push(refresh);
              refresh = next.refresh_token!;
            } catch { /* interrupted */ }
          }
        })(),
      ];
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      server.child.kill('SIGKILL');
      await new Promise((r) => server!.child.once('exit', r));
      stop = true;
      await Promise.all(writers);
    }

    expect(acknowledgedUsers.length).toBeGreaterThan(10);
    expect(spentRefreshTokens.length).toBeGreaterThan(5);

    // The file itself: integrity check with a direct connection (the server is down).
    const key = readFileSync(`${dbFile}.key`, 'utf8').trim();
    const db = openDatabase({ file: dbFile, key, synchronous: 'NORMAL' });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    server = await spawnServer(args, env, dir);
    try {
      const admin = new AdminClient(server.adminUrl);
      await admin.login('crashadmin', 'crash-admin-password');
      const all = new Set((await admin.listUsers({ limit: 1000 })).map((u) => u.username));
      for (const name of acknowledgedUsers) expect(all.has(name), `acknowledged user ${name} lost`).toBe(true);
      const auth = new AuthClient(server.authUrl);
      for (const spent of spentRefreshTokens.slice(-3)) {
        await expect(auth.refresh({ refreshToken: spent, ...client! })).rejects.toMatchObject({ status: 400, error: 'invalid_grant' });
      }
      expect(await admin.verifyAuditLog()).toMatchObject({ ok: true });
    } finally {
      await server.stop('SIGTERM');
    }
  }, 120_000);
});
