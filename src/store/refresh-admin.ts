import type { StoreContext } from './context.js';

/** Usernames by user id, for filling SessionResponse/RefreshTokenResponse. */
export function usernamesSync(ctx: StoreContext, userIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of new Set(userIds)) {
    const r = ctx.sql('SELECT username FROM users WHERE id = ?').get(id) as { username: string } | undefined;
    if (r) out.set(id, r.username);
  }
  return out;
}
