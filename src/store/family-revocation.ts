/**
 * Revoking a refresh family (reuse detection, logout, an administrator) writes one row to
 * `revoked_families`; the family's sessions and refresh tokens are not updated one by one. That
 * spares every token issue the two `family_id` index entries that finding them again would need
 * (random pages, re-encrypted on every commit: a fifth of a refresh's store work). So a row's
 * revocation state is its own `is_revoked` OR its family's row, and every read of it goes through
 * `revokedSql` (docs/architecture.md, "Revocation").
 */

import type { StoreContext } from './context.js';
import { insertedBeforeSql } from './insertion-order.js';

/** 1 when the `sessions` or `refresh_tokens` row named `row` (table or alias) is revoked, itself or through its family; else 0. */
export function revokedSql(row: string): string {
  return `(${row}.is_revoked = 1 OR EXISTS (SELECT 1 FROM revoked_families rf WHERE rf.family_id = ${row}.family_id))`;
}

/**
 * Forgets the families revoked before `cutoff` (ISO time): the caller picks a cutoff by which every
 * row of such a family has expired (no row joins a family once it is revoked, and none outlives the
 * longest refresh-token lifetime), so forgetting it changes no answer. Without this the table only
 * grows. Reads the revocations in the order they were recorded, so it costs the rows it deletes
 * (insertion-order.ts) — never a scan of the token tables, which nothing indexes by family.
 */
export function forgetFamiliesRevokedBeforeSync(ctx: StoreContext, cutoff: string): number {
  return ctx.sql(`DELETE FROM revoked_families WHERE ${insertedBeforeSql('revoked_families', 'revoked_at')} AND revoked_at < @cutoff`)
    .run({ cutoff }).changes;
}
