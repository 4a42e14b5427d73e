import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../../src/crypto/password.js';
import { createPasswordHasher } from '../../../src/crypto/password.js';
import { sha256Digest } from '../../../src/crypto/secrets.js';
import { createClientAuth } from '../../../src/services/client-auth.js';
import { lifetimesFor } from '../../../src/services/token-policy.js';
import { createStore, migrate, openDatabase, type Db, type Store } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/tmp.js';

let cleanup: () => void;
let db: Db;
let store: Store;
let clock: Date;
let verifies: number;
let hasher: PasswordHasher;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase({ file: join(t.dir, 'c.db3'), key: 'unit-key-0123456789', synchronous: 'NORMAL' });
  migrate(db);
  clock = new Date('2026-01-01T00:00:00Z');
  store = createStore(db, () => clock);
  const real = createPasswordHasher({ timeCost: 1, memoryCost: 1024, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 2 });
  verifies = 0;
  hasher = { ...real, verify: (h, p) => { verifies++; return real.verify(h, p); } };
});
afterEach(() => {
  db.close();
  cleanup();
});

const client = async (kind: 'sha256' | 'argon2id' | 'none', secretHash: string) =>
  store.clients.create({ id: crypto.randomUUID(), clientIdentifier: `c-${kind}`, secretHash, secretKind: kind, displayName: 'c', audience: 'a' });

describe('client authentication', () => {
  it('verifies server-generated secrets by SHA-256 without argon2', async () => {
    await client('sha256', sha256Digest('s3cret-generated'));
    const auth = createClientAuth({ store, hasher, cache: { enabled: true, seconds: 60 }, now: () => clock });
    expect((await auth('c-sha256', 's3cret-generated'))?.clientIdentifier).toBe('c-sha256');
    expect(await auth('c-sha256', 'wrong')).toBeNull();
    expect(verifies).toBe(0);
  });

  it('caches successful argon2id verifications for pass-cache-duration only, never failures, and misses after a secret change', async () => {
    const row = await client('argon2id', await hasher.hash('admin-chosen'));
    const auth = createClientAuth({ store, hasher, cache: { enabled: true, seconds: 60 }, now: () => clock });
    expect(await auth('c-argon2id', 'admin-chosen')).not.toBeNull();
    expect(await auth('c-argon2id', 'admin-chosen')).not.toBeNull();
    expect(verifies).toBe(1);
    expect(await auth('c-argon2id', 'wrong-one')).toBeNull();
    expect(await auth('c-argon2id', 'wrong-one')).toBeNull();
    expect(verifies).toBe(3);
    clock = new Date(clock.getTime() + 61_000);
    expect(await auth('c-argon2id', 'admin-chosen')).not.toBeNull();
    expect(verifies).toBe(4);
    // A new stored hash (secret changed) is part of the cache key: the old secret is verified again and fails.
    db.prepare('UPDATE clients SET client_secret_hash = ? WHERE id = ?').run(await hasher.hash('new-secret!'), row.id);
    expect(await auth('c-argon2id', 'admin-chosen')).toBeNull();
    expect(verifies).toBe(5);
  });

  it('with the cache off, verifies every time; refuses public, inactive and unknown clients', async () => {
    await client('argon2id', await hasher.hash('admin-chosen'));
    const pub = await client('none', '');
    const auth = createClientAuth({ store, hasher, cache: { enabled: false, seconds: 60 }, now: () => clock });
    await auth('c-argon2id', 'admin-chosen');
    await auth('c-argon2id', 'admin-chosen');
    expect(verifies).toBe(2);
    expect(await auth(pub.clientIdentifier, 'anything')).toBeNull();
    expect(await auth('nobody', 'anything')).toBeNull();
    db.prepare('UPDATE clients SET is_active = 0').run();
    expect(await auth('c-argon2id', 'admin-chosen')).toBeNull();
  });
});

describe('token lifetimes from client flags', () => {
  const f = (flag: string, options: string, isEnabled = true) => new Map([[flag, { flag, options, isEnabled }]]);
  const defaults = { accessSeconds: 900, refreshSeconds: 259200 };
  it('uses enabled numeric flags, clamped, and the configuration otherwise', () => {
    expect(lifetimesFor(f('TOKEN_EXPIRATION', '120'), defaults)).toEqual({ accessSeconds: 120, refreshSeconds: 259200 });
    expect(lifetimesFor(f('TOKEN_EXPIRATION', '1'), defaults).accessSeconds).toBe(60);
    expect(lifetimesFor(f('TOKEN_EXPIRATION', '999999'), defaults).accessSeconds).toBe(86400);
    expect(lifetimesFor(f('TOKEN_EXPIRATION', 'soon'), defaults).accessSeconds).toBe(900);
    expect(lifetimesFor(f('TOKEN_EXPIRATION', '120', false), defaults).accessSeconds).toBe(900);
    expect(lifetimesFor(f('REFRESH_TOKEN_EXPIRATION', '10'), defaults).refreshSeconds).toBe(300);
  });
});
