import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { form, http } from '../helpers/http.js';
import { MAIN_JS } from '../helpers/process.js';
import { FAST_ARGON2 } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const { dir, cleanup } = tempDir('wizard-');
afterAll(cleanup);

/**
 * The interactive first run, on a real pseudo-terminal (`script` from util-linux): each answer is
 * typed after its prompt appears, as a person would.
 */
describe('first-run wizard on a terminal', () => {
  it('asks for the admin, does not echo the password, and starts with that admin', async () => {
    const cmd = [process.execPath, MAIN_JS, '--db-file', join(dir, 'mad.db3'), '--auth-port', '0', '--admin-port', '0',
      '--log-level', 'warn', ...FAST_ARGON2].join(' ');
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: dir, env: { PATH: process.env.PATH ?? '', TERM: 'dumb' } });
    let out = '';
    const answers: [string, string][] = [
      ['Admin username', 'Wizard.Admin'], ['Admin email', 'wiz@example.com'], ['Admin password', 'wizard-password-1'],
    ];
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line:\n${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const next = answers[0];
        if (next && out.includes(next[0])) {
          answers.shift();
          setTimeout(() => child.stdin.write(`${next[1]}\r`), 50);
        }
        const m = /microauthd ready: auth \S+\s+admin (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
    });
    try {
      const adminUrl = (await ready).trim();
      expect(out).toContain("Created administrator 'wizard.admin'");
      expect(out).not.toContain('wizard-password-1');
      const login = await http(`${adminUrl}/token`, form({ username: 'wizard.admin', password: 'wizard-password-1', client_id: 'admin' }));
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
