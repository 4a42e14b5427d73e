import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient } from '../helpers/admin-b.js';
import { bearer, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/store/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(['--key-rotation-days', '30']);
});
afterAll(async () => {
  await server?.close();
});

const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing-key rotation', () => {
  it('keeps a token signed before the rotation valid, and JWKS lists current, standby and retired keys', async () => {
    const before = await adminClient(server);
    const oldKid = kidOf(before.token as string);
    const rotated = await before.rotateKeys('admin');
    expect(rotated.find((k) => k.kid === oldKid)?.status).toBe('retired');
    expect(rotated.filter((k) => k.status === 'current').length).toBe(1);
    expect(rotated.filter((k) => k.status === 'standby').length).toBe(1);
    expect((await before.listSessions()).total).toBeGreaterThan(0); // old token still accepted
    const after = await adminClient(server);
    expect(kidOf(after.token as string)).not.toBe(oldKid);
    const jwks = await after.adminJwks();
    const kids = jwks.keys.map((k) => k.kid);
    for (const k of rotated) expect(kids).toContain(k.kid);
    expect(kids.length).toBe(3);
    for (const plane of ['admin', 'auth']) {
      const r = await http(`${server.adminUrl}/keys/${plane}`, bearer(after.token as string));
      expect(r.headers.get('x-total-count'), plane).toBe(String(r.json.length));
    }
  });

  it('drops a retired key from JWKS once its window has passed (maintenance reloads the keyring)', async () => {
    const admin = await adminClient(server);
    const retired = (await admin.listKeys('admin')).find((k) => k.status === 'retired')!;
    const key = server.config.dbPass || readFileSync(`${server.dbFile}.key`, 'utf8').trim();
    const db = openDatabase({ file: server.dbFile, key, synchronous: 'NORMAL' });
    db.prepare('UPDATE signing_keys SET publish_until = ? WHERE kid = ?').run(new Date(Date.now() - 1000).toISOString(), retired.kid);
    db.close();
    await server.maintenance.runOnce();
    expect((await new AdminClient(server.adminUrl).adminJwks()).keys.map((k) => k.kid)).not.toContain(retired.kid);
    expect((await admin.listKeys('admin')).map((k) => k.kid)).not.toContain(retired.kid);
  });

  it('rotates each plane on schedule when its current key is older than key-rotation-days', async () => {
    const admin = await adminClient(server);
    const authCurrent = (await admin.listKeys('auth')).find((k) => k.status === 'current')!.kid;
    const soon = await server.maintenance.runOnce(new Date(Date.now() + 29 * 86400_000));
    expect(soon.rotated).toEqual([]);
    const later = await server.maintenance.runOnce(new Date(Date.now() + 31 * 86400_000));
    expect(later.rotated.sort()).toEqual(['admin', 'auth']);
    // that pass also purged sessions expired "by then", the admin one included: log in again
    const again = await adminClient(server);
    const authKeys = await again.listKeys('auth');
    expect(authKeys.find((k) => k.kid === authCurrent)?.status).toBe('retired');
    const logs = (await again.listAuditLogs({ action: 'signing_key_rotated' })).items;
    expect(logs.filter((l) => l.secondary === 'scheduled').map((l) => l.target).sort()).toEqual(['admin', 'auth']);
  });
});
