import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../../src/crypto/password.js';

const params = { timeCost: 1, memoryCost: 1024, parallelism: 1, hashLength: 32, saltLength: 16, maxConcurrency: 2 };

describe('password hasher (argon2id)', () => {
  const hasher = createPasswordHasher(params);

  it('hashes to an argon2id PHC string with the configured parameters and verifies', async () => {
    const hash = await hasher.hash('s3cret-pass');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await hasher.verify(hash, 's3cret-pass')).toBe(true);
    expect(await hasher.verify(hash, 's3cret-pasS')).toBe(false);
  });

  it('verifies libargon2-ordered PHC strings (m,t,p), as the original microauthd stored them', async () => {
    const hash = await hasher.hash('legacy');
    const reordered = hash.replace('m=1024,p=1,t=1', 'm=1024,t=1,p=1');
    expect(reordered).not.toBe(hash);
    expect(await hasher.verify(reordered, 'legacy')).toBe(true);
  });

  it('uses a fresh salt per hash', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('never throws on a malformed stored hash', async () => {
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
    expect(hasher.needsRehash('not-a-hash')).toBe(true);
  });

  it('reports a rehash when the parameters changed', async () => {
    const stronger = createPasswordHasher({ ...params, timeCost: 2 });
    const old = await hasher.hash('pw');
    expect(hasher.needsRehash(old)).toBe(false);
    expect(stronger.needsRehash(old)).toBe(true);
  });

  it('dummy verify always fails', async () => {
    expect(await hasher.verifyDummy('microauthd-dummy-password')).toBe(false);
  });
});
