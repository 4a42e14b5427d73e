import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { RefreshTokenRow } from '../../../src/store/refresh-tokens.js';
import { ConsumedError } from '../../../src/store/types.js';
import { freshStoreWithUser, type TempStore } from '../../helpers/store.js';

let temp: TempStore;
let store: Store;
let userId: string;

freshStoreWithUser('gina', 'g@example.com', (s) => { ({ temp, store, userId } = s); });

async function grant(jti: string, client: string, plane: 'auth' | 'admin' = 'auth', refresh = true): Promise<void> {
  const now = new Date();
  await store.refreshTokens.issueWithSession(
    { id: jti, userId, clientIdentifier: client, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      madUse: plane, loginMethod: 'pwd', familyId: `fam-${jti}` },
    refresh ? { id: `rt-${jti}`, tokenSha256: `digest-${jti}`, familyId: `fam-${jti}`, expiresAt: new Date(now.getTime() + 600_000).toISOString() } : null,
  );
}

/** Builds the successor from the spent row, as the token service does, and records what it was given. */
const successorOf = (n: string, seen: RefreshTokenRow[] = []) => (spent: RefreshTokenRow) => {
  seen.push(spent);
  const now = new Date();
  return {
    session: { id: `s-${n}`, userId: spent.userId, clientIdentifier: spent.clientIdentifier, issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 60_000).toISOString(), madUse: 'auth' as const, loginMethod: 'refresh', familyId: spent.familyId },
    refresh: { id: `rt-${n}`, tokenSha256: `digest-${n}`, familyId: spent.familyId, parentId: spent.id,
      expiresAt: new Date(now.getTime() + 600_000).toISOString() },
    entry: { actorId: spent.userId, action: 'refresh_token_used', target: spent.clientIdentifier },
  };
};

let rotations = 0;
/** Presents a token for rotation; what it found. */
const spend = async (digest: string, client: string) =>
  (await store.refreshTokens.rotate(digest, client, `rt-spend${++rotations}`, successorOf(`spend${rotations}`))).kind;

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
    expect(await spend('digest-a2', 'web')).toBe('invalid');
    expect(await spend('digest-b1', 'cli')).toBe('redeemed');
    expect((await store.audit.list({ action: 'logout' })).total).toBe(1);
  });

  it('revokeAll ends every auth-plane grant and leaves admin sessions alone', async () => {
    await grant('a1', 'web');
    await grant('b1', 'cli');
    await grant('adm', 'admin', 'admin', false);
    expect(await store.grants.revokeAll(userId)).toBe(2);
    expect(await store.sessions.isActive('b1', userId, 'auth')).toBe(false);
    expect(await spend('digest-b1', 'cli')).toBe('invalid');
    expect(await store.sessions.isActive('adm', userId, 'admin')).toBe(true);
  });

  it('every revoke-all path also refuses tokens minted into a family it revoked (a code exchange racing a logout)', async () => {
    const mintInto = (jti: string, client: string) => {
      const now = new Date();
      return store.refreshTokens.issueWithSession(
        { id: `${jti}-next`, userId, clientIdentifier: client, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
          madUse: 'auth', loginMethod: 'pwd', familyId: `fam-${jti}` },
        { id: `rt-${jti}-next`, tokenSha256: `digest-${jti}-next`, familyId: `fam-${jti}`, expiresAt: new Date(now.getTime() + 600_000).toISOString() },
      );
    };
    const revokes: [string, string, () => Promise<unknown>][] = [
      ['r1', 'web', () => store.grants.revokeForClient(userId, 'web')],
      ['r2', 'cli', () => store.grants.revokeAll(userId)],
      ['r3', 'app', () => store.users.setActive(userId, false)],
    ];
    for (const [jti, client, revoke] of revokes) {
      await grant(jti, client);
      await revoke();
      await expect(mintInto(jti, client)).rejects.toBeInstanceOf(ConsumedError);
      expect(await store.sessions.get(`${jti}-next`)).toBeNull();
    }
    await store.users.setActive(userId, true);
    await grant('r4', 'web');
    expect(await spend('digest-r4', 'web')).toBe('redeemed');
  });
});

