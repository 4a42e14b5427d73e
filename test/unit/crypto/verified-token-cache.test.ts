import { describe, expect, it } from 'vitest';
import { createVerifiedTokenCache } from '../../../src/crypto/verified-token-cache.js';

describe('verified-token cache', () => {
  it('returns the claims of a token verified before, frozen', () => {
    const cache = createVerifiedTokenCache();
    cache.set('t1', { sub: 'u', exp: 1000, roles: ['a'] });
    const hit = cache.get('t1', 500);
    expect(hit).toEqual({ sub: 'u', exp: 1000, roles: ['a'] });
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen(hit?.roles)).toBe(true);
    expect(cache.get('t2', 500)).toBeUndefined();
  });

  it('drops a token once it has expired', () => {
    const cache = createVerifiedTokenCache();
    cache.set('t1', { sub: 'u', exp: 1000 });
    expect(cache.get('t1', 1000)).toBeUndefined();
    expect(cache.get('t1', 0)).toBeUndefined(); // gone, not only hidden
  });

  it('keeps at most maxEntries, evicting the oldest', () => {
    const cache = createVerifiedTokenCache(2);
    cache.set('a', { exp: 10 });
    cache.set('b', { exp: 10 });
    cache.set('c', { exp: 10 });
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toEqual({ exp: 10 });
    expect(cache.get('c', 0)).toEqual({ exp: 10 });
  });
});
