// The argon2 bound: how many argon2id verifies per second this machine does with the given
// parameters, using all cores (libuv pool sized like the server's). Run as its own process.
import { availableParallelism } from 'node:os';

const [timeCost, memoryCost, parallelism, seconds] = process.argv.slice(2).map(Number);
const argon2 = (await import('argon2')).default;
const hash = await argon2.hash('bench-password', { type: argon2.argon2id, timeCost, memoryCost, parallelism });
const concurrency = 2 * availableParallelism();
let done = 0;
const deadline = Date.now() + seconds * 1000;
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (Date.now() < deadline) {
    await argon2.verify(hash, 'bench-password');
    done++;
  }
}));
process.stdout.write(JSON.stringify({ verifiesPerSecond: done / ((Date.now() - started) / 1000) }));
