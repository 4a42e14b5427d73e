/**
 * Wire models of both planes, with the exact field names of the contract (snake_case, `desc` on
 * scopes, `ClientObject.id` = internal id vs `client_id` = identifier).
 */

/** Any failed call: `status` is the HTTP status (0 = no connection), `message` the server's words. */
export class MadApiError extends Error {
  override readonly name = 'MadApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The parsed error body, when there was one. */
    readonly body: unknown,
    /** OAuth error code (`invalid_grant`, …) on auth-plane OAuth errors. */
    readonly error?: string,
    /** `cause`: the network error behind a status 0. */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  static fromResponse(status: number, body: unknown): MadApiError {
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      if (typeof b.error === 'string') {
        return new MadApiError(status, typeof b.error_description === 'string' ? b.error_description : b.error, body, b.error);
      }
      if (typeof b.message === 'string') return new MadApiError(status, b.message, body);
    }
    return new MadApiError(status, typeof body === 'string' && body ? body : `HTTP ${status}`, body);
  }
}

export interface MessageResponse {
  success: boolean;
  message: string;
}

export interface PingResponse {
  message: string;
}

export interface VersionResponse {
  name: string;
  version: string;
}

/** Token endpoint answer (both planes): all seven keys are always present. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  jti: string;
  refresh_token: string | null;
  aud: string;
  id_token: string | null;
}

export interface KeyInfo {
  kid: string;
  alg: 'RS256' | 'ES256';
  status: 'current' | 'standby' | 'retired';
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  publish_until: string | null;
}

export interface Jwks {
  keys: Record<string, unknown>[];
}

/** A list plus the server's X-Total-Count. */
export interface Page<T> {
  items: T[];
  total: number;
}

// ---- models: users, roles, permissions, scopes (admin API part A) ----

export interface UserObject {
  id: string;
  username: string;
  email: string;
  created_at: string;
  lockout_until: string | null;
  is_active: boolean;
  email_verified: boolean;
  totp_enabled: boolean;
}

/** Fields of a partial user update (PUT /users/{id}); absent fields keep their values. */
export interface UserUpdate {
  username?: string;
  email?: string;
  is_active?: boolean;
  email_verified?: boolean;
  lockout_until?: string | null;
}

export interface RoleObject {
  id: string;
  name: string;
  description: string | null;
  is_protected: boolean;
  is_active: boolean;
}

/** `{id, name}`: RoleDto and PermissionDto, and PermissionObject (same two fields). */
export interface RoleDto {
  id: string;
  name: string;
}
export type PermissionObject = RoleDto;
export type PermissionDto = RoleDto;

export interface ScopeObject {
  id: string;
  name: string;
  /** The description: `desc`, as the original spelled it. */
  desc: string | null;
  is_active: boolean;
  is_protected: boolean;
  created_at: string;
}

export interface AccessCheckResponse {
  user_id: string;
  permission_id: string;
  allowed: boolean;
}

export interface TotpQrResponse {
  success: boolean;
  /** The SVG written under --totp-qr-output-root (null when the server has no QR root). */
  filename: string | null;
  otpauth_uri: string;
  qr_svg: string;
}

// ---- end part A ----

// ---- models: clients, sessions, refresh tokens, audit (admin API part B) ----

/** `id` is the internal id, `client_id` the public identifier. `client_secret` only when the server generated it. */
export interface ClientObject {
  id: string;
  client_id: string;
  display_name: string;
  is_active: boolean;
  created_at: string;
  audience: string;
  client_secret?: string;
}

export interface CreateClientRequest {
  client_id: string;
  /** Omit to get a server-generated secret (returned once as `client_secret`). */
  client_secret?: string;
  display_name?: string;
  /** Default `microauthd`. */
  audience?: string;
}

/** Partial: missing fields keep their values. */
export interface UpdateClientRequest {
  client_id?: string;
  display_name?: string;
  audience?: string;
  is_active?: boolean;
}

export interface ClientRedirectUriObject {
  id: string;
  client_id: string;
  redirect_uri: string;
}

