import type { Store } from '../store/index.js';
import type { RefreshTokenRow } from '../store/refresh-tokens.js';
import type { SessionRow } from '../store/types.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface SessionResponse {
  id: string; user_id: string; username: string; client_id: string; issued_at: string; expires_at: string;
  is_revoked: boolean; token_use: string; mad_use: string; login_method: string | null; is_session_based: boolean;
  session_max_age: number; session_expires_at: string | null;
}

export interface RefreshTokenResponse {
  id: string; user_id: string; username: string; session_id: string; client_id: string; issued_at: string;
  expires_at: string; is_revoked: boolean; is_openid_token: boolean;
}

export interface RevokeResponse { jti: string; status: 'revoked'; message: string }

/** 100 years: older than anything this server can have written. */
const MAX_AGE_SECONDS = 100 * 365 * 86400;

export interface PurgeRequest { olderThanSeconds: number; purgeExpired: boolean; purgeRevoked: boolean }

export interface Paging { limit?: number | undefined; offset?: number | undefined }

/** Admin views of access-token sessions and refresh tokens; purges; revocation. */
export function createSessionAdminService(deps: { store: Pick<Store, 'sessions' | 'refreshTokens' | 'audit'>; now: () => Date }) {
  const { sessions, refreshTokens } = deps.store;
  const toSession = (s: SessionRow, names: Map<string, string>): SessionResponse => ({
    id: s.id, user_id: s.userId, username: names.get(s.userId) ?? '', client_id: s.clientIdentifier, issued_at: s.issuedAt,
    expires_at: s.expiresAt, is_revoked: s.isRevoked, token_use: s.tokenUse, mad_use: s.madUse, login_method: s.loginMethod,
    is_session_based: s.isSessionBased, session_max_age: s.sessionMaxAgeSeconds, session_expires_at: s.sessionExpiresAt,
  });
  const toRefresh = (r: RefreshTokenRow, names: Map<string, string>): RefreshTokenResponse => ({
    id: r.id, user_id: r.userId, username: names.get(r.userId) ?? '', session_id: r.sessionId, client_id: r.clientIdentifier,
    issued_at: r.issuedAt, expires_at: r.expiresAt, is_revoked: r.isRevoked, is_openid_token: r.isOpenidToken,
  });
  const cutoff = (p: PurgeRequest): Date => {
    // Bounded so the cutoff stays a valid date (found by the fuzzer: a huge value made an Invalid Date).
    if (!Number.isInteger(p.olderThanSeconds) || p.olderThanSeconds < 0 || p.olderThanSeconds > MAX_AGE_SECONDS) {
      throw new InvalidInput(`older_than_seconds must be an integer from 0 to ${MAX_AGE_SECONDS}`);
    }
    return new Date(deps.now().getTime() - p.olderThanSeconds * 1000);
  };

  return {
    async listSessions(filter: Paging & { userId?: string; clientId?: string; madUse?: 'auth' | 'admin'; active?: boolean }): Promise<{ items: SessionResponse[]; total: number }> {
      const { rows, total } = await sessions.list({ ...filter, clientIdentifier: filter.clientId });
      const names = await sessions.usernamesOf(rows.map((r) => r.userId));
      return { items: rows.map((r) => toSession(r, names)), total };
    },

    async getSession(jti: string): Promise<SessionResponse> {
      const s = await sessions.get(jti);
      if (!s) throw new NotFound('Session not found');
      return toSession(s, await sessions.usernamesOf([s.userId]));
    },

    /** Reference route 17: its failures are 400, not 404. */
    async revokeSession(jti: string, rc: RequestContext): Promise<RevokeResponse> {
      const s = await sessions.get(jti);
      const fail = async (message: string): Promise<never> => {
        await deps.store.audit.append({ ...rc, action: 'session_revoked', target: jti, outcome: 'failure' });
        throw new InvalidInput(message);
      };
      if (!s) return fail(`Session ${jti} not found.`);
      if (s.isRevoked) return fail(`Session ${jti} has already been revoked.`);
      if (Date.parse(s.expiresAt) <= deps.now().getTime()) return fail(`Session ${jti} has already expired.`);
      await sessions.revoke(jti, { ...rc, action: 'session_revoked', target: jti });
      return { jti, status: 'revoked', message: `Session ${jti} has been revoked successfully.` };
    },

    async purgeSessions(p: PurgeRequest, rc: RequestContext): Promise<number> {
      return sessions.purge({ olderThan: cutoff(p), purgeExpired: p.purgeExpired, purgeRevoked: p.purgeRevoked },
        { ...rc, action: 'sessions_purged' });
    },

    async listRefreshTokens(filter: Paging & { userId?: string }): Promise<{ items: RefreshTokenResponse[]; total: number }> {
      const { rows, total } = await refreshTokens.list({ ...(filter.userId !== undefined ? { userId: filter.userId } : {}),
        ...(filter.limit !== undefined ? { limit: filter.limit } : {}), ...(filter.offset !== undefined ? { offset: filter.offset } : {}) });
      const names = await sessions.usernamesOf(rows.map((r) => r.userId));
      return { items: rows.map((r) => toRefresh(r, names)), total };
    },

    async getRefreshToken(id: string): Promise<RefreshTokenResponse> {
      const r = await refreshTokens.get(id);
      if (!r) throw new NotFound('Refresh token not found');
      return toRefresh(r, await sessions.usernamesOf([r.userId]));
    },

    /** New: revokes the token's whole family (every refresh token and session from that login). */
    async revokeRefreshToken(id: string, rc: RequestContext): Promise<void> {
      const r = await refreshTokens.get(id);
      if (!r) throw new NotFound('Refresh token not found');
      await refreshTokens.revokeFamily(r.familyId, { ...rc, action: 'refresh_token_revoked', target: id, secondary: r.familyId });
    },

    async purgeRefreshTokens(p: PurgeRequest, rc: RequestContext): Promise<number> {
      return refreshTokens.purge({ olderThan: cutoff(p), purgeExpired: p.purgeExpired, purgeRevoked: p.purgeRevoked },
        { ...rc, action: 'refresh_tokens_purged' });
    },
  };
}

export type SessionAdminService = ReturnType<typeof createSessionAdminService>;