describe('refresh rotation in one transaction (refreshTokens.rotate)', () => {
  it('spends the token, hands its row to the builder and records the successor together; a second rotation is reuse and writes nothing', async () => {
    await grant('r1', 'web');
    const seen: RefreshTokenRow[] = [];
    const first = await store.refreshTokens.rotate('digest-r1', 'web', 'rt-n1', successorOf('n1', seen));
    expect(first.kind).toBe('redeemed');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: 'rt-r1', userId, familyId: 'fam-r1', clientIdentifier: 'web', replacedBy: 'rt-n1', isRevoked: true });
    expect(seen[0]?.usedAt).not.toBeNull();
    expect(first.kind === 'redeemed' && first.successor.session.id).toBe('s-n1');
    expect((await store.refreshTokens.get('rt-r1'))).toMatchObject({ replacedBy: 'rt-n1', isRevoked: true });
    expect(await store.refreshTokens.findByDigest('digest-n1')).toMatchObject({ familyId: 'fam-r1', usedAt: null });
    expect(await store.sessions.isActive('s-n1', userId, 'auth')).toBe(true);
    expect((await store.audit.list({ action: 'refresh_token_used' })).total).toBe(1);

    const again = await store.refreshTokens.rotate('digest-r1', 'web', 'rt-n2', successorOf('n2', seen));
    expect(again).toMatchObject({ kind: 'reused', token: { id: 'rt-r1', familyId: 'fam-r1' } });
    expect(seen).toHaveLength(1);
    expect(await store.refreshTokens.findByDigest('digest-n2')).toBeNull();
    expect(await store.sessions.get('s-n2')).toBeNull();
    expect((await store.audit.list({ action: 'refresh_token_used' })).total).toBe(1);
    // The successor rotates in its turn.
    expect((await store.refreshTokens.rotate('digest-n1', 'web', 'rt-n3', successorOf('n3'))).kind).toBe('redeemed');
  });

  it('of concurrent rotations of one token exactly one is redeemed', async () => {
    await grant('r1', 'web');
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((n) => store.refreshTokens.rotate('digest-r1', 'web', `rt-${n}`, successorOf(n))));
    expect(results.filter((r) => r.kind === 'redeemed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'reused')).toHaveLength(3);
  });

  it('another client\'s, an unknown, an expired or a revoked-family token is invalid, stays unspent and reaches no builder', async () => {
    const seen: RefreshTokenRow[] = [];
    await grant('r1', 'cli');
    expect((await store.refreshTokens.rotate('digest-r1', 'web', 'rt-n1', successorOf('n1', seen))).kind).toBe('invalid');
    expect((await store.refreshTokens.findByDigest('digest-r1'))?.usedAt).toBeNull();
    expect((await store.refreshTokens.rotate('digest-none', 'web', 'rt-n1', successorOf('n1', seen))).kind).toBe('invalid');
    await grant('r2', 'web');
    await store.refreshTokens.revokeFamily('fam-r2');
    expect((await store.refreshTokens.rotate('digest-r2', 'web', 'rt-n1', successorOf('n1', seen))).kind).toBe('invalid');
    expect((await store.refreshTokens.findByDigest('digest-r2'))?.usedAt).toBeNull();
    const past = new Date(Date.now() - 1000).toISOString();
    await store.refreshTokens.issueWithSession(
      { id: 'r3', userId, clientIdentifier: 'web', issuedAt: past, expiresAt: past, madUse: 'auth', loginMethod: 'pwd', familyId: 'fam-r3' },
      { id: 'rt-r3', tokenSha256: 'digest-r3', familyId: 'fam-r3', expiresAt: past });
    expect((await store.refreshTokens.rotate('digest-r3', 'web', 'rt-n1', successorOf('n1', seen))).kind).toBe('invalid');
    expect(seen).toHaveLength(0);
    expect(await store.sessions.get('s-n1')).toBeNull();
  });

  it('a builder that refuses rolls the spend back: no successor, the token not even spent', async () => {
    await grant('r1', 'web');
    const refused = new Error('user deactivated');
    await expect(store.refreshTokens.rotate('digest-r1', 'web', 'rt-n1', () => { throw refused; })).rejects.toBe(refused);
    expect(await store.refreshTokens.get('rt-r1')).toMatchObject({ usedAt: null, replacedBy: null, isRevoked: false });
    expect(await store.sessions.get('s-n1')).toBeNull();
    // A successor that does not continue the spent token is refused the same way.
    const stray = (spent: RefreshTokenRow) => ({ ...successorOf('n2')(spent), refresh: { ...successorOf('n2')(spent).refresh, familyId: 'fam-other' } });
    await expect(store.refreshTokens.rotate('digest-r1', 'web', 'rt-n2', stray)).rejects.toThrow(/does not continue/);
    expect(await store.refreshTokens.get('rt-r1')).toMatchObject({ usedAt: null, isRevoked: false });
    expect(await store.refreshTokens.findByDigest('digest-n2')).toBeNull();
    expect((await store.refreshTokens.rotate('digest-r1', 'web', 'rt-n3', successorOf('n3'))).kind).toBe('redeemed');
  });
});

