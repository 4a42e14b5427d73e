import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyExistsError, bundledMigrations, createStore, DatabaseOpenError, DatabaseTooNewError, MAD_ADMIN_ROLE_ID,
  migrate, openDatabase, schemaVersion, type Db, type Store,
} from '../../../src/store/index.js';
import { NEW_DATABASE_PAGE_SIZE, pageSizeOf } from '../../../src/store/open.js';
import { connectWithPageSize } from '../../helpers/store.js';
import { generateSigningKey } from '../../../src/crypto/keys/generate.js';
import { tempDir } from '../../helpers/tmp.js';

const KEY = 'test-key-0123456789';
let dir: string;
let cleanup: () => void;
let file: string;
let db: Db;
let store: Store;
let clock: Date;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  file = join(dir, 'store.db3');
  db = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
  migrate(db);
  clock = new Date('2026-01-01T00:00:00Z');
  store = createStore(db, () => clock);
});

afterEach(() => {
  if (db.open) db.close();
  cleanup();
});

const newUser = (username: string) => ({ id: crypto.randomUUID(), username, email: `${username}@example.com`, passwordHash: 'x' });

describe('open and migrate', () => {
  it('applies migrations once and records them; a second run applies nothing', () => {
    expect(schemaVersion(db)).toBe(bundledMigrations().at(-1)?.num);
    expect(migrate(db)).toEqual([]);
  });

  it('sizes the page cache as configured (db-cache-mb), SQLite\'s 2 MiB otherwise', () => {
    expect(db.pragma('cache_size', { simple: true })).toBe(-2048);
    const sized = openDatabase({ file, key: KEY, synchronous: 'NORMAL', cacheMb: 64 });
    try {
      expect(sized.pragma('cache_size', { simple: true })).toBe(-65536);
    } finally {
      sized.close();
    }
  });

  it('refuses a database newer than the code', () => {
    db.prepare('INSERT INTO schema_migrations (num, name, applied_at) VALUES (9999, ?, ?)').run('future', 'now');
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
  });

  it('seeds the protected MadAdmin role and admin scopes with the original ids', () => {
    const role = db.prepare('SELECT name, is_protected FROM roles WHERE id = ?').get(MAD_ADMIN_ROLE_ID);
    expect(role).toEqual({ name: 'MadAdmin', is_protected: 1 });
    const scopes = db.prepare('SELECT name FROM scopes WHERE is_protected = 1 ORDER BY name').all();
    expect(scopes.map((s) => (s as { name: string }).name)).toEqual([
      'admin:deactivate_users', 'admin:list_users', 'admin:provision_users', 'admin:read_user', 'admin:reset_passwords']);
  });

  it('encrypts the file: no plaintext username or email, and a wrong or missing key does not open it', async () => {
    await store.users.create(newUser('plaintext-probe'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    expect(bytes.includes('plaintext-probe')).toBe(false);
    expect(bytes.includes('SQLite format 3')).toBe(false);
    expect(() => openDatabase({ file, key: 'wrong-key', synchronous: 'NORMAL' })).toThrow(DatabaseOpenError);
    expect(() => openDatabase({ file, key: null, synchronous: 'NORMAL' })).toThrow(DatabaseOpenError);
    const again = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
    expect(await createStore(again).users.findByUsername('plaintext-probe')).not.toBeNull();
    again.close();
  });
});

describe('refresh tokens found by the row id they carry (migration 0004)', () => {
  const issue = async (userId: string, tokenSha256: string, id = crypto.randomUUID()): Promise<string> => {
    const expiresAt = new Date(clock.getTime() + 3600_000).toISOString();
    await store.refreshTokens.issueWithSession(
      { id: `jti-${id}`, userId, clientIdentifier: 'app', issuedAt: clock.toISOString(), expiresAt, madUse: 'auth', loginMethod: 'pwd' },
      { id, tokenSha256, familyId: crypto.randomUUID(), expiresAt });
    return id;
  };
  /** The unique constraints on refresh_tokens besides its primary key. */
  const uniqueIndexes = (): string[] => (db.prepare("SELECT name, \"unique\" AS u, origin FROM pragma_index_list('refresh_tokens')").all() as
    { name: string; u: number; origin: string }[]).filter((i) => i.u === 1 && i.origin !== 'pk').map((i) => i.name);

  it('compares the whole digest behind the carried id; plain digests of older tokens are found and kept unique by a partial index', async () => {
    expect(uniqueIndexes()).toEqual(['idx_refresh_plain_digest']);
    const u = await store.users.create(newUser('lee'));
    const id = crypto.randomUUID();
    await issue(u.id, `${id}.right-digest`, id);
    expect((await store.refreshTokens.findByDigest(`${id}.right-digest`))?.id).toBe(id);
    expect(await store.refreshTokens.findByDigest(`${id}.wrong-digest`)).toBeNull();
    const forged = await store.refreshTokens.rotate(`${id}.wrong-digest`, 'app', crypto.randomUUID(), () => { throw new Error('not redeemable'); });
    expect(forged).toEqual({ kind: 'invalid' });
    expect((await store.refreshTokens.get(id))?.usedAt).toBeNull();
    const plain = await issue(u.id, 'plain-digest-of-an-older-token');
    expect((await store.refreshTokens.findByDigest('plain-digest-of-an-older-token'))?.id).toBe(plain);
    await expect(issue(u.id, 'plain-digest-of-an-older-token')).rejects.toThrow(/UNIQUE/);
  });

  it('rebuilds the table from schema 3 with every row, its rowid and its lookups', async () => {
    const older = join(dir, 'schema3.db3');
    const db3 = openDatabase({ file: older, key: KEY, synchronous: 'NORMAL' });
    try {
      migrate(db3, bundledMigrations().filter((m) => m.num <= 3));
      const store3 = createStore(db3, () => clock);
      const u = await store3.users.create(newUser('max'));
      const rows = [];
      for (const digest of ['plain-a', `${crypto.randomUUID()}.carried`, 'plain-b']) {
        const id = digest.includes('.') ? digest.split('.')[0]! : crypto.randomUUID();
        await store3.refreshTokens.issueWithSession(
          { id: `jti-${id}`, userId: u.id, clientIdentifier: 'app', issuedAt: clock.toISOString(), expiresAt: clock.toISOString(), madUse: 'auth', loginMethod: 'pwd' },
          { id, tokenSha256: digest, familyId: 'f', expiresAt: new Date(clock.getTime() + 3600_000).toISOString() });
        rows.push({ id, digest });
      }
      const before = db3.prepare('SELECT rowid, * FROM refresh_tokens ORDER BY rowid').all();
      expect(migrate(db3)).toEqual([4]);
      expect(db3.prepare('SELECT rowid, * FROM refresh_tokens ORDER BY rowid').all()).toEqual(before);
      const migrated = createStore(db3, () => clock);
      for (const r of rows) expect((await migrated.refreshTokens.findByDigest(r.digest))?.id).toBe(r.id);
      expect(db3.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db3.close();
    }
  });
});

describe('page size', () => {
  it('creates new encrypted databases with small pages, and still opens one made with SQLCipher\'s 4 KiB pages', async () => {
    expect(pageSizeOf(db)).toBe(NEW_DATABASE_PAGE_SIZE);
    expect(NEW_DATABASE_PAGE_SIZE).toBeLessThan(4096);
    const earlier = join(dir, 'earlier.db3');
    const made = connectWithPageSize(earlier, KEY, 4096);
    made.exec("CREATE TABLE probe (x TEXT); INSERT INTO probe VALUES ('kept')");
    made.close();
    const reopened = openDatabase({ file: earlier, key: KEY, synchronous: 'NORMAL' });
    expect(pageSizeOf(reopened)).toBe(4096);
    expect(reopened.prepare('SELECT x FROM probe').get()).toEqual({ x: 'kept' });
    reopened.close();
    expect(() => openDatabase({ file: earlier, key: 'wrong-key', synchronous: 'NORMAL' })).toThrow(/wrong database key/);
  });

  it('keeps what a crashed 4 KiB database left in its WAL: the first try with small pages loses nothing', () => {
    const live = join(dir, 'crashed.db3');
    const writer = connectWithPageSize(live, KEY, 4096);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE probe (x TEXT)');
    const insert = writer.prepare('INSERT INTO probe (x) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(`row ${i}`);
    // The files as a crash leaves them: committed rows only in the WAL.
    const copy = join(dir, 'copy.db3');
    copyFileSync(live, copy);
    copyFileSync(`${live}-wal`, `${copy}-wal`);
    writer.close();
    const reopened = openDatabase({ file: copy, key: KEY, synchronous: 'NORMAL' });
    expect(reopened.prepare('SELECT count(*) AS n FROM probe').get()).toEqual({ n: 200 });
    reopened.close();
  });
});

describe('users', () => {
  it('creates, finds and refuses a duplicate username', async () => {
    const u = await store.users.create(newUser('alice'));
    expect(u).toMatchObject({ username: 'alice', isActive: true, failedLogins: 0, lockoutUntil: null });
    expect((await store.users.getById(u.id))?.email).toBe('alice@example.com');
    await expect(store.users.create(newUser('alice'))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('assigns roles at creation, idempotently, and reports them', async () => {
    const u = await store.users.create(newUser('bob'), undefined, [MAD_ADMIN_ROLE_ID, MAD_ADMIN_ROLE_ID]);
    expect(await store.users.hasRole(u.id, MAD_ADMIN_ROLE_ID)).toBe(true);
    expect((await store.users.claimsOf(u.id)).roles).toEqual([{ id: MAD_ADMIN_ROLE_ID, name: 'MadAdmin' }]);
  });

  it('counts failures within the window and locks at the threshold, auditing the lock', async () => {
    const u = await store.users.create(newUser('carol'));
    const policy = { windowSeconds: 300, maxFailures: 3, lockoutSeconds: 600 };
    const lockAudit = { actorId: u.id, action: 'account_locked' };
    expect(await store.users.recordFailedLogin(u.id, policy, lockAudit)).toEqual({ locked: false });
    expect(await store.users.recordFailedLogin(u.id, policy, lockAudit)).toEqual({ locked: false });
    expect(await store.users.recordFailedLogin(u.id, policy, lockAudit)).toEqual({ locked: true });
    expect((await store.users.getById(u.id))?.lockoutUntil).toBe('2026-01-01T00:10:00.000Z');
    expect((await store.audit.list({ action: 'account_locked' })).total).toBe(1);
  });

  it('restarts the failure count after the window', async () => {
    const u = await store.users.create(newUser('dave'));
    const policy = { windowSeconds: 60, maxFailures: 2, lockoutSeconds: 600 };
    await store.users.recordFailedLogin(u.id, policy);
    clock = new Date(clock.getTime() + 120_000);
    expect(await store.users.recordFailedLogin(u.id, policy)).toEqual({ locked: false });
    expect((await store.users.getById(u.id))?.failedLogins).toBe(1);
  });
});

describe('sessions', () => {
  it('is active until revoked, and only on its own plane', async () => {
    const u = await store.users.create(newUser('erin'));
    await store.sessions.insert({ id: 'jti-1', userId: u.id, clientIdentifier: 'app', issuedAt: clock.toISOString(),
      expiresAt: clock.toISOString(), madUse: 'admin', loginMethod: 'pwd' });
    expect(await store.sessions.isActive('jti-1', u.id, 'admin')).toBe(true);
    expect(await store.sessions.isActive('jti-1', u.id, 'auth')).toBe(false);
    expect(await store.sessions.isActive('jti-1', 'someone-else', 'admin')).toBe(false);
    expect(await store.sessions.revoke('jti-1')).toBe(true);
    expect(await store.sessions.revoke('jti-1')).toBe(false);
    expect(await store.sessions.isActive('jti-1', u.id, 'admin')).toBe(false);
  });
});

describe('purges and listings in insertion order (store/insertion-order.ts)', () => {
  const DAY = 86400_000;
  const at = (days: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + days * DAY);
  /** A login as the store records it at `issued`: a session and a refresh token, both alive for an hour. */
  async function loginAt(userId: string, issued: Date): Promise<{ jti: string; refreshId: string; familyId: string }> {
    clock = issued;
    const jti = `jti-${issued.getTime()}-${crypto.randomUUID().slice(0, 4)}`;
    const refreshId = crypto.randomUUID();
    const familyId = crypto.randomUUID();
    const expiresAt = new Date(issued.getTime() + 3600_000).toISOString();
    await store.refreshTokens.issueWithSession(
      { id: jti, userId, clientIdentifier: 'app', issuedAt: issued.toISOString(), expiresAt, madUse: 'auth', loginMethod: 'pwd' },
      { id: refreshId, tokenSha256: `digest-${refreshId}`, familyId, expiresAt });
    return { jti, refreshId, familyId };
  }

  it('has no index on the time columns of the tables every token issue writes', () => {
    const indexes = (table: string) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")
      .all(table) as { name: string }[]).map((r) => r.name);
    expect(indexes('sessions')).toEqual(['idx_sessions_user']);
    expect(indexes('refresh_tokens')).toEqual(['idx_refresh_plain_digest', 'idx_refresh_user']);
    expect(indexes('audit_logs')).toEqual(['idx_audit_action', 'idx_audit_actor']);
  });

  it('purges what expired before the cutoff, up to the first row issued after it; a row recorded out of order waits for a later run', async () => {
    const u = await store.users.create(newUser('ivy'));
    const old = await loginAt(u.id, at(0));
    const live = await loginAt(u.id, at(10));
    const stepped = await loginAt(u.id, at(1)); // the clock stepped back 9 days
    clock = at(10);
    const purge = { olderThan: at(5), purgeExpired: true, purgeRevoked: true };
    expect(await store.sessions.purge(purge)).toBe(1);
    expect(await store.refreshTokens.purge(purge)).toBe(1);
    expect(await store.sessions.get(old.jti)).toBeNull();
    expect(await store.refreshTokens.get(old.refreshId)).toBeNull();
    for (const kept of [live, stepped]) {
      expect(await store.sessions.get(kept.jti)).not.toBeNull();
      expect(await store.refreshTokens.get(kept.refreshId)).not.toBeNull();
    }
    // Once the cutoff has passed the row issued after it, the one recorded out of order goes too.
    const later = { olderThan: at(11), purgeExpired: true, purgeRevoked: true };
    expect(await store.sessions.purge(later)).toBe(2);
    expect(await store.refreshTokens.purge(later)).toBe(2);
    expect((await store.sessions.list()).total).toBe(0);
  });

  it('never purges a revoked row issued at or after the cutoff, whatever comes before it', async () => {
    const u = await store.users.create(newUser('jade'));
    const revokedOld = await loginAt(u.id, at(0));
    const revokedNew = await loginAt(u.id, at(10));
    for (const r of [revokedOld, revokedNew]) await store.refreshTokens.revokeFamily(r.familyId);
    const purge = { olderThan: at(10), purgeExpired: false, purgeRevoked: true };
    expect(await store.sessions.purge(purge)).toBe(1);
    expect(await store.refreshTokens.purge(purge)).toBe(1);
    expect(await store.sessions.get(revokedNew.jti)).not.toBeNull();
    expect(await store.refreshTokens.get(revokedNew.refreshId)).not.toBeNull();
  });

  it('forgets the families revoked before a cutoff, in the order they were recorded, and keeps the later ones revoked', async () => {
    const u = await store.users.create(newUser('lou'));
    const old = await loginAt(u.id, at(0));
    const recent = await loginAt(u.id, at(10));
    clock = at(1);
    await store.refreshTokens.revokeFamily(old.familyId);
    clock = at(20);
    await store.refreshTokens.revokeFamily(recent.familyId);
    clock = at(2); // the clock stepped back: recorded after the day-20 revocation, so it waits for a later run
    const stepped = await loginAt(u.id, at(2));
    await store.refreshTokens.revokeFamily(stepped.familyId);
    const families = () => (db.prepare('SELECT family_id FROM revoked_families').all() as { family_id: string }[]).map((r) => r.family_id).sort();

    expect(await store.refreshTokens.forgetRevokedFamilies(at(1))).toBe(0); // strictly before the cutoff
    expect(await store.refreshTokens.forgetRevokedFamilies(at(15))).toBe(1);
    expect(families()).toEqual([recent.familyId, stepped.familyId].sort());
    expect((await store.refreshTokens.get(recent.refreshId))?.isRevoked).toBe(true);
    expect(await store.sessions.isActive(recent.jti, u.id, 'auth')).toBe(false);
    expect((await store.refreshTokens.get(old.refreshId))?.isRevoked).toBe(false); // what forgetting means
    expect(await store.refreshTokens.forgetRevokedFamilies(at(30))).toBe(2);
    expect(families()).toEqual([]);
  });

  it('lists sessions and refresh tokens newest first in the order they were recorded', async () => {
    const u = await store.users.create(newUser('kim'));
    const first = await loginAt(u.id, at(2));
    const second = await loginAt(u.id, at(1));
    const third = await loginAt(u.id, at(3));
    expect((await store.sessions.list()).rows.map((r) => r.id)).toEqual([third.jti, second.jti, first.jti]);
    expect((await store.refreshTokens.list()).rows.map((r) => r.id)).toEqual([third.refreshId, second.refreshId, first.refreshId]);
    expect((await store.sessions.list({ limit: 1, offset: 1 })).rows.map((r) => r.id)).toEqual([second.jti]);
  });
});

describe('audit chain', () => {
  it('closing the store writes the deferred records still waiting (a clean shutdown loses none)', async () => {
    const pending = store.audit.appendDeferred({ actorId: 'svc', action: 'token.introspect.success' });
    store.close();
    await pending;
    const reopened = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
    try {
      expect((await createStore(reopened).audit.list({ action: 'token.introspect.success' })).total).toBe(1);
    } finally {
      reopened.close();
    }
  });

  it('a deferred record keeps the time of the event, not of its (later) commit', async () => {
    const eventTime = clock.toISOString();
    const pending = store.audit.appendDeferred({ actorId: 'svc', action: 'oidc_token_issued' });
    clock = new Date(clock.getTime() + 3_600_000);
    expect((await store.audit.list({ action: 'oidc_token_issued' })).total).toBe(0); // still waiting (50 ms)
    await pending;
    const { rows } = await store.audit.list({ action: 'oidc_token_issued' });
    expect(rows.map((r) => r.timestamp)).toEqual([eventTime]);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it('chains records appended in one turn (one batch) with records written inside transactions', async () => {
    await Promise.all([0, 1, 2].map((i) => store.audit.append({ actorId: 'tester', action: `batch-${i}` })));
    await store.users.create({ id: crypto.randomUUID(), username: 'chained', email: 'c@example.com', passwordHash: 'x' },
      { actorId: 'tester', action: 'user_created' });
    await Promise.all([store.audit.append({ actorId: 'tester', action: 'batch-3' }), store.audit.append({ actorId: 'tester', action: 'batch-4' })]);
    const { rows } = await store.audit.list({ actorId: 'tester' });
    expect(rows.map((r) => r.action).reverse()).toEqual(['batch-0', 'batch-1', 'batch-2', 'user_created', 'batch-3', 'batch-4']);
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 6, brokenAt: null });
  });

  it('verifies an untouched chain and detects an edited row', async () => {
    for (let i = 0; i < 5; i++) await store.audit.append({ actorId: 'tester', action: `action-${i}` });
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 5, brokenAt: null });
    db.prepare("UPDATE audit_logs SET target = 'forged' WHERE action = 'action-2'").run();
    const result = await store.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(3);
  });

  it('detects a deleted row', async () => {
    for (let i = 0; i < 4; i++) await store.audit.append({ actorId: 'tester', action: `a${i}` });
    db.prepare("DELETE FROM audit_logs WHERE action = 'a1'").run();
    expect((await store.audit.verify()).ok).toBe(false);
  });

  it('purges only up to the first record at or after the cutoff (a chain loses a prefix), even if older ones follow it', async () => {
    await store.audit.append({ actorId: 'tester', action: 'old' });
    clock = new Date(clock.getTime() + 10 * 86400_000);
    await store.audit.append({ actorId: 'tester', action: 'new' });
    clock = new Date(clock.getTime() - 9 * 86400_000); // the clock stepped back
    await store.audit.append({ actorId: 'tester', action: 'stepped' });
    expect(await store.audit.purgeOlderThan(new Date(clock.getTime() + 4 * 86400_000))).toBe(1);
    expect((await store.audit.list()).rows.map((r) => r.action)).toEqual(['stepped', 'new']);
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 2, brokenAt: null });
  });

  it('stays verifiable from the first kept record after a retention purge', async () => {
    for (let i = 0; i < 3; i++) await store.audit.append({ actorId: 'tester', action: `old-${i}` });
    clock = new Date(clock.getTime() + 10 * 86400_000);
    for (let i = 0; i < 2; i++) await store.audit.append({ actorId: 'tester', action: `new-${i}` });
    const purged = await store.audit.purgeOlderThan(new Date(clock.getTime() - 86400_000), { actorId: 't', action: 'audit_purged' });
    expect(purged).toBe(3);
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 3, brokenAt: null });
    // Removing the first kept record afterwards is still detected.
    db.prepare("DELETE FROM audit_logs WHERE action = 'new-0'").run();
    expect((await store.audit.verify()).ok).toBe(false);
  });
});

describe('signing keys', () => {
  it('initializes once, rotates standby to current and keeps the retired key published until its window ends', async () => {
    const [a, b, c] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('ES256'), generateSigningKey('ES256')]);
    expect(await store.signingKeys.initialize('auth', a, b)).toBe(true);
    expect(await store.signingKeys.initialize('auth', c, c)).toBe(false);
    await store.signingKeys.rotate('auth', c, new Date(clock.getTime() + 3600_000));
    const published = await store.signingKeys.listPublished('auth');
    expect(Object.fromEntries(published.map((k) => [k.kid, k.status]))).toEqual({ [a.kid]: 'retired', [b.kid]: 'current', [c.kid]: 'standby' });
    expect(await store.signingKeys.listPublished('admin')).toEqual([]);
    clock = new Date(clock.getTime() + 2 * 3600_000);
    expect((await store.signingKeys.listPublished('auth')).map((k) => k.kid).sort()).toEqual([b.kid, c.kid].sort());
  });
});
