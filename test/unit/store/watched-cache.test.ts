import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, openDatabase, type Db, type Store } from '../../../src/store/index.js';
import { whileWriteLocked } from '../../../src/store/watched-cache.js';
import { addUser, openTempStore, UNIT_DB_KEY as KEY, type TempStore } from '../../helpers/store.js';

// The client reads and session-liveness reads of the hot path are served from memory
// (store/watched-cache.ts); these tests check that every way the rows can change is seen on the next read.
let temp: TempStore;
let file: string;
let db: Db;
let store: Store;
let clientId: string;
let scopeId: string;

beforeEach(async () => {
  temp = openTempStore();
  ({ file, db, store } = temp);
  clientId = (await store.clients.create({ id: crypto.randomUUID(), clientIdentifier: 'svc', secretHash: 'h1', secretKind: 'sha256',
    displayName: 'Service', audience: 'api' })).id;
  scopeId = (await store.scopes.create('read', 'Read things')).id;
  await store.clients.assignScopes(clientId, [scopeId]);
});
afterEach(() => temp.close());

describe('client cache', () => {
  it('serves repeated reads from memory: the same frozen objects come back', async () => {
    const a = await store.clients.findByIdentifier('svc');
    const b = await store.clients.findByIdentifier('svc');
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    const scopes = await store.clients.scopeNamesOf(clientId);
    expect(scopes).toEqual(['read']);
    expect(await store.clients.scopeNamesOf(clientId)).toBe(scopes);
    expect(() => (scopes as string[]).push('admin')).toThrow(TypeError);
  });

  it('sees changes made through the store: client row, secret, scopes, scope state and flags', async () => {
    await store.clients.findByIdentifier('svc');
    await store.clients.scopeNamesOf(clientId);
    await store.clients.featuresOf(clientId);

    await store.clients.update(clientId, { isActive: false, audience: 'other' });
    expect(await store.clients.findByIdentifier('svc')).toMatchObject({ isActive: false, audience: 'other' });
    await store.clients.setSecret(clientId, 'h2', 'sha256');
    expect((await store.clients.findByIdentifier('svc'))?.secretHash).toBe('h2');

    const writeId = (await store.scopes.create('write', '')).id;
    await store.clients.assignScopes(clientId, [writeId]);
    expect(await store.clients.scopeNamesOf(clientId)).toEqual(['read', 'write']);
    await store.scopes.delete(scopeId);
    expect(await store.clients.scopeNamesOf(clientId)).toEqual(['write']);
    await store.clients.removeScope(clientId, writeId);
    expect(await store.clients.scopeNamesOf(clientId)).toEqual([]);

    await store.clients.setFeature(clientId, 'ENABLE_TOTP', true);
    expect((await store.clients.featuresOf(clientId)).get('ENABLE_TOTP')?.isEnabled).toBe(true);

    await store.clients.delete(clientId);
    expect(await store.clients.findByIdentifier('svc')).toBeNull();
  });

  it('sees rows changed by plain SQL on the same connection (the triggers watch the tables, not the methods)', async () => {
    await store.clients.findByIdentifier('svc');
    await store.clients.scopeNamesOf(clientId);
    db.prepare('UPDATE clients SET display_name = ? WHERE id = ?').run('Renamed', clientId);
    db.prepare('UPDATE scopes SET is_active = 0 WHERE id = ?').run(scopeId);
    expect((await store.clients.findByIdentifier('svc'))?.displayName).toBe('Renamed');
    expect(await store.clients.scopeNamesOf(clientId)).toEqual([]);
  });

  it('sees commits made by another connection to the same file (PRAGMA data_version)', async () => {
    expect((await store.clients.findByIdentifier('svc'))?.isActive).toBe(true);
    const other = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
    try {
      other.prepare('UPDATE clients SET is_active = 0 WHERE id = ?').run(clientId);
      other.prepare("INSERT INTO client_features (id, client_id, feature_flag, is_enabled) VALUES ('f1', ?, 'ENABLE_TOTP', 1)")
        .run(clientId);
    } finally {
      other.close();
    }
    // Other connections' commits are looked for once per event-loop turn (a commit by another process
    // lands between turns); this one was made synchronously inside the test's turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.clients.findByIdentifier('svc'))?.isActive).toBe(false);
    expect((await store.clients.featuresOf(clientId)).has('ENABLE_TOTP')).toBe(true);
  });

  it('never keeps what it read inside a transaction that is later rolled back', async () => {
    await store.clients.findByIdentifier('svc');
    let seen: Promise<unknown> | undefined;
    expect(() => db.transaction(() => {
      db.prepare('UPDATE clients SET audience = ? WHERE id = ?').run('uncommitted', clientId);
      seen = store.clients.findByIdentifier('svc'); // the read itself runs now, inside the transaction
      throw new Error('roll back');
    })()).toThrow('roll back');
    const seenInside = await seen;
    expect(seenInside).toMatchObject({ audience: 'uncommitted' });
    expect((await store.clients.findByIdentifier('svc'))?.audience).toBe('api');
  });

  it('stays exact for a client created after a miss was cached', async () => {
    expect(await store.clients.findByIdentifier('late')).toBeNull();
    await store.clients.create({ id: crypto.randomUUID(), clientIdentifier: 'late', secretHash: 'h', secretKind: 'sha256',
      displayName: 'Late', audience: 'api' });
    expect((await store.clients.findByIdentifier('late'))?.displayName).toBe('Late');
  });
});

