import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/index.js';
import { adminClient } from '../helpers/admin-b.js';
import { bearer, http, jsonBody } from '../helpers/http.js';
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

  it('never puts private key material in an answer: key lists, rotations, JWKS, the PEM route, discovery or errors', async () => {
    const admin = await adminClient(server);
    const token = admin.token as string;
    const answers: { where: string; text: string }[] = [];
    const call = async (where: string, url: string, init: RequestInit = {}) => {
      const r = await http(url, bearer(token, init));
      answers.push({ where: `${where} (${r.status})`, text: r.text });
      return r;
    };
    for (const plane of ['auth', 'admin']) {
      await call(`GET /keys/${plane}`, `${server.adminUrl}/keys/${plane}`);
      expect((await call(`POST /keys/${plane}/rotate`, `${server.adminUrl}/keys/${plane}/rotate`, { method: 'POST' })).status).toBe(200);
    }
    await call('admin GET /jwks.json', `${server.adminUrl}/jwks.json`);
    await call('auth GET /jwks.json', `${server.authUrl}/jwks.json`);
    await call('auth GET /keys/auth.pem', `${server.authUrl}/keys/auth.pem`);
    await call('auth discovery', `${server.authUrl}/.well-known/openid-configuration`);
    // Error paths of the same routes.
    expect((await call('GET /keys/nope', `${server.adminUrl}/keys/nope`)).status).toBe(404);
    expect((await call('POST /keys/nope/rotate', `${server.adminUrl}/keys/nope/rotate`, { method: 'POST' })).status).toBe(404);
    expect((await call('rotate with a bad body', `${server.adminUrl}/keys/auth/rotate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' })).status).toBe(400);
    expect((await call('rotate with JSON', `${server.adminUrl}/keys/admin/rotate`, jsonBody({ private_key_pem: 'x' }))).status).toBe(200);

    // Every private key the database holds now (the rotations' new ones included): no PEM line of any of them anywhere.
    const key = server.config.dbPass || readFileSync(`${server.dbFile}.key`, 'utf8').trim();
    const db = openDatabase({ file: server.dbFile, key, synchronous: 'NORMAL' });
    const pems = (db.prepare('SELECT private_key_pem AS pem FROM signing_keys').all() as { pem: string }[]).map((r) => r.pem);
    db.close();
    expect(pems.length).toBeGreaterThanOrEqual(6);
    const lines = pems.flatMap((pem) => pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
    for (const a of answers) {
      expect(a.text, a.where).not.toContain('PRIVATE KEY');
      for (const line of lines) expect(a.text.includes(line), `private key material in ${a.where}`).toBe(false);
      // No private JWK member either (RFC 7518 §6.2.2, §6.3.2).
      if (a.text.startsWith('{') || a.text.startsWith('[')) {
        expect(JSON.stringify(JSON.parse(a.text)), a.where).not.toMatch(/"(d|p|q|dp|dq|qi|privateKeyPem|private_key_pem)":/);
      }
    }
  });
});
