/** Input rules shared by every route and the first-run setup, so a name means the same everywhere. */

export const USERNAME_MAX = 64;
const USERNAME_RULE = /^[a-z0-9][a-z0-9._@+-]*$/;
const EMAIL_RULE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Usernames are case-insensitive: stored and looked up trimmed, NFC-normalized and lower-cased. */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

/**
 * Scope, role and permission names: NFC-normalized and trimmed (case kept). One function for create, update
 * and id-by-name, so a name that was accepted is also found (security.md).
 */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
}

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

/** null when valid, else the reason. */
export function usernameProblem(username: string): string | null {
  if (username.length === 0) return 'Username is required';
  if (username.length > USERNAME_MAX) return `Username must be at most ${USERNAME_MAX} characters`;
  if (!USERNAME_RULE.test(username)) return 'Username may contain only letters, digits and . _ @ + -';
  return null;
}

export function emailProblem(email: string): string | null {
  if (email.length === 0) return 'Email is required';
  if (email.length > 254 || !EMAIL_RULE.test(email)) return 'Email address is not valid';
  return null;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters`;
  return null;
}
