import type { Signer } from '../crypto/keyring.js';
import { newJti } from '../crypto/secrets.js';
import { MAD_ADMIN_ROLE_ID, type Store } from '../store/index.js';
import type { Authenticate } from './authenticate.js';
import { InvalidCredentials } from './errors.js';
import type { RequestContext } from './request-context.js';

/** The admin plane's audience: auth-plane verifiers never accept it. */
export const ADMIN_AUDIENCE = 'microauthd-admin';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  jti: string;
  refresh_token: string | null;
  aud: string;
  id_token: string | null;
}

export interface AdminTokenDeps {
  store: Pick<Store, 'users' | 'sessions' | 'audit'>;
  authenticate: Authenticate;
  signer: Signer<'admin'>;
  issuer: string;
  lifetimeSeconds: number;
  now: () => Date;
}

/**
 * Admin login (admin `POST /token`): only holders of the protected MadAdmin role, identified by
 * its fixed id, get a token. Every refusal is the same InvalidCredentials.
 */
export function createAdminTokenService(deps: AdminTokenDeps) {
  async function fail(rc: RequestContext, username: string, clientId: string): Promise<never> {
    await deps.store.audit.append({ ...rc, actorId: 'anonymous', action: 'admin_login_failed', target: clientId,
      secondary: username.slice(0, 64), outcome: 'failure' });
    throw new InvalidCredentials();
  }

  return {
    async issue(input: { username: string; password: string; clientId: string }, rc: RequestContext): Promise<TokenResponse> {
      const user = await deps.authenticate(input.username, input.password, rc);
      if (!user || !(await deps.store.users.hasRole(user.id, MAD_ADMIN_ROLE_ID))) {
        return fail(rc, input.username, input.clientId);
      }
      const { roles, scopes } = await deps.store.users.claimsOf(user.id);
      const now = deps.now();
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + deps.lifetimeSeconds;
      const jti = newJti();
      const token = await deps.signer.sign({
        iss: deps.issuer, aud: ADMIN_AUDIENCE, sub: user.id, jti, iat, nbf: iat, exp,
        mad: 'admin', token_use: 'access', client_id: input.clientId,
        // Every granted scope name, space-separated, as on the auth plane (security.md "Tokens").
        scope: scopes.map((s) => s.name).join(' '),
        username: user.username, preferred_username: user.username, email: user.email,
        email_verified: user.emailVerified, roles: roles.map((r) => r.name), role: roles.map((r) => r.id),
      });
      await deps.store.sessions.insert(
        { id: jti, userId: user.id, clientIdentifier: input.clientId, issuedAt: now.toISOString(),
          expiresAt: new Date(exp * 1000).toISOString(), madUse: 'admin', loginMethod: 'pwd' },
        { ...rc, actorId: user.id, action: 'admin_token_issued', target: input.clientId },
      );
      return { access_token: token, token_type: 'bearer', expires_in: exp - iat, jti, refresh_token: null,
        aud: ADMIN_AUDIENCE, id_token: null };
    },
  };
}

export type AdminTokenService = ReturnType<typeof createAdminTokenService>;
