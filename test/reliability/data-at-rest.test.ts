import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient } from '../../bindings/typescript/index.js';
import { DatabaseOpenError, openDatabase } from '../../src/store/index.js';
import { adminClient } from '../helpers/admin.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * security.md "The database file is SQLCipher-encrypted: without the key it does not open, and no
 * username, email, client id or token digest appears in the file's bytes" — checked after a full
 * scenario, in the main file, its WAL, and a backup made the documented way (VACUUM INTO).
 */
let server: TestServer;
const plaintexts: string[] = [];

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
  plaintexts.push('at-rest-username', 'at-rest-user@example.org',
    'at-rest-client-id', 'at-rest-audience', 'at-rest.scope-name', 'At rest scope description', secret, 'At-Rest-Password-1',
    grant.access_token.split('.')[1]!, grant.refresh_token!, next.refresh_token!, next.jti);
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
