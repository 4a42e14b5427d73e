import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, ConsumedError, type AuditEntry, type NewSession } from './types.js';
import type { createSessionStore } from './sessions.js';
import { forgetFamiliesRevokedBeforeSync, revokedSql } from './family-revocation.js';
import { insertedBeforeSql } from './insertion-order.js';
import { rowIdCarriedBy } from '../crypto/secrets.js';

export interface RefreshTokenRow {
  id: string;
  userId: string;
  sessionId: string;
  clientIdentifier: string;
  familyId: string;
  issuedAt: string;
  expiresAt: string;
  isRevoked: boolean;
  usedAt: string | null;
  replacedBy: string | null;
  isOpenidToken: boolean;
  scope: string;
  authTime: number | null;
  amr: string;
}

export interface NewRefreshToken {
  id: string;
  tokenSha256: string;
  familyId: string;
  /** The token this one replaces: set by a rotation, which links the two (`rotate`). */
  parentId?: string | null;
  expiresAt: string;
  isOpenidToken?: boolean;
  scope?: string;
  authTime?: number | null;
  amr?: string;
}

interface RefreshDbRow {
  id: string; user_id: string; session_id: string; client_identifier: string; token_sha256: string; family_id: string;
  issued_at: string; expires_at: string; is_revoked: number; used_at: string | null; replaced_by: string | null;
  is_openid_token: number; scope: string; auth_time: number | null; amr: string;
}

const REVOKED = revokedSql('refresh_tokens');
/** The rows a purge looks at: those recorded before the first one issued at or after the cutoff (insertion-order.ts). */
const ISSUED_BEFORE = insertedBeforeSql('refresh_tokens', 'issued_at');
/** A refresh token row as the store reads it: `is_revoked` counts its family's revocation. */
const PLAIN_COLUMNS = ['id', 'user_id', 'session_id', 'client_identifier', 'token_sha256', 'family_id', 'issued_at', 'expires_at',
  'used_at', 'replaced_by', 'is_openid_token', 'scope', 'auth_time', 'amr'].join(', ');
const COLUMNS = `${PLAIN_COLUMNS}, ${REVOKED} AS is_revoked`;
/**
 * The row a stored digest names (crypto/secrets.ts refreshTokenDigest): found by the row id it leads
 * with (the primary key) and the whole digest compared; a token issued before ids were carried, by
 * the partial index on plain digests (migration 0004). Parameters `@id` and `@digest`.
 */
const DIGEST_MATCH = {
  carried: 'id = @id AND token_sha256 = @digest',
  plain: "token_sha256 = @digest AND instr(token_sha256, '.') = 0",
} as const;
type DigestForm = keyof typeof DIGEST_MATCH;

/** The statement parameters that find the row stored with `tokenSha256`, and which form it has. */
function digestParams(tokenSha256: string): { form: DigestForm; id: string | null; digest: string } {
  const id = rowIdCarriedBy(tokenSha256);
  return { form: id === null ? 'plain' : 'carried', id, digest: tokenSha256 };
}

/** A statement's text for each digest form, built once. */
const perForm = (sql: (match: string) => string): Record<DigestForm, string> =>
  ({ carried: sql(DIGEST_MATCH.carried), plain: sql(DIGEST_MATCH.plain) });

// Hot-path statements are built once: `ctx.sql` finds a prepared statement by its text.
const BY_DIGEST = perForm((match) => `SELECT ${COLUMNS} FROM refresh_tokens WHERE ${match}`);
/** The live, unspent token with this digest, of this client, spent and linked to its successor. */
const SPEND = perForm((match) => `UPDATE refresh_tokens SET used_at = @now, is_revoked = 1, replaced_by = @successor
  WHERE ${match} AND client_identifier = @client AND used_at IS NULL AND expires_at > @now AND NOT ${REVOKED}
  RETURNING ${PLAIN_COLUMNS}, 1 AS is_revoked`);

