import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { form, http } from '../helpers/http.js';
import { spawnServer } from '../helpers/process.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Resource bounds (security.md): each argon2id verify holds 32 MiB; a flood of logins must not
 * multiply that. The server runs with a large libuv pool (so the pool would not limit anything)
 * and --argon2-max-concurrency 2; 48 concurrent logins must leave the peak RSS far below the
 * ≈ 1.5 GiB that 48 simultaneous verifies would need. (FLOOD_CONCURRENCY=64 lifts the bound: then this
 * test fails — measured: +930 MB — which shows it can fail.)
 */
const { dir, cleanup } = tempDir('flood-');
afterAll(cleanup);

const peakMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

describe('argon2 concurrency bound under a login flood', () => {
  it('keeps memory bounded and still answers every request', async () => {
    const server = await spawnServer(['--db-file', join(dir, 'flood.db3'), '--auth-port', '0', '--admin-port', '0', '--no-prompt',
      '--log-level', 'error', '--rate-limit-admin', '0', '--argon2id-memory', '32768', '--argon2id-time', '1', '--argon2id-parallelism', '1',
      '--argon2-max-concurrency', process.env.FLOOD_CONCURRENCY ?? '2', '--max-login-failures', '0'], { MAD_ADMIN_USERNAME: 'flood', MAD_ADMIN_PASSWORD: 'flood-admin-password', UV_THREADPOOL_SIZE: '64' }, dir);
    try {
      const before = peakMb(server.child.pid!);
      const answers = await Promise.all(Array.from({ length: 48 }, (_, i) =>
        http(`${server.adminUrl}/token`, form({ username: i % 2 ? 'flood' : 'nobody', password: 'wrong-password', client_id: 'admin' }))));
      expect(answers.every((a) => a.status === 403)).toBe(true);
      const after = peakMb(server.child.pid!);
      // Two verifies at a time cost ~64 MiB; 48 at once would cost ~1.5 GiB.
      expect(after - before, `peak RSS grew from ${before.toFixed(0)} to ${after.toFixed(0)} MB`).toBeLessThan(400);
      const ok = await http(`${server.adminUrl}/token`, form({ username: 'flood', password: 'flood-admin-password', client_id: 'admin' }));
      expect(ok.status).toBe(200);
    } finally {
      await server.stop('SIGTERM');
    }
  }, 120_000);
});
