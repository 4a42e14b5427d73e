/**
 * Revoking a refresh family (reuse detection, logout, an administrator) writes one row to
 * `revoked_families`; the family's sessions and refresh tokens are not updated one by one. That
 * spares every token issue the two `family_id` index entries that finding them again would need
 * (random pages, re-encrypted on every commit: a fifth of a refresh's store work). So a row's
 * revocation state is its own `is_revoked` OR its family's row, and every read of it goes through
 * `revokedSql` (docs/architecture.md, "Revocation").
 */

import type { StoreContext } from './context.js';

/** 1 when the `sessions` or `refresh_tokens` row named `row` (table or alias) is revoked, itself or through its family; else 0. */
export function revokedSql(row: string): string {
  return `(${row}.is_revoked = 1 OR EXISTS (SELECT 1 FROM revoked_families rf WHERE rf.family_id = ${row}.family_id))`;
}

/**
 * Drops the revocation rows no session, refresh token or authorization code refers to any more:
 * once a purge has deleted a family's last row there is nothing left for its row to revoke (a
 * missing session or refresh token is refused anyway), so without this the table only grows.
 * Three scans (nothing indexes `family_id`, see above), so purges call it only after deleting.
 */
export function forgetUnreferencedFamiliesSync(ctx: StoreContext): number {
  return ctx.sql(`DELETE FROM revoked_families WHERE family_id NOT IN (SELECT family_id FROM sessions WHERE family_id IS NOT NULL)
    AND family_id NOT IN (SELECT family_id FROM refresh_tokens)
    AND family_id NOT IN (SELECT family_id FROM authorization_codes)`).run().changes;
}
