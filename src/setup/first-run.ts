import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PasswordHasher } from '../crypto/password.js';
import { newId, randomToken } from '../crypto/secrets.js';
import { MAD_ADMIN_ROLE_ID, type Store } from '../store/index.js';
import { emailProblem, normalizeEmail, normalizeUsername, passwordProblem, usernameProblem } from '../services/validation.js';
import type { Prompter } from './prompt.js';

export interface FirstRunOptions {
  dbFile: string;
  adminUsername: string;
  adminEmail: string;
  adminPassword: string;
  /** A terminal to ask on; null = non-interactive (CI, Docker, --no-prompt). */
  prompter: Prompter | null;
  /** Where to tell the operator what happened (stdout; never the log). */
  say: (line: string) => void;
}

export class SetupError extends Error {
  override readonly name = 'SetupError';
}

export interface FirstRunResult {
  created: boolean;
  username?: string;
  passwordFile?: string;
}

/**
 * First run (OOBE): creates the first MadAdmin user once. Values come from options/env, else from
 * the wizard on a terminal, else defaults; a password nobody supplied is generated and written
 * once to a 0600 file whose path is printed — it never goes to the log.
 */
export async function ensureFirstAdmin(store: Store, hasher: PasswordHasher, o: FirstRunOptions): Promise<FirstRunResult> {
  if (await store.meta.get('setup_completed_at')) return { created: false };

  const ask = async (q: string, given: string, fallback: string, secret = false): Promise<string> =>
    given || (o.prompter ? await o.prompter.ask(q, secret ? { secret } : { defaultValue: fallback }) : '') || fallback;

  if (o.prompter) o.say('microauthd first-run setup: create the first administrator.');
  const username = normalizeUsername(await ask('Admin username', o.adminUsername, 'admin'));
  const email = normalizeEmail(await ask('Admin email', o.adminEmail, 'admin@example.com'));
  let password = await ask('Admin password (blank = generate one)', o.adminPassword, '', true);
  const problems = [usernameProblem(username), emailProblem(email), password ? passwordProblem(password) : null]
    .filter((p): p is string => p !== null);
  if (problems.length) throw new SetupError(`first-run admin: ${problems.join('; ')}`);

  let passwordFile: string | undefined;
  if (!password) {
    password = randomToken(18);
    passwordFile = join(dirname(o.dbFile), 'admin-password.txt');
    writeFileSync(passwordFile, `${username}\n${password}\n`, { mode: 0o600, flag: 'w' });
  }
  await store.users.create(
    { id: newId(), username, email, passwordHash: await hasher.hash(password), emailVerified: true },
    { actorId: 'setup', action: 'setup_admin_created', target: username },
    [MAD_ADMIN_ROLE_ID],
  );
  await store.meta.set('setup_completed_at', new Date().toISOString());
  o.say(`Created administrator '${username}'.`);
  if (passwordFile) o.say(`Its generated password is in ${passwordFile} (readable only by you). Change it after signing in.`);
  return passwordFile ? { created: true, username, passwordFile } : { created: true, username };
}
