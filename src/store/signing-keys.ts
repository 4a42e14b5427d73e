import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import type { AuditEntry, Plane, SigningKeyRow } from './types.js';

interface KeyDbRow {
  kid: string; plane: Plane; alg: 'RS256' | 'ES256'; private_key_pem: string; public_jwk: string;
  status: SigningKeyRow['status']; created_at: string; activated_at: string | null; retired_at: string | null;
  publish_until: string | null;
}

const toKey = (r: KeyDbRow): SigningKeyRow => ({
  kid: r.kid, plane: r.plane, alg: r.alg, privateKeyPem: r.private_key_pem, publicJwk: r.public_jwk,
  status: r.status, createdAt: r.created_at, activatedAt: r.activated_at, retiredAt: r.retired_at,
  publishUntil: r.publish_until,
});

export type NewSigningKey = Pick<SigningKeyRow, 'kid' | 'alg' | 'privateKeyPem' | 'publicJwk'>;

export function createSigningKeyStore(ctx: StoreContext, audit: AuditStore) {
  const insertSync = (plane: Plane, k: NewSigningKey, status: SigningKeyRow['status'], now: string): void => {
    ctx.sql(`INSERT INTO signing_keys (kid, plane, alg, private_key_pem, public_jwk, status, created_at, activated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(k.kid, plane, k.alg, k.privateKeyPem, k.publicJwk, status, now,
      status === 'current' ? now : null);
  };

  return {
    /** Current, standby and retired keys still inside their publication window, newest first. */
    async listPublished(plane: Plane): Promise<SigningKeyRow[]> {
      const rows = ctx.sql(`SELECT * FROM signing_keys WHERE plane = ?
        AND (status != 'retired' OR publish_until > ?) ORDER BY created_at DESC`)
        .all(plane, ctx.nowIso()) as KeyDbRow[];
      return rows.map(toKey);
    },

    async hasCurrent(plane: Plane): Promise<boolean> {
      return ctx.sql("SELECT 1 FROM signing_keys WHERE plane = ? AND status = 'current'").get(plane) !== undefined;
    },

    /** Creates the first current and standby keys of a plane; no-op if the plane has a current key. */
    async initialize(plane: Plane, current: NewSigningKey, standby: NewSigningKey): Promise<boolean> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        if (ctx.sql("SELECT 1 FROM signing_keys WHERE plane = ? AND status = 'current'").get(plane)) return false;
        insertSync(plane, current, 'current', now);
        insertSync(plane, standby, 'standby', now);
        return true;
      }).immediate();
    },

    /**
     * Rotation: the current key retires (published until `retiredPublishUntil`, when every token
     * it signed has expired), the standby becomes current, and `nextStandby` is added.
     */
    async rotate(plane: Plane, nextStandby: NewSigningKey, retiredPublishUntil: Date, entry?: AuditEntry): Promise<void> {
      const now = ctx.nowIso();
      ctx.db.transaction(() => {
        ctx.sql(`UPDATE signing_keys SET status = 'retired', retired_at = ?, publish_until = ?
          WHERE plane = ? AND status = 'current'`).run(now, retiredPublishUntil.toISOString(), plane);
        ctx.sql(`UPDATE signing_keys SET status = 'current', activated_at = ? WHERE plane = ? AND status = 'standby'`)
          .run(now, plane);
        insertSync(plane, nextStandby, 'standby', now);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;
