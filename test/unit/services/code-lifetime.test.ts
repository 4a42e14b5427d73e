import { describe, expect, it } from 'vitest';
import { codeLifetimeSeconds, MAX_CODE_SECONDS } from '../../../src/services/authorization.js';

// security.md "Tokens": authorization codes are short-lived (≤ 60 s), whatever the configuration says.
describe('authorization code lifetime', () => {
  it('is the configured value up to 60 s, and 60 s above it', () => {
    expect(MAX_CODE_SECONDS).toBe(60);
    expect([1, 30, 60, 61, 120, 600].map(codeLifetimeSeconds)).toEqual([1, 30, 60, 60, 60, 60]);
  });
});
