import type { Middleware } from 'koa';
import type { JWTPayload } from 'jose';
import type { Verifier } from '../../crypto/keyring.js';
import type { Plane } from '../../store/types.js';
import { unauthorized } from './errors.js';

export interface BearerOptions<P extends Plane> {
  verifier: Verifier<P>;
  audience?: string;
  /** Extra checks after the signature (session row not revoked, …); return false to refuse. */
  isStillValid: (claims: JWTPayload) => Promise<boolean>;
}

/** RFC 6750 §2.1 b64token syntax. */
export const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * RFC 6750 bearer authentication against this plane's own keys only. A token of the other plane
 * fails the signature (different keyring) and the `mad` plane marker: 401 either way.
 */
export function bearerAuth<P extends Plane>(options: BearerOptions<P>): Middleware {
  return async function authenticateBearer(ctx, next) {
    const match = BEARER.exec(ctx.get('Authorization'));
    if (!match?.[1]) throw unauthorized('Missing bearer token', 'Bearer');
    let claims: JWTPayload;
    try {
      claims = await options.verifier.verify(match[1], options.audience !== undefined ? { audience: options.audience } : {});
    } catch {
      throw unauthorized('Invalid or expired token', 'Bearer error="invalid_token"');
    }
    if (!(await options.isStillValid(claims))) {
      throw unauthorized('Token has been revoked', 'Bearer error="invalid_token"');
    }
    ctx.state.token = claims;
    ctx.state.rawToken = match[1];
    await next();
  };
}