describe('family revocation, read where the state is read (store/family-revocation.ts)', () => {
  it('revoking a family revokes its sessions and refresh tokens everywhere they are read, and nothing else', async () => {
    await grant('f1', 'web');
    await grant('f2', 'web');
    // The liveness cache holds both as live before the family goes.
    expect(await store.sessions.isActive('f1', userId, 'auth')).toBe(true);
    expect(await store.sessions.isActive('f2', userId, 'auth')).toBe(true);
    await store.refreshTokens.revokeFamily('fam-f1', { actorId: userId, action: 'refresh_token_revoked', target: 'rt-f1' });

    expect(await store.sessions.isActive('f1', userId, 'auth')).toBe(false);
    expect(await store.sessions.isActive('f2', userId, 'auth')).toBe(true);
    expect((await store.sessions.get('f1'))?.isRevoked).toBe(true);
    expect((await store.sessions.get('f2'))?.isRevoked).toBe(false);
    expect((await store.sessions.list({ active: true })).rows.map((r) => r.id)).toEqual(['f2']);
    expect((await store.sessions.list({ active: false })).rows.map((r) => r.id)).toEqual(['f1']);
    expect((await store.grants.sessionsOfUser(userId)).map((r) => [r.id, r.isRevoked]).sort()).toEqual([['f1', true], ['f2', false]]);
    expect((await store.refreshTokens.get('rt-f1'))?.isRevoked).toBe(true);
    expect((await store.refreshTokens.findByDigest('digest-f2'))?.isRevoked).toBe(false);
    expect((await store.refreshTokens.list()).rows.map((r) => [r.id, r.isRevoked]).sort()).toEqual([['rt-f1', true], ['rt-f2', false]]);
    expect(await spend('digest-f1', 'web')).toBe('invalid');
    // An administrator cannot revoke it a second time, and a logout does not count it again.
    expect(await store.sessions.revoke('f1')).toBe(false);
    expect(await store.grants.revokeAll(userId)).toBe(1);
    expect((await store.audit.list({ action: 'refresh_token_revoked' })).total).toBe(1);
  });

  it('purging revoked rows takes the family-revoked ones, however far from expiry', async () => {
    await grant('p1', 'web');
    await grant('p2', 'web');
    await store.refreshTokens.revokeFamily('fam-p1');
    const later = new Date(Date.now() + 1000);
    expect(await store.sessions.purge({ olderThan: later, purgeExpired: false, purgeRevoked: true })).toBe(1);
    expect(await store.refreshTokens.purge({ olderThan: later, purgeExpired: false, purgeRevoked: true })).toBe(1);
    expect(await store.sessions.get('p1')).toBeNull();
    expect(await store.refreshTokens.get('rt-p1')).toBeNull();
    expect(await store.sessions.get('p2')).not.toBeNull();
  });

  it('a token issue writes no family_id index entry (the schema keeps none)', () => {
    const indexed = temp.db.prepare(`SELECT DISTINCT m.name AS tbl FROM sqlite_master m, pragma_index_list(m.name) l,
      pragma_index_info(l.name) i WHERE m.type = 'table' AND i.name = 'family_id'`).all() as { tbl: string }[];
    // revoked_families is keyed by family; the token tables are not indexed by it.
    expect(indexed.map((r) => r.tbl)).toEqual(['revoked_families']);
  });
});
