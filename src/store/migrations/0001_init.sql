-- microauthd schema v1. Timestamps are ISO-8601 UTC strings (Date#toISOString), so they sort as text.
-- Booleans are INTEGER 0/1. Ids are lowercase UUIDs unless a comment says otherwise.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id                TEXT PRIMARY KEY,
  username          TEXT NOT NULL UNIQUE,           -- normalized: trimmed, lower-case
  password_hash     TEXT NOT NULL,                  -- argon2id PHC string
  email             TEXT NOT NULL DEFAULT '',       -- lower-case
  created_at        TEXT NOT NULL,
  modified_at       TEXT NOT NULL,
  last_login        TEXT,
  failed_logins     INTEGER NOT NULL DEFAULT 0,
  last_failed_login TEXT,
  lockout_until     TEXT,
  is_active         INTEGER NOT NULL DEFAULT 1,
  email_verified    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_users_active_username ON users(is_active, username);
CREATE INDEX idx_users_email ON users(email);

CREATE TABLE roles (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  description  TEXT NOT NULL DEFAULT '',
  is_protected INTEGER NOT NULL DEFAULT 0,
  is_active    INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  modified_at  TEXT NOT NULL
);

CREATE TABLE permissions (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,                 -- unique, unlike the original (contract.md)
  is_active   INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);

CREATE TABLE role_permissions (
  id            TEXT PRIMARY KEY,
  role_id       TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  assigned_at   TEXT NOT NULL,
  UNIQUE (role_id, permission_id)
);

CREATE TABLE user_roles (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id     TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  assigned_at TEXT NOT NULL,
  UNIQUE (user_id, role_id)                         -- assignment is idempotent (contract.md)
);
CREATE INDEX idx_user_roles_role ON user_roles(role_id);

CREATE TABLE scopes (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  description  TEXT NOT NULL DEFAULT '',
  is_protected INTEGER NOT NULL DEFAULT 0,
  is_active    INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  modified_at  TEXT NOT NULL
);

CREATE TABLE user_scopes (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  scope_id    TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
  assigned_at TEXT NOT NULL,
  UNIQUE (user_id, scope_id)
);
CREATE INDEX idx_user_scopes_scope ON user_scopes(scope_id);

CREATE TABLE clients (
  id                 TEXT PRIMARY KEY,              -- internal id (ClientObject.id)
  client_identifier  TEXT NOT NULL UNIQUE,          -- public client_id
  client_secret_hash TEXT NOT NULL DEFAULT '',      -- see secret_kind
  secret_kind        TEXT NOT NULL DEFAULT 'sha256' CHECK (secret_kind IN ('sha256', 'argon2id', 'none')),
  display_name       TEXT NOT NULL DEFAULT '',
  audience           TEXT NOT NULL DEFAULT 'microauthd',
  is_active          INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  modified_at        TEXT NOT NULL
);

CREATE TABLE client_scopes (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  scope_id    TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
  assigned_at TEXT NOT NULL,
  UNIQUE (client_id, scope_id)
);
CREATE INDEX idx_client_scopes_scope ON client_scopes(scope_id);

CREATE TABLE redirect_uris (
  id         TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  uri        TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (client_id, uri)
);

CREATE TABLE external_idp_providers (
  id                TEXT PRIMARY KEY,
  client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  provider_key      TEXT NOT NULL,
  display_name      TEXT NOT NULL,
  issuer            TEXT NOT NULL,
  client_identifier TEXT NOT NULL,
  scopes            TEXT NOT NULL DEFAULT 'openid email profile',
  created_at        TEXT NOT NULL,
  modified_at       TEXT NOT NULL,
  UNIQUE (client_id, provider_key)
);

CREATE TABLE client_features (
  id           TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  feature_flag TEXT NOT NULL,
  options      TEXT NOT NULL DEFAULT '',
  is_enabled   INTEGER NOT NULL DEFAULT 1,
  UNIQUE (client_id, feature_flag)
);

-- One row per issued user access token (id = jti). Tokens themselves are never stored.
CREATE TABLE sessions (
  id                      TEXT PRIMARY KEY,
  user_id                 TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_identifier       TEXT NOT NULL DEFAULT '',
  issued_at               TEXT NOT NULL,
  expires_at              TEXT NOT NULL,
  is_revoked              INTEGER NOT NULL DEFAULT 0,
  token_use               TEXT NOT NULL DEFAULT 'access',
  mad_use                 TEXT NOT NULL DEFAULT 'auth' CHECK (mad_use IN ('auth', 'admin')),
  login_method            TEXT,
  family_id               TEXT,                      -- refresh family this token belongs to
  is_session_based        INTEGER NOT NULL DEFAULT 0,
  session_max_age_seconds INTEGER NOT NULL DEFAULT 0,
  session_expires_at      TEXT
);
CREATE INDEX idx_sessions_user ON sessions(user_id, issued_at);
CREATE INDEX idx_sessions_expiry ON sessions(expires_at, is_revoked);
CREATE INDEX idx_sessions_family ON sessions(family_id);
CREATE INDEX idx_sessions_issued ON sessions(issued_at);

-- Refresh tokens: only the SHA-256 digest of the raw token is kept (crypto/secrets.ts refreshTokenDigest:
-- led by the row id the token carries, so the unique index appends). family_id ties every token
-- descended from one login, so reuse of a spent token revokes the whole family (RFC 9700 §4.14.2).
CREATE TABLE refresh_tokens (
  id                TEXT PRIMARY KEY,
  user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_id        TEXT NOT NULL,
  client_identifier TEXT NOT NULL,
  token_sha256      TEXT NOT NULL UNIQUE,
  family_id         TEXT NOT NULL,
  issued_at         TEXT NOT NULL,
  expires_at        TEXT NOT NULL,
  is_revoked        INTEGER NOT NULL DEFAULT 0,
  used_at           TEXT,
  replaced_by       TEXT,
  is_openid_token   INTEGER NOT NULL DEFAULT 0,
  scope             TEXT NOT NULL DEFAULT '',
  auth_time         INTEGER,
  amr               TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_refresh_user ON refresh_tokens(user_id, issued_at);
CREATE INDEX idx_refresh_family ON refresh_tokens(family_id);
CREATE INDEX idx_refresh_expiry ON refresh_tokens(expires_at);

-- Families revoked by reuse detection or logout: a successor minted concurrently is refused too.
CREATE TABLE revoked_families (
  family_id  TEXT PRIMARY KEY,
  revoked_at TEXT NOT NULL
);

-- Browser login in progress (/authorize .. /login/finalize).
CREATE TABLE auth_sessions (
  jti                   TEXT PRIMARY KEY,
  client_id             TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id               TEXT REFERENCES users(id) ON DELETE CASCADE,
  password_ok           INTEGER NOT NULL DEFAULT 0,
  totp_required         INTEGER NOT NULL DEFAULT 0,
  totp_ok               INTEGER NOT NULL DEFAULT 0,
  nonce                 TEXT NOT NULL DEFAULT '',
  scope                 TEXT NOT NULL DEFAULT '',
  state                 TEXT NOT NULL DEFAULT '',
  redirect_uri          TEXT NOT NULL,
  code_challenge        TEXT NOT NULL DEFAULT '',
  code_challenge_method TEXT NOT NULL DEFAULT '',
  login_method          TEXT,
  max_age               INTEGER NOT NULL DEFAULT 0,
  auth_time             INTEGER,
  created_at            TEXT NOT NULL,
  expires_at            TEXT NOT NULL
);
CREATE INDEX idx_auth_sessions_expiry ON auth_sessions(expires_at);

-- Authorization codes: keyed by the SHA-256 of the code; one-time (used_at set atomically).
CREATE TABLE authorization_codes (
  code_sha256           TEXT PRIMARY KEY,
  client_identifier     TEXT NOT NULL,
  user_id               TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  redirect_uri          TEXT NOT NULL,
  code_challenge        TEXT NOT NULL DEFAULT '',
  code_challenge_method TEXT NOT NULL DEFAULT '',
  nonce                 TEXT NOT NULL DEFAULT '',
  scope                 TEXT NOT NULL DEFAULT '',
  login_method          TEXT,
  max_age               INTEGER NOT NULL DEFAULT 0,
  auth_time             INTEGER,
  session_id            TEXT,                      -- session-based login this code came from
  family_id             TEXT NOT NULL,             -- what the exchange issues; revoked on code reuse
  created_at            TEXT NOT NULL,
  expires_at            TEXT NOT NULL,
  used_at               TEXT
);
CREATE INDEX idx_codes_expiry ON authorization_codes(expires_at);

CREATE TABLE user_totp (
  id             TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  totp_secret    TEXT NOT NULL,                    -- base32; protected by the database encryption
  is_enabled     INTEGER NOT NULL DEFAULT 0,
  last_used_step INTEGER NOT NULL DEFAULT 0,       -- refuses replay of an accepted code
  created_at     TEXT NOT NULL,
  UNIQUE (user_id, client_id)
);

CREATE TABLE jti_denylist (
  jti        TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);
CREATE INDEX idx_jti_denylist_expiry ON jti_denylist(expires_at);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical row). See store/audit.ts.
CREATE TABLE audit_logs (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT NOT NULL UNIQUE,
  actor_id   TEXT,
  action     TEXT NOT NULL,
  target     TEXT,
  secondary  TEXT,
  outcome    TEXT NOT NULL DEFAULT 'success',
  timestamp  TEXT NOT NULL,
  ip_address TEXT,
  user_agent TEXT,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX idx_audit_action ON audit_logs(action);
CREATE INDEX idx_audit_actor ON audit_logs(actor_id);
CREATE INDEX idx_audit_timestamp ON audit_logs(timestamp);

-- Signing keys of both planes. Private keys are PKCS#8 PEM, protected by the database encryption.
CREATE TABLE signing_keys (
  kid             TEXT PRIMARY KEY,                -- RFC 7638 thumbprint
  plane           TEXT NOT NULL CHECK (plane IN ('auth', 'admin')),
  alg             TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  private_key_pem TEXT NOT NULL,
  public_jwk      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('current', 'standby', 'retired')),
  created_at      TEXT NOT NULL,
  activated_at    TEXT,
  retired_at      TEXT,
  publish_until   TEXT                             -- retired keys stay in JWKS until then
);
CREATE UNIQUE INDEX idx_signing_keys_one_current ON signing_keys(plane) WHERE status = 'current';
CREATE UNIQUE INDEX idx_signing_keys_one_standby ON signing_keys(plane) WHERE status = 'standby';

-- Seeded protected rows (ids as in the original microauthd, so existing clients keep working).
INSERT INTO roles (id, name, description, is_protected, is_active, created_at, modified_at) VALUES
  ('3855db1d-465e-412b-b1f4-b5cd78b4ae9f', 'MadAdmin', 'Administrator role with full access', 1, 1,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
INSERT INTO scopes (id, name, description, is_protected, is_active, created_at, modified_at) VALUES
  ('d0955db1-67f7-4a7b-a9bb-ffbef4f0d2bd', 'admin:provision_users', 'Create users through the auth plane', 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('2192998b-c3d3-4274-9a25-4a4195ba2ec7', 'admin:reset_passwords', 'Reset user passwords through the auth plane', 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('31c00aae-4136-4a8c-92a6-d2bbf4be2d35', 'admin:deactivate_users', 'Deactivate users through the auth plane', 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('1f4610fe-0cb2-4119-bd69-9b6033326998', 'admin:read_user', 'Read a user through the auth plane', 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('b6348575-83ec-4288-801b-e0d2da20569c', 'admin:list_users', 'List users through the auth plane', 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
