// The signing bound: how many JWTs per second this machine signs with each key type through jose
// (the library and the WebCrypto path the server uses), on all cores, with nothing else to do. A
// token grant signs once per token, so its rate cannot pass this. Run as its own process, with the
// libuv pool sized like the argon2 bound's.
import { availableParallelism } from 'node:os';
import { SignJWT, generateKeyPair } from 'jose';

const [seconds, ...algs] = process.argv.slice(2);
const concurrency = 2 * availableParallelism();
const claims = { iss: 'http://127.0.0.1:9040', aud: 'microauthd', sub: 'bench', client_id: 'bench-cc', scope: 'bench.read', mad: 'auth' };

async function signaturesPerSecond(alg) {
  const { privateKey } = await generateKeyPair(alg, alg === 'RS256' ? { modulusLength: 2048 } : {});
  const sign = () => new SignJWT({ ...claims, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg, kid: 'bench', typ: 'at+jwt' }).setIssuedAt().setExpirationTime('15m').sign(privateKey);
  for (let i = 0; i < 50; i++) await sign(); // warm-up
  let done = 0;
  const started = Date.now();
  const deadline = started + Number(seconds) * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      await sign();
      done++;
    }
  }));
  return done / ((Date.now() - started) / 1000);
}

const out = {};
for (const alg of algs) out[alg] = await signaturesPerSecond(alg);
process.stdout.write(JSON.stringify(out));
