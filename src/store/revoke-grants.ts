import type { StoreContext } from './context.js';
import { revokedSql } from './family-revocation.js';

/** Whose grants: a user's, a client's, or one user's at one client. */
export type GrantOwner =
  | { userId: string; clientIdentifier?: string }
  | { userId?: string; clientIdentifier: string };

/**
 * Revokes the owner's sessions and refresh tokens — logout, logout-all, user deactivation and
 * lockout, client deactivation, deletion and secret change. MUST run inside the caller's
 * transaction (better-sqlite3: synchronous, no await), so the revocation commits with the change
 * that caused it and with its audit record. Returns the number of sessions revoked.
 *
 * Only auth-plane sessions are touched unless `allPlanes` (deactivating or locking a user also ends
 * their admin sessions). The families of the owner's unexpired refresh tokens are marked revoked as
 * well: a refresh token redeemed just before this call is already `is_revoked`, and its successor is
 * inserted afterwards (refresh-tokens.ts `issueWithSession`), which a revoked family refuses.
 */
export function revokeGrantsSync(ctx: StoreContext, owner: GrantOwner, options: { allPlanes?: boolean } = {}): number {
  const where: string[] = [];
  const args: string[] = [];
  if (owner.userId !== undefined) {
    where.push('user_id = ?');
    args.push(owner.userId);
  }
  if (owner.clientIdentifier !== undefined) {
    where.push('client_identifier = ?');
    args.push(owner.clientIdentifier);
  }
  const match = where.join(' AND ');
  const now = ctx.nowIso();
  ctx.sql(`UPDATE refresh_tokens SET is_revoked = 1 WHERE ${match} AND is_revoked = 0`).run(...args);
  // Counted before the families are marked: a session already revoked through its family is not counted again.
  const revoked = ctx.sql(`UPDATE sessions SET is_revoked = 1 WHERE ${match}${options.allPlanes ? '' : " AND mad_use = 'auth'"}
    AND NOT ${revokedSql('sessions')}`).run(...args).changes;
  ctx.sql(`INSERT OR IGNORE INTO revoked_families (family_id, revoked_at)
    SELECT DISTINCT family_id, ? FROM refresh_tokens WHERE ${match} AND expires_at > ?`).run(now, ...args, now);
  return revoked;
}
