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
  ) {
    super(message);
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

// ---- end part A ----

// ---- models: clients, sessions, refresh tokens, audit (admin API part B) ----

// ---- end part B ----

// ---- models: auth plane ----

// ---- end auth plane ----
