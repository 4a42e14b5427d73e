-- A refresh token carries its row's id (crypto/secrets.ts newRefreshToken), so the store finds it by
-- the primary key and compares the stored digest (store/refresh-tokens.ts). The unique index on
-- token_sha256 took an entry for every token issued, and a rebalanced leaf at nearly every commit.
-- UNIQUE is part of the table's definition, so the table is rebuilt, every row keeping its rowid (the
-- purges and listings read rowid order as issue order). Tokens issued before ids were carried are
-- stored as their plain digest (no dot): a partial index keeps finding, and keeping unique, those.
CREATE TABLE refresh_tokens_rebuilt (
  id                TEXT PRIMARY KEY,
  user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_id        TEXT NOT NULL,
  client_identifier TEXT NOT NULL,
  token_sha256      TEXT NOT NULL,
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
INSERT INTO refresh_tokens_rebuilt (rowid, id, user_id, session_id, client_identifier, token_sha256, family_id, issued_at,
  expires_at, is_revoked, used_at, replaced_by, is_openid_token, scope, auth_time, amr)
  SELECT rowid, id, user_id, session_id, client_identifier, token_sha256, family_id, issued_at,
  expires_at, is_revoked, used_at, replaced_by, is_openid_token, scope, auth_time, amr FROM refresh_tokens;
DROP TABLE refresh_tokens;
ALTER TABLE refresh_tokens_rebuilt RENAME TO refresh_tokens;
CREATE INDEX idx_refresh_user ON refresh_tokens(user_id, issued_at);
CREATE UNIQUE INDEX idx_refresh_plain_digest ON refresh_tokens(token_sha256) WHERE instr(token_sha256, '.') = 0;
