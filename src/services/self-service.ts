import type { Store } from '../store/index.js';
import type { RequestContext } from './request-context.js';

/** The reference's SessionResponse (auth-api.md §2), with `username` and `client_id` filled in. */
export interface SessionView {
  id: string; user_id: string; username: string; client_id: string; issued_at: string; expires_at: string;
  is_revoked: boolean; token_use: string; mad_use: string; login_method: string | null; is_session_based: boolean;
  session_max_age: number; session_expires_at: string | null;
}

/** The reference's RefreshTokenResponse, with `username` and `client_id` filled in. */
export interface RefreshTokenView {
  id: string; user_id: string; username: string; session_id: string; client_id: string; issued_at: string;
  expires_at: string; is_revoked: boolean; is_openid_token: boolean;
}

/** What a signed-in user may see and end of their own auth-plane grants. */
export function createSelfService(deps: { store: Pick<Store, 'grants' | 'refreshTokens' | 'users'> }) {
  const { store } = deps;
  return {
    async sessions(userId: string): Promise<SessionView[]> {
      return (await store.grants.sessionsOfUser(userId)).map((s) => ({
        id: s.id, user_id: s.userId, username: s.username, client_id: s.clientIdentifier, issued_at: s.issuedAt,
        expires_at: s.expiresAt, is_revoked: s.isRevoked, token_use: s.tokenUse, mad_use: s.madUse,
        login_method: s.loginMethod, is_session_based: s.isSessionBased, session_max_age: s.sessionMaxAgeSeconds,
        session_expires_at: s.sessionExpiresAt,
      }));
    },

    async refreshTokens(userId: string): Promise<RefreshTokenView[]> {
      const user = await store.users.getById(userId);
      const { rows } = await store.refreshTokens.list({ userId, limit: 1000 });
      return rows.map((r) => ({
        id: r.id, user_id: r.userId, username: user?.username ?? '', session_id: r.sessionId, client_id: r.clientIdentifier,
        issued_at: r.issuedAt, expires_at: r.expiresAt, is_revoked: r.isRevoked || r.usedAt !== null, is_openid_token: r.isOpenidToken,
      }));
    },

    /** `/logout`: every session and refresh token of this user for this client. */
    async logout(userId: string, clientIdentifier: string, rc: RequestContext): Promise<void> {
      await store.grants.revokeForClient(userId, clientIdentifier, { ...rc, actorId: userId, action: 'logout', target: clientIdentifier });
    },

    /** `/logout-all`: every auth-plane session and refresh token of this user. */
    async logoutAll(userId: string, rc: RequestContext): Promise<void> {
      await store.grants.revokeAll(userId, { ...rc, actorId: userId, action: 'logout_all', target: null });
    },
  };
}

export type SelfService = ReturnType<typeof createSelfService>;