const toRefresh = (r: RefreshDbRow): RefreshTokenRow => ({
  id: r.id, userId: r.user_id, sessionId: r.session_id, clientIdentifier: r.client_identifier, familyId: r.family_id,
  issuedAt: r.issued_at, expiresAt: r.expires_at, isRevoked: bool(r.is_revoked), usedAt: r.used_at,
  replacedBy: r.replaced_by, isOpenidToken: bool(r.is_openid_token), scope: r.scope, authTime: r.auth_time, amr: r.amr,
});

/** Why a presented refresh token was not redeemed. */
export type Refusal =
  /** Already used (or revoked by rotation): possible theft. The caller decides on family revocation. */
  | { kind: 'reused'; token: RefreshTokenRow }
  /** Unknown, expired, revoked family, or issued to another client: indistinguishable to the caller's client. */
  | { kind: 'invalid' };

/** The records a rotation writes for the successor of a spent token. */
export interface Successor {
  session: NewSession;
  refresh: NewRefreshToken;
  entry: AuditEntry;
}

/** What a rotation found: the successor (as the caller built it) is recorded only when `redeemed`. */
export type Rotation<S extends Successor> = { kind: 'redeemed'; token: RefreshTokenRow; successor: S } | Refusal;

export interface PurgeOptions {
  olderThan: Date;
  purgeExpired: boolean;
  purgeRevoked: boolean;
}

