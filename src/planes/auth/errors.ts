import { Conflict, Forbidden, InvalidCredentials, InvalidInput, NotFound } from '../../services/errors.js';
import type { ErrorSerializer } from '../shared/error-handler.js';
import { HttpError } from '../shared/errors.js';

/**
 * OAuth 2.0 errors (RFC 6749 §5.2, RFC 6750 §3.1), one class per code, serialized as
 * `{"error","error_description","error_uri"}` by `oauthErrors` below.
 */
export class OAuthError extends Error {
  readonly error: string = 'invalid_request';
  readonly status: number = 400;
  readonly headers: Record<string, string> = {};
  constructor(description: string) {
    super(description);
  }
}

export class InvalidRequest extends OAuthError {
  override readonly error = 'invalid_request';
}
/** RFC 6749 §5.2: 401, with WWW-Authenticate when the client tried HTTP Basic. */
export class InvalidClient extends OAuthError {
  override readonly error = 'invalid_client';
  override readonly status = 401;
  constructor(description = 'Invalid client credentials', basic = false) {
    super(description);
    if (basic) this.headers['WWW-Authenticate'] = 'Basic realm="microauthd"';
  }
}
export class InvalidGrant extends OAuthError {
  override readonly error = 'invalid_grant';
  constructor(description = 'Invalid credentials') {
    super(description);
  }
}
export class UnauthorizedClient extends OAuthError {
  override readonly error = 'unauthorized_client';
}
export class UnsupportedGrantType extends OAuthError {
  override readonly error = 'unsupported_grant_type';
}
export class InvalidScope extends OAuthError {
  override readonly error = 'invalid_scope';
}
export class InsufficientScope extends OAuthError {
  override readonly error = 'insufficient_scope';
  override readonly status = 403;
}

export const oauthErrors: ErrorSerializer = (err) =>
  err instanceof OAuthError
    ? { status: err.status, body: { error: err.error, error_description: err.message, error_uri: null }, headers: err.headers }
    : null;

/** The OAuth endpoints whose every error is in the RFC 6749 §5.2 envelope (RFC 7662 §2.3, RFC 7009 §2.2.1). */
const OAUTH_ENVELOPE_PATHS: ReadonlySet<string> = new Set(['/token', '/introspect', '/revoke']);

/**
 * A body the token, introspection or revocation endpoint cannot read (wrong content type, malformed
 * JSON, too large, not UTF-8) is refused by the body parser before the route runs; RFC 6749 §5.2
 * (which RFC 7662 and RFC 7009 follow) still wants `invalid_request` there. A successful `/revoke`
 * keeps its reference body; only errors change.
 */
export const tokenEndpointBodyErrors: ErrorSerializer = (err, ctx) =>
  err instanceof HttpError && OAUTH_ENVELOPE_PATHS.has(ctx.path) && (err.status === 400 || err.status === 413)
    ? { status: err.status, body: { error: 'invalid_request', error_description: err.message, error_uri: null }, headers: { ...err.headers } }
    : null;

/** Service errors on non-OAuth auth-plane routes, in the `{success:false,message}` envelope. */
export const authServiceErrors: ErrorSerializer = (err) => {
  const status = err instanceof InvalidCredentials || err instanceof Forbidden ? 403
    : err instanceof NotFound ? 404
      : err instanceof Conflict || err instanceof InvalidInput ? 400 : 0;
  return status ? { status, body: { success: false, message: (err as Error).message } } : null;
};