describe('session liveness cache', () => {
  let userId: string;
  const session = (id: string, plane: 'auth' | 'admin' = 'auth') => {
    const now = new Date();
    return { id, userId, clientIdentifier: 'svc', issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      madUse: plane, loginMethod: 'pwd' };
  };
  beforeEach(async () => {
    userId = await addUser(store, 'lena', 'l@example.com');
  });

  it('answers for the right user and plane only', async () => {
    await store.sessions.insert(session('s1'));
    expect(await store.sessions.isActive('s1', userId, 'auth')).toBe(true);
    expect(await store.sessions.isActive('s1', userId, 'auth')).toBe(true);
    expect(await store.sessions.isActive('s1', 'someone-else', 'auth')).toBe(false);
    expect(await store.sessions.isActive('s1', userId, 'admin')).toBe(false);
  });

  it('sees a revocation through the store, through plain SQL, a user-wide revoke and a purge', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await store.sessions.insert(session(id));
    for (const id of ['a', 'b', 'c', 'd']) expect(await store.sessions.isActive(id, userId, 'auth')).toBe(true);
    await store.sessions.revoke('a');
    expect(await store.sessions.isActive('a', userId, 'auth')).toBe(false);
    expect(await store.sessions.isActive('b', userId, 'auth')).toBe(true);
    db.prepare('UPDATE sessions SET is_revoked = 1 WHERE id = ?').run('b');
    expect(await store.sessions.isActive('b', userId, 'auth')).toBe(false);
    db.prepare('DELETE FROM sessions WHERE id = ?').run('c');
    expect(await store.sessions.isActive('c', userId, 'auth')).toBe(false);
    await store.grants.revokeAll(userId);
    expect(await store.sessions.isActive('d', userId, 'auth')).toBe(false);
  });

  it('a jti looked up before its session existed is live once the row is written', async () => {
    expect(await store.sessions.isActive('early', userId, 'auth')).toBe(false);
    await store.sessions.insert(session('early'));
    expect(await store.sessions.isActive('early', userId, 'auth')).toBe(true);
  });

  it('sees a revocation committed by another connection from the next event-loop turn', async () => {
    await store.sessions.insert(session('x'));
    expect(await store.sessions.isActive('x', userId, 'auth')).toBe(true);
    const other = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
    try {
      other.prepare('UPDATE sessions SET is_revoked = 1 WHERE id = ?').run('x');
    } finally {
      other.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.sessions.isActive('x', userId, 'auth')).toBe(false);
  });

  it('two stores on one connection both hear about a write', async () => {
    const second = createStore(db);
    await store.sessions.insert(session('shared'));
    expect(await store.sessions.isActive('shared', userId, 'auth')).toBe(true);
    expect(await second.sessions.isActive('shared', userId, 'auth')).toBe(true);
    await second.sessions.revoke('shared');
    expect(await store.sessions.isActive('shared', userId, 'auth')).toBe(false);
    expect(await second.sessions.isActive('shared', userId, 'auth')).toBe(false);
  });
});

describe('reads inside the group commit (whileWriteLocked)', () => {
  it('keeps a read made under the group commit\'s write lock, unless that transaction wrote the row (then not even after a rollback)', async () => {
    const userId = await addUser(store, 'uma', 'u@example.com');
    // Under BEGIN IMMEDIATE no other connection can commit: an unwritten row read there is the latest commit.
    let inside: unknown;
    whileWriteLocked(db, () => db.transaction(() => { inside = store.users.getByIdSync(userId); }).immediate());
    expect(inside).toMatchObject({ id: userId });
    expect(store.users.getByIdSync(userId)).toBe(inside);

    let written: unknown;
    expect(() => whileWriteLocked(db, () => db.transaction(() => {
      db.prepare('UPDATE users SET email = ? WHERE id = ?').run('uncommitted@example.com', userId);
      written = store.users.getByIdSync(userId);
      throw new Error('roll back');
    }).immediate())).toThrow('roll back');
    expect(written).toMatchObject({ email: 'uncommitted@example.com' });
    expect(store.users.getByIdSync(userId)?.email).toBe('u@example.com');
    // A plain transaction (no write lock known) keeps nothing it reads.
    const before = store.users.getByIdSync(userId);
    db.prepare('UPDATE users SET modified_at = modified_at WHERE id = ?').run(userId);
    let plain: unknown;
    db.transaction(() => { plain = store.users.getByIdSync(userId); })();
    expect(plain).not.toBe(before);
    expect(store.users.getByIdSync(userId)).not.toBe(plain);
  });
});
