/**
 * Arrange-helpers for auth-plane tests: rows written straight into the test server's database.
 * Clients, users and TOTP go through the store; scopes and user flags, whose store modules belong
 * to other branches, through a raw handle on the same SQLCipher file.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPasswordHasher, type PasswordHasher } from '../../src/crypto/password.js';
import { randomToken, sha256Digest } from '../../src/crypto/secrets.js';
import { verifyTotp } from '../../src/crypto/totp.js';
import { openDatabase, type Db, type Store } from '../../src/store/index.js';
import type { TestServer } from './server.js';

/** The same cheap-but-real argon2id parameters as FAST_ARGON2. */
export const testHasher = createPasswordHasher({ timeCost: 1, memoryCost: 1024, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 4 });

export interface TestClient { id: string; clientId: string; clientSecret: string; audience: string }
export interface TestUser { id: string; username: string; password: string; email: string }

/** A TOTP code from Debian's oathtool (an independent RFC 6238 implementation); throws if it is missing. */
export function oathtool(secret: string, at: Date = new Date()): string {
  const now = at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return execFileSync('/usr/bin/oathtool', ['--totp', '-b', '--now', now, secret], { encoding: 'utf8' }).trim();
}

export function arrange(server: TestServer) {
  const store: Store = server.store();
  const db: Db = openDatabase({ file: server.dbFile, key: server.config.dbPass || readFileSync(`${server.dbFile}.key`, 'utf8').trim(),
    synchronous: 'NORMAL' });

  function scopeId(name: string): string {
    const found = db.prepare('SELECT id FROM scopes WHERE name = ?').get(name) as { id: string } | undefined;
    if (found) return found.id;
    const id = randomUUID();
    const now = new Date().toISOString();
    db.prepare('INSERT INTO scopes (id, name, description, created_at, modified_at) VALUES (?, ?, ?, ?, ?)').run(id, name, '', now, now);
    return id;
  }

  return {
    store,
    db,

    /** A confidential client: server-generated secret stored as SHA-256 (default) or an admin-supplied argon2id one. */
    async client(o: { clientId?: string; secret?: string; kind?: 'sha256' | 'argon2id' | 'none'; audience?: string; scopes?: string[] } = {}): Promise<TestClient> {
      const clientId = o.clientId ?? `client-${randomUUID().slice(0, 8)}`;
      const clientSecret = o.secret ?? randomToken();
      const kind = o.kind ?? 'sha256';
      const secretHash = kind === 'sha256' ? sha256Digest(clientSecret) : kind === 'argon2id' ? await testHasher.hash(clientSecret) : '';
      const audience = o.audience ?? 'microauthd';
      const row = await store.clients.create({ id: randomUUID(), clientIdentifier: clientId, secretHash, secretKind: kind, displayName: clientId, audience });
      for (const name of o.scopes ?? []) {
        db.prepare('INSERT OR IGNORE INTO client_scopes (id, client_id, scope_id, assigned_at) VALUES (?, ?, ?, ?)')
          .run(randomUUID(), row.id, scopeId(name), new Date().toISOString());
      }
      return { id: row.id, clientId, clientSecret, audience };
    },

    /** `hasher`: hash with the server's own argon2 parameters (timing tests) instead of the cheap test ones. */
    async user(o: { username?: string; password?: string; scopes?: string[]; hasher?: PasswordHasher } = {}): Promise<TestUser> {
      const username = o.username ?? `user${randomUUID().slice(0, 8)}`;
      const password = o.password ?? `pw-${randomUUID()}`;
      const email = `${username}@example.com`;
      const row = await store.users.create({ id: randomUUID(), username, email, passwordHash: await (o.hasher ?? testHasher).hash(password), emailVerified: true });
      for (const name of o.scopes ?? []) {
        db.prepare('INSERT OR IGNORE INTO user_scopes (id, user_id, scope_id, assigned_at) VALUES (?, ?, ?, ?)')
          .run(randomUUID(), row.id, scopeId(name), new Date().toISOString());
      }
      return { id: row.id, username, password, email };
    },

    deactivate(userId: string): void {
      db.prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(userId);
    },

    lock(userId: string, until: Date): void {
      db.prepare('UPDATE users SET lockout_until = ? WHERE id = ?').run(until.toISOString(), userId);
    },

    deactivateClient(clientInternalId: string): void {
      db.prepare('UPDATE clients SET is_active = 0 WHERE id = ?').run(clientInternalId);
    },

    /** Enrols and enables TOTP for (user, client) the way the admin flow does: a first code (from oathtool at `at`) verified. */
    async enrolTotp(userId: string, clientInternalId: string, secret: string, at: Date): Promise<void> {
      await store.totp.enrol(userId, clientInternalId, secret);
      const step = verifyTotp(secret, oathtool(secret, at), 0, at);
      if (step === null || !(await store.totp.acceptStep(userId, clientInternalId, step, true))) throw new Error('TOTP enrolment failed');
    },

    close(): void {
      db.close();
    },
  };
}