export function createRefreshTokenStore(ctx: StoreContext, audit: AuditStore, sessions: ReturnType<typeof createSessionStore>) {
  const familyRevoked = (familyId: string): boolean =>
    ctx.sql('SELECT 1 FROM revoked_families WHERE family_id = ?').get(familyId) !== undefined;

  /**
   * Records an issued access token's session and, optionally, its refresh token (with the audit
   * record). Refuses (ConsumedError) to extend a revoked family, so tokens minted into a family that
   * was revoked meanwhile (a reused authorization code) are never left alive. Runs inside the caller's
   * transaction.
   */
  function issueSync(session: NewSession, refresh: NewRefreshToken | null, entry?: AuditEntry,
    /** Rotation: the family was checked and the parent linked by `rotate`'s spend in this transaction. */
    rotated = false): void {
    const now = ctx.nowIso();
    if (refresh && !rotated && familyRevoked(refresh.familyId)) throw new ConsumedError('refresh token family has been revoked');
    sessions.insertSync({ ...session, familyId: refresh?.familyId ?? session.familyId ?? null });
    if (refresh) {
      ctx.sql(`INSERT INTO refresh_tokens (id, user_id, session_id, client_identifier, token_sha256, family_id, issued_at,
        expires_at, is_openid_token, scope, auth_time, amr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        refresh.id, session.userId, session.id, session.clientIdentifier, refresh.tokenSha256, refresh.familyId, now,
        refresh.expiresAt, refresh.isOpenidToken ? 1 : 0, refresh.scope ?? '', refresh.authTime ?? null, refresh.amr ?? '');
    }
    if (entry) audit.appendSync(entry);
  }

  /** Why a token that the spend did not match cannot be redeemed (read only). */
  function refusalOf(tokenSha256: string, clientIdentifier: string): Refusal {
    const { form, ...params } = digestParams(tokenSha256);
    const r = ctx.sql(BY_DIGEST[form]).get(params) as RefreshDbRow | undefined;
    if (!r || r.client_identifier !== clientIdentifier) return { kind: 'invalid' };
    // Spent (possible theft), or else revoked, expired or of a revoked family.
    return r.used_at !== null ? { kind: 'reused', token: toRefresh(r) } : { kind: 'invalid' };
  }

  return {
    /** A session and, optionally, a refresh token, in the next group commit (see issueSync). */
    async issueWithSession(session: NewSession, refresh: NewRefreshToken | null, entry?: AuditEntry): Promise<void> {
      return ctx.group.write(() => issueSync(session, refresh, entry));
    },

    /**
     * Rotation in one step (RFC 6749 §6, RFC 9700 §4.14.2), in one group-commit job: one UPDATE spends
     * the presented token if it is live, unspent, of this client and of a family not revoked, links it
     * to `successorId` and returns the row; `successorOf` builds the successor from that row (it may
     * throw to refuse, e.g. a deactivated user: the spend is rolled back with it), and the successor's
     * session, refresh token and audit record are written. A token that the UPDATE did not match is
     * read once to say why. Of N concurrent rotations of one token exactly one is `redeemed`.
     */
    async rotate<S extends Successor>(tokenSha256: string, clientIdentifier: string, successorId: string,
      successorOf: (spent: RefreshTokenRow) => S): Promise<Rotation<S>> {
      return ctx.group.write((): Rotation<S> => {
        const now = ctx.nowIso();
        const { form, ...digest } = digestParams(tokenSha256);
        const r = ctx.sql(SPEND[form]).get({ now, successor: successorId, client: clientIdentifier, ...digest }) as RefreshDbRow | undefined;
        if (!r) return refusalOf(tokenSha256, clientIdentifier);
        const token = toRefresh(r);
        const successor = successorOf(token);
        const { refresh } = successor;
        // The spend linked `successorId` and checked this family: the successor must be exactly that.
        if (refresh.id !== successorId || refresh.parentId !== token.id || refresh.familyId !== token.familyId) {
          throw new Error('rotation: the successor does not continue the spent token');
        }
        issueSync(successor.session, refresh, successor.entry, true);
        return { kind: 'redeemed', token, successor };
      });
    },

    /**
     * Revokes every refresh token and access-token session of a family (RFC 9700 §4.14.2): one row in
     * `revoked_families`, which every read of their state consults (family-revocation.ts).
     */
    async revokeFamily(familyId: string, entry?: AuditEntry): Promise<void> {
      const now = ctx.nowIso();
      ctx.db.transaction(() => {
        ctx.sql('INSERT OR IGNORE INTO revoked_families (family_id, revoked_at) VALUES (?, ?)').run(familyId, now);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    /** Forgets the families revoked before `before` (family-revocation.ts); returns how many. */
    async forgetRevokedFamilies(before: Date): Promise<number> {
      return ctx.db.transaction(() => forgetFamiliesRevokedBeforeSync(ctx, before.toISOString())).immediate();
    },

    async findByDigest(tokenSha256: string): Promise<RefreshTokenRow | null> {
      const { form, ...params } = digestParams(tokenSha256);
      const r = ctx.sql(BY_DIGEST[form]).get(params) as RefreshDbRow | undefined;
      return r ? toRefresh(r) : null;
    },

    async get(id: string): Promise<RefreshTokenRow | null> {
      const r = ctx.sql(`SELECT ${COLUMNS} FROM refresh_tokens WHERE id = ?`).get(id) as RefreshDbRow | undefined;
      return r ? toRefresh(r) : null;
    },

    async list(options: { userId?: string; limit?: number; offset?: number } = {}): Promise<{ rows: RefreshTokenRow[]; total: number }> {
      const where = options.userId ? 'WHERE user_id = @userId' : '';
      const params = { userId: options.userId, limit: options.limit ?? 1000, offset: options.offset ?? 0 };
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM refresh_tokens ${where}`).get(params) as { n: number }).n;
      // Newest first in the order the tokens were recorded (rowid): no sort, no time index to maintain.
      const rows = ctx.db.prepare(`SELECT ${COLUMNS} FROM refresh_tokens ${where} ORDER BY rowid DESC LIMIT @limit OFFSET @offset`)
        .all(params) as RefreshDbRow[];
      return { rows: rows.map(toRefresh), total };
    },

    /** Deletes expired and/or revoked rows older than the cutoff (revoked rows regardless of expiry). */
    async purge(o: PurgeOptions, entry?: AuditEntry): Promise<number> {
      const cutoff = o.olderThan.toISOString();
      return ctx.db.transaction(() => {
        let n = 0;
        if (o.purgeExpired) n += ctx.sql(`DELETE FROM refresh_tokens WHERE ${ISSUED_BEFORE} AND expires_at < @cutoff`).run({ cutoff }).changes;
        if (o.purgeRevoked) n += ctx.sql(`DELETE FROM refresh_tokens WHERE ${ISSUED_BEFORE} AND ${REVOKED} AND issued_at < @cutoff`).run({ cutoff }).changes;
        if (entry) audit.appendSync(entry);
        return n;
      }).immediate();
    },
  };
}

export type RefreshTokenStore = ReturnType<typeof createRefreshTokenStore>;
