-- A revoked refresh family is one row of revoked_families, consulted when a session's or refresh
-- token's revocation state is read (store/family-revocation.ts); its rows are no longer updated one
-- by one, so nothing needs to find them by family_id. Every token issue saves two index entries at
-- random places in the file. Families revoked before this migration had their rows updated too, so
-- their state reads the same.
DROP INDEX idx_sessions_family;
DROP INDEX idx_refresh_family;
