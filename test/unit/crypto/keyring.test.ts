import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { openKeyring, type Keyring, type Signer } from '../../../src/crypto/keyring.js';
import { createStore, migrate, openDatabase, type Store } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/tmp.js';

const ISSUER = 'http://127.0.0.1:9040';
let store: Store;
let cleanup: () => void;
let auth: Keyring<'auth'>;
let admin: Keyring<'admin'>;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  const db = openDatabase({ file: join(t.dir, 'k.db3'), key: 'k', synchronous: 'NORMAL' });
  migrate(db);
  store = createStore(db);
  auth = await openKeyring({ plane: 'auth', issuer: ISSUER, store: store.signingKeys, alg: 'RS256', rsaBits: 2048, retiredPublishSeconds: 3600 });
  admin = await openKeyring({ plane: 'admin', issuer: ISSUER, store: store.signingKeys, alg: 'ES256', rsaBits: 2048, retiredPublishSeconds: 3600 });
});

afterAll(() => {
  store.close();
  cleanup();
});

const claims = (plane: string) => {
  const iat = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, sub: 'u1', jti: 'j1', iat, nbf: iat, exp: iat + 60, mad: plane };
};

describe('keyrings', () => {
  it('signs with a kid header and verifies with the same plane', async () => {
    const token = await auth.signer.sign(claims('auth'), { typ: 'at+jwt' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: auth.signer.currentKid(), typ: 'at+jwt' });
    expect((await auth.verifier.verify(token)).sub).toBe('u1');
  });

  it('the payload is exactly the claims set given (JSON, nothing added or dropped); a non-finite time claim is refused', async () => {
    const given = { ...claims('admin'), aud: ['a', 'b'], roles: [], scope: 'read write', nested: { x: 1 } };
    const token = await admin.signer.sign(given);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))).toEqual(given);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: admin.signer.currentKid(), typ: 'JWT' });
    await expect(admin.signer.sign({ ...claims('admin'), exp: Number.POSITIVE_INFINITY })).rejects.toThrow(TypeError);
    await expect(admin.signer.sign({ ...claims('admin'), iat: '1700000000' as unknown as number })).rejects.toThrow(TypeError);
  });

  it('a token verified once (and cached) is still checked against a requested audience', async () => {
    const token = await auth.signer.sign({ ...claims('auth'), aud: 'api-1' }, { typ: 'at+jwt' });
    expect((await auth.verifier.verify(token)).aud).toBe('api-1');
    expect((await auth.verifier.verify(token)).aud).toBe('api-1');
    await expect(auth.verifier.verify(token, { audience: 'api-2' })).rejects.toThrow();
    expect((await auth.verifier.verify(token, { audience: 'api-1' })).sub).toBe('u1');
  });

  it('refuses a token of the other plane', async () => {
    const adminToken = await admin.signer.sign(claims('admin'));
    await expect(auth.verifier.verify(adminToken)).rejects.toThrow();
    // Even a token claiming the right plane but signed by the other plane's key fails.
    const forged = await admin.signer.sign(claims('auth'));
    await expect(auth.verifier.verify(forged)).rejects.toThrow();
    // And a correctly signed token without the plane marker is refused.
    const unmarked = await auth.signer.sign({ ...claims('auth'), mad: 'admin' });
    await expect(auth.verifier.verify(unmarked)).rejects.toThrow(/auth-plane/);
  });

  it('refuses a wrong issuer and an expired token', async () => {
    await expect(auth.verifier.verify(await auth.signer.sign({ ...claims('auth'), iss: 'https://evil' }))).rejects.toThrow();
    const old = { ...claims('auth'), iat: 1000, nbf: 1000, exp: 1060 };
    await expect(auth.verifier.verify(await auth.signer.sign(old))).rejects.toThrow();
  });

  it('publishes key-type members only (no null or foreign members)', () => {
    const [rsa] = auth.manager.jwks().keys;
    expect(Object.keys(rsa ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const [ec] = admin.manager.jwks().keys;
    expect(Object.keys(ec ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('rotation: standby becomes current, old tokens still verify, JWKS lists current, standby and retired', async () => {
    const before = auth.manager.list();
    const standby = before.find((k) => k.status === 'standby')?.kid;
    const oldToken = await auth.signer.sign(claims('auth'));
    const etag = auth.manager.jwks().etag;
    const after = await auth.manager.rotate();
    expect(auth.signer.currentKid()).toBe(standby);
    expect(after.map((k) => k.status).sort()).toEqual(['current', 'retired', 'standby']);
    expect(auth.manager.jwks().keys).toHaveLength(3);
    expect(auth.manager.jwks().etag).not.toBe(etag);
    expect((await auth.verifier.verify(oldToken)).sub).toBe('u1');
  });

  it('brands signers by plane at compile time', () => {
    // @ts-expect-error an admin signer is not an auth signer
    const wrong: Signer<'auth'> = admin.signer;
    expect(wrong.plane).toBe('admin');
  });
});

describe('current public key as PEM', () => {
  it('is the SPKI PEM of the current key (RSA and EC), verifies its tokens, and follows a rotation', async () => {
    for (const ring of [auth, admin] as const) {
      const pem = ring.manager.currentPublicKeyPem();
      expect(pem.kid).toBe(ring.signer.currentKid());
      expect(pem.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(ring.manager.currentPublicKeyPem()).toBe(pem); // computed once per key change, not per call
      const token = await ring.signer.sign(claims(ring.signer.plane));
      const alg = decodeProtectedHeader(token).alg!;
      await expect(jwtVerify(token, await importSPKI(pem.pem, alg))).resolves.toBeTruthy();
    }
    const before = auth.manager.currentPublicKeyPem();
    await auth.manager.rotate();
    const after = auth.manager.currentPublicKeyPem();
    expect(after.kid).not.toBe(before.kid);
    expect(after.pem).not.toBe(before.pem);
    expect(after.etag).not.toBe(before.etag);
  });
});

describe('importing an existing PEM key (--token-signing-key-file)', () => {
  it('imports an encrypted PKCS#8 RSA key as the first current key, with its RFC 7638 kid', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { writeFileSync } = await import('node:fs');
    const { loadSigningKeyFile } = await import('../../../src/crypto/keys/load.js');
    const t = tempDir();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemFile = join(t.dir, 'token.pem');
    writeFileSync(pemFile, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem-pass' }) as string);
    const material = await loadSigningKeyFile(pemFile, 'pem-pass');
    expect(material.alg).toBe('RS256');
    const db = openDatabase({ file: join(t.dir, 'import.db3'), key: 'k', synchronous: 'NORMAL' });
    migrate(db);
    const s = createStore(db);
    const imported = await openKeyring({ plane: 'auth', issuer: ISSUER, store: s.signingKeys, alg: 'ES256', rsaBits: 2048,
      retiredPublishSeconds: 60, importKey: material });
    expect(imported.signer.currentKid()).toBe(material.kid);
    const token = await imported.signer.sign(claims('auth'));
    expect((await imported.verifier.verify(token)).sub).toBe('u1');
    await expect(loadSigningKeyFile(pemFile, 'wrong-pass')).rejects.toThrow();
    s.close();
    t.cleanup();
  });
});