export interface ExternalIdpProviderDto {
  id: string;
  client_id: string;
  provider_key: string;
  display_name: string;
  issuer: string;
  client_identifier: string;
  scopes: string;
  created_at: string;
  modified_at: string;
}

export type ExternalIdpInput = Partial<Pick<ExternalIdpProviderDto, 'provider_key' | 'display_name' | 'issuer' | 'client_identifier' | 'scopes'>>;

export interface ClientScopeObject {
  id: string;
  name: string;
  desc: string | null;
  is_active: boolean;
  is_protected: boolean;
  created_at: string;
}

/** GET /client/options/{flag}: `message` is "True"/"False" (reference), `enabled` the boolean. */
export interface FlagResponse {
  success: boolean;
  message: string;
  enabled: boolean;
}

export interface SessionResponse {
  id: string;
  user_id: string;
  username: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
  is_revoked: boolean;
  token_use: string;
  mad_use: string;
  login_method: string | null;
  is_session_based: boolean;
  session_max_age: number;
  session_expires_at: string | null;
}

export interface RefreshTokenResponse {
  id: string;
  user_id: string;
  username: string;
  session_id: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
  is_revoked: boolean;
  is_openid_token: boolean;
}

export interface RevokeResponse {
  jti: string;
  status: string;
  message: string;
}

export interface PurgeTokensRequest {
  older_than_seconds?: number;
  purge_expired?: boolean;
  purge_revoked?: boolean;
}

export interface AuditLogResponse {
  id: string;
  actor_id: string | null;
  action: string;
  secondary: string | null;
  target: string | null;
  timestamp: string;
  ip_address: string | null;
  user_agent: string | null;
  outcome: string;
}

export interface AuditChainResponse {
  ok: boolean;
  checked: number;
  broken_at: number | null;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

// ---- end part B ----

// ---- models: auth plane ----

/** Client credentials for the token, introspection and revocation endpoints. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Send them as HTTP Basic (RFC 6749 §2.3.1) instead of form fields. */
  basic?: boolean;
}

export interface PasswordGrantRequest extends ClientCredentials {
  username: string;
  password: string;
  /** Required when the client enables TOTP and the user enrolled for it. */
  totpCode?: string;
}

/** RFC 7662 answer: `{"active":false}` alone, or the token's details. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: 'access_token' | 'refresh_token';
  exp?: number;
  iat?: number;
  nbf?: number;
  sub?: string;
  aud?: string | string[];
  iss?: string;
  jti?: string;
  token_use?: string;
  mad?: string;
}

/** Admin `/introspect`: an active token's claims plus `valid`, `expired` and `active`; an inactive one: `{active: false}` alone. */
export interface AdminIntrospectionResponse {
  valid?: boolean;
  expired?: boolean;
  active: boolean;
  [claim: string]: unknown;
}

export interface UserInfoResponse {
  sub: string;
  email?: string;
  email_verified: boolean;
  preferred_username?: string;
  name?: string;
}

export interface MeResponse {
  sub: string;
  email: string | null;
  roles: string[];
  scopes: string[];
}

// SessionResponse and RefreshTokenResponse (used by /me/sessions and /me/refresh-tokens) are declared once, above.

/** `POST /authorize`, `/login/password`, `/login/totp` answer (the original's PkceAuthorizeResponse). */
export interface PkceAuthorizeResponse {
  jti: string;
  client_id: string;
  redirect_uri: string;
  requires_totp: boolean;
  is_session_based: boolean;
}

/** `GET /auth-session/{jti}`: what a login page may show. */
export interface AuthSessionView {
  jti: string;
  client_id: string;
  client_name: string;
  scope: string;
  requires_totp: boolean;
  redirect_host: string;
  redirect_origin: string;
  expires_at: string;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  /** Only `S256` is accepted. */
  codeChallengeMethod?: 'S256';
  scope?: string;
  nonce?: string;
  state?: string;
  maxAge?: number;
}

export interface AuthorizationCodeGrantRequest {
  code: string;
  redirectUri: string;
  codeVerifier?: string;
}

// ---- end auth plane ----
