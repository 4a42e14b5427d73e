import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, migrate, openDatabase, type Db, type Store } from '../../../src/store/index.js';
import { ConsumedError } from '../../../src/store/types.js';
import { tempDir } from '../../helpers/tmp.js';

let cleanup: () => void;
let db: Db;
let store: Store;
let userId: string;

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase({ file: join(t.dir, 'g.db3'), key: 'unit-key-0123456789', synchronous: 'NORMAL' });
  migrate(db);
  store = createStore(db);
  userId = (await store.users.create({ id: crypto.randomUUID(), username: 'gina', email: 'g@example.com', passwordHash: 'x' })).id;
});
afterEach(() => {
  db.close();
  cleanup();
});

async function grant(jti: string, client: string, plane: 'auth' | 'admin' = 'auth', refresh = true): Promise<void> {
  const now = new Date();
  await store.refreshTokens.issueWithSession(
    { id: jti, userId, clientIdentifier: client, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      madUse: plane, loginMethod: 'pwd', familyId: `fam-${jti}` },
    refresh ? { id: `rt-${jti}`, tokenSha256: `digest-${jti}`, familyId: `fam-${jti}`, expiresAt: new Date(now.getTime() + 600_000).toISOString() } : null,
  );
}

describe('grant store', () => {
  it('lists a user\'s auth-plane sessions with the username, never admin-plane ones', async () => {
    await grant('j1', 'web');
    await grant('j2', 'admin', 'admin', false);
    const rows = await store.grants.sessionsOfUser(userId);
    expect(rows.map((r) => r.id)).toEqual(['j1']);
    expect(rows[0]).toMatchObject({ username: 'gina', clientIdentifier: 'web', isRevoked: false });
  });

  it('revokeForClient ends one client\'s sessions and refresh tokens, with its audit record in the same transaction', async () => {
    await grant('a1', 'web');
    await grant('a2', 'web');
    await grant('b1', 'cli');
    expect(await store.grants.revokeForClient(userId, 'web', { actorId: userId, action: 'logout', target: 'web' })).toBe(2);
    expect(await store.sessions.isActive('a1', userId, 'auth')).toBe(false);
    expect(await store.sessions.isActive('b1', userId, 'auth')).toBe(true);
    expect((await store.refreshTokens.redeem('digest-a2', 'web')).kind).toBe('invalid');
    expect((await store.refreshTokens.redeem('digest-b1', 'cli')).kind).toBe('redeemed');
    expect((await store.audit.list({ action: 'logout' })).total).toBe(1);
  });

  it('revokeAll ends every auth-plane grant and leaves admin sessions alone', async () => {
    await grant('a1', 'web');
    await grant('b1', 'cli');
    await grant('adm', 'admin', 'admin', false);
    expect(await store.grants.revokeAll(userId)).toBe(2);
    expect(await store.sessions.isActive('b1', userId, 'auth')).toBe(false);
    expect((await store.refreshTokens.redeem('digest-b1', 'cli')).kind).toBe('invalid');
    expect(await store.sessions.isActive('adm', userId, 'admin')).toBe(true);
  });

  it('every revoke-all path also ends a refresh in flight: the successor of a token redeemed just before is refused', async () => {
    const successor = (jti: string, client: string) => {
      const now = new Date();
      return store.refreshTokens.issueWithSession(
        { id: `${jti}-next`, userId, clientIdentifier: client, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
          madUse: 'auth', loginMethod: 'pwd', familyId: `fam-${jti}` },
        { id: `rt-${jti}-next`, tokenSha256: `digest-${jti}-next`, familyId: `fam-${jti}`, parentId: `rt-${jti}`,
          expiresAt: new Date(now.getTime() + 600_000).toISOString() },
      );
    };
    const revokes: [string, string, () => Promise<unknown>][] = [
      ['r1', 'web', () => store.grants.revokeForClient(userId, 'web')],
      ['r2', 'cli', () => store.grants.revokeAll(userId)],
      ['r3', 'app', () => store.users.setActive(userId, false)],
    ];
    for (const [jti, client, revoke] of revokes) {
      await grant(jti, client);
      expect((await store.refreshTokens.redeem(`digest-${jti}`, client)).kind).toBe('redeemed');
      await revoke();
      await expect(successor(jti, client)).rejects.toBeInstanceOf(ConsumedError);
    }
    await store.users.setActive(userId, true);
    await grant('r4', 'web');
    expect((await store.refreshTokens.redeem('digest-r4', 'web')).kind).toBe('redeemed');
  });
});
