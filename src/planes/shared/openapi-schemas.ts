import { answer, arrayOf, bool, dateTime, int, orNull, str, type Schema } from './openapi.js';

/**
 * Component schemas both planes' OpenAPI documents use, with the contract's field names
 * (docs/admin-api.md, docs/auth-api.md; bindings/typescript/models.ts holds the same shapes).
 */
export const SHARED_SCHEMAS: Readonly<Record<string, Schema>> = {
  MessageEnvelope: answer({ success: bool('false on errors'), message: str() }),
  MessageOnly: answer({ message: str() }),
  Version: answer({ name: { const: 'microauthd' }, version: str() }),
  Jwks: { type: 'object', properties: { keys: arrayOf({ type: 'object' }) }, required: ['keys'] },
  TokenResponse: answer({
    access_token: str('JWT, header typ at+jwt'),
    token_type: str(),
    expires_in: int('seconds'),
    jti: str('the access token id (its session row for user tokens)'),
    refresh_token: orNull(str('opaque; null when none was issued')),
    aud: str(),
    id_token: orNull(str('OpenID Connect ID token (authorization_code grant with the openid scope)')),
  }),
  UserObject: answer({
    id: str(),
    username: str('trimmed, lower-cased'),
    email: str('lower-cased'),
    created_at: dateTime,
    lockout_until: orNull(dateTime),
    is_active: bool(),
    email_verified: bool(),
    totp_enabled: bool('TOTP enabled for any client'),
  }),
  SessionResponse: answer({
    id: str('the access token jti'),
    user_id: str(),
    username: str(),
    client_id: str(),
    issued_at: dateTime,
    expires_at: dateTime,
    is_revoked: bool(),
    token_use: str(),
    mad_use: { enum: ['auth', 'admin'] },
    login_method: orNull(str('pwd, otp or refresh')),
    is_session_based: bool(),
    session_max_age: int(),
    session_expires_at: orNull(dateTime),
  }),
  RefreshTokenResponse: answer({
    id: str(),
    user_id: str(),
    username: str(),
    session_id: str(),
    client_id: str(),
    issued_at: dateTime,
    expires_at: dateTime,
    is_revoked: bool('also true once used'),
    is_openid_token: bool(),
  }),
};

/** A list answer's total, before paging. */
export const TOTAL_COUNT = { 'X-Total-Count': 'Total number of items before paging' } as const;

export const PAGING = {
  limit: { description: 'Page size', schema: { type: 'integer', minimum: 1 } },
  offset: { description: 'Items to skip', schema: { type: 'integer', minimum: 0 } },
} as const;
