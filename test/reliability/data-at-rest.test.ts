import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient } from '../../bindings/typescript/index.js';
import { newTotpSecret } from '../../src/crypto/totp.js';
import { DatabaseOpenError, openDatabase } from '../../src/store/index.js';
import { adminClient } from '../helpers/admin.js';
import { arrange } from '../helpers/arrange.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * security.md "The database file is SQLCipher-encrypted: without the key it does not open, and no
 * username, email, client id or token digest appears in the file's bytes" — checked after a full
 * scenario (TOTP enrolment included), in the main file, its WAL, and a backup made the documented way (VACUUM INTO).
 */
let server: TestServer;
const plaintexts: string[] = [];
/** Values the database holds in place of secrets (digests, hashes, keys): never in the file's bytes either. */
const storedDigests: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const admin = await adminClient(server);
  const client = await admin.createClient({ client_id: 'at-rest-client-id', audience: 'at-rest-audience' });
  const secret = (client as { client_secret?: string }).client_secret!;
  await admin.createUser({ username: 'at-rest-username', email: 'at-rest-user@example.org', password: 'At-Rest-Password-1' });
  const auth = new AuthClient(server.authUrl);
  const grant = await auth.passwordGrant({ username: 'at-rest-username', password: 'At-Rest-Password-1', clientId: client.client_id, clientSecret: secret });
  const next = await auth.refresh({ refreshToken: grant.refresh_token!, clientId: client.client_id, clientSecret: secret });
  const scope = await admin.createScope('at-rest.scope-name', 'At rest scope description');
  await admin.assignUserScopes(await admin.userIdByName('at-rest-username'), [scope.id]);
  // A TOTP seed, enrolled the way the admin flow stores it.
  const seed = newTotpSecret();
  const a = arrange(server);
  const userId = await admin.userIdByName('at-rest-username');
  await a.enrolTotp(userId, client.id, seed, new Date(Date.now() - 60_000));
  a.close();
  plaintexts.push('at-rest-username', 'at-rest-user@example.org',
    'at-rest-client-id', 'at-rest-audience', 'at-rest.scope-name', 'At rest scope description', secret, 'At-Rest-Password-1',
    grant.access_token.split('.')[1]!, grant.refresh_token!, next.refresh_token!, next.jti, seed);
  // What is stored in place of the secrets: token and client-secret digests, the password hash, the signing keys.
  const db = openDatabase({ file: server.dbFile, key: readFileSync(`${server.dbFile}.key`, 'utf8').trim(), synchronous: 'NORMAL' });
  const column = (sql: string) => (db.prepare(sql).all() as { v: string }[]).map((r) => r.v);
  const digests = [
    ...column('SELECT token_sha256 AS v FROM refresh_tokens'),
    ...column("SELECT client_secret_hash AS v FROM clients WHERE client_secret_hash <> ''"),
    ...column('SELECT password_hash AS v FROM users'),
  ];
  // The digest part alone too: a refresh token's stored form is "<row id>.<base64url SHA-256>".
  storedDigests.push(...digests, ...digests.filter((d) => d.includes('.') && !d.startsWith('$')).map((d) => d.split('.')[1]!));
  const keys = column('SELECT private_key_pem AS v FROM signing_keys');
  // A PEM's body lines: any one of them in the clear would show the key is stored unencrypted.
  storedDigests.push(...keys.map((pem) => pem.split('\n')[1]!));
  db.close();
  expect(storedDigests.length).toBeGreaterThanOrEqual(7);
});
afterAll(async () => server?.close());

function bytesOf(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('data at rest', () => {
  it('the live database and its WAL contain none of the scenario\'s names, secrets or tokens', () => {
    const bytes = bytesOf(server.dbFile);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(bytes.includes('SQLite format 3')).toBe(false);
    for (const p of plaintexts) expect(bytes.includes(p), `plaintext found: ${p.slice(0, 12)}`).toBe(false);
  });

  it('nor any stored token or client-secret digest, password hash or signing key', () => {
    const bytes = bytesOf(server.dbFile);
    for (const d of storedDigests) {
      expect(d.length).toBeGreaterThanOrEqual(32);
      expect(bytes.includes(d), `stored value found in the clear: ${d.slice(0, 12)}`).toBe(false);
    }
  });

  it('does not open without the key or with a wrong key', () => {
    expect(() => openDatabase({ file: server.dbFile, key: null, synchronous: 'NORMAL' })).toThrow(DatabaseOpenError);
    expect(() => openDatabase({ file: server.dbFile, key: 'not-the-key', synchronous: 'NORMAL' })).toThrow(DatabaseOpenError);
  });

  it('a VACUUM INTO backup is encrypted with the same key and holds the data', () => {
    const key = readFileSync(`${server.dbFile}.key`, 'utf8').trim();
    const backup = join(server.dir, 'backup.db3');
    const db = openDatabase({ file: server.dbFile, key, synchronous: 'NORMAL' });
    db.exec(`VACUUM INTO '${backup}'`);
    db.close();
    const bytes = readFileSync(backup);
    for (const p of plaintexts) expect(bytes.includes(p), `plaintext in backup: ${p.slice(0, 12)}`).toBe(false);
    expect(() => openDatabase({ file: backup, key: null, synchronous: 'NORMAL' })).toThrow(DatabaseOpenError);
    const restored = openDatabase({ file: backup, key, synchronous: 'NORMAL' });
    expect(restored.prepare("SELECT email FROM users WHERE username = 'at-rest-username'").get()).toEqual({ email: 'at-rest-user@example.org' });
    restored.close();
  });
});
