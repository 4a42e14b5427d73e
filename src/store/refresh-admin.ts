import type { StoreContext } from './context.js';

/**
 * Admin-side writes on refresh tokens and sessions that must run INSIDE another store method's
 * transaction (client deletion, secret change, deactivation). The refresh-token store itself
 * belongs to the token endpoints; this module only adds the by-client revocation.
 */
export function revokeClientTokensSync(ctx: StoreContext, clientIdentifier: string): void {
  const now = ctx.now().toISOString();
  // Mark the families revoked too, so a refresh redeemed concurrently cannot extend them.
  ctx.sql(`INSERT OR IGNORE INTO revoked_families (family_id, revoked_at)
    SELECT DISTINCT family_id, ? FROM refresh_tokens WHERE client_identifier = ? AND is_revoked = 0`).run(now, clientIdentifier);
  ctx.sql('UPDATE refresh_tokens SET is_revoked = 1 WHERE client_identifier = ? AND is_revoked = 0').run(clientIdentifier);
  ctx.sql("UPDATE sessions SET is_revoked = 1 WHERE client_identifier = ? AND mad_use = 'auth' AND is_revoked = 0")
    .run(clientIdentifier);
}

/** Usernames by user id, for filling SessionResponse/RefreshTokenResponse. */
export function usernamesSync(ctx: StoreContext, userIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of new Set(userIds)) {
    const r = ctx.sql('SELECT username FROM users WHERE id = ?').get(id) as { username: string } | undefined;
    if (r) out.set(id, r.username);
  }
  return out;
}
