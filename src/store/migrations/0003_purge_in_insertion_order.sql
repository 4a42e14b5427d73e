-- Indexes that only the scheduled purges and the admin listings read, dropped: every token issue
-- wrote an entry to each (sessions: issued_at, expires_at; refresh_tokens: expires_at; audit_logs:
-- timestamp), and every commit re-encrypted the pages they dirtied (a fifth of a refresh's WAL
-- frames). Tokens and audit records are inserted as they are issued, so their rowid order is their
-- time order: the purges now scan from the oldest row up to the first one at or after the cutoff
-- (store/insertion-order.ts), and the listings read newest first by rowid.
DROP INDEX idx_sessions_issued;
DROP INDEX idx_sessions_expiry;
DROP INDEX idx_refresh_expiry;
DROP INDEX idx_audit_timestamp;
