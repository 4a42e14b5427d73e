import { availableParallelism } from 'node:os';
import argon2 from 'argon2';

export interface Argon2Params {
  /** argon2id t */
  timeCost: number;
  /** argon2id m, in KiB */
  memoryCost: number;
  parallelism: number;
  hashLength: number;
  saltLength: number;
  /** Verifications/hashes allowed at once (each holds memoryCost KiB); 0 = 2 × cores. */
  maxConcurrency: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** true when `password` matches the PHC string `hash`; never throws on a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same work as a real verify and fails: used for unknown or inactive users. */
  verifyDummy(password: string): Promise<false>;
  /** The stored hash was made with other parameters than the configured ones. */
  needsRehash(hash: string): boolean;
}

/** A counting semaphore: bounds how many argon2 computations (and their memory) run at once. */
function createLimiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options = {
    type: argon2.argon2id,
    timeCost: params.timeCost,
    memoryCost: params.memoryCost,
    parallelism: params.parallelism,
    hashLength: params.hashLength,
  } as const;
  const limit = createLimiter(params.maxConcurrency > 0 ? params.maxConcurrency : 2 * availableParallelism());
  const hash = (password: string): Promise<string> =>
    limit(() => argon2.hash(password, { ...options, salt: randomSalt(params.saltLength) }));
  // Made once, lazily, with the live parameters so a dummy verify costs what a real one does.
  let dummy: Promise<string> | null = null;

  return {
    hash,
    async verify(stored, password) {
      try {
        return await limit(() => argon2.verify(stored, password));
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummy ??= hash('microauthd-dummy-password');
      const stored = await dummy;
      await limit(() => argon2.verify(stored, password)).catch(() => false);
      return false;
    },
    needsRehash(stored) {
      try {
        return argon2.needsRehash(stored, options);
      } catch {
        return true;
      }
    },
  };
}

function randomSalt(length: number): Buffer {
  return globalThis.crypto.getRandomValues(Buffer.alloc(length));
}
