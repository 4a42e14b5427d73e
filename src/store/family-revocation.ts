/**
 * Revoking a refresh family (reuse detection, logout, an administrator) writes one row to
 * `revoked_families`; the family's sessions and refresh tokens are not updated one by one. That
 * spares every token issue the two `family_id` index entries that finding them again would need
 * (random pages, re-encrypted on every commit: a fifth of a refresh's store work). So a row's
 * revocation state is its own `is_revoked` OR its family's row, and every read of it goes through
 * `revokedSql` (docs/architecture.md, "Revocation").
 */

/** 1 when the `sessions` or `refresh_tokens` row named `row` (table or alias) is revoked, itself or through its family; else 0. */
export function revokedSql(row: string): string {
  return `(${row}.is_revoked = 1 OR EXISTS (SELECT 1 FROM revoked_families rf WHERE rf.family_id = ${row}.family_id))`;
}
