// Refresh-token rotations through the build's data-access layer, as the refresh grant makes them
// (spend the presented token, record the successor's session and token, append the audit record),
// for the store benchmarks (page-size.mjs, wal-frames.mjs). Needs a build (`npm run build`).
import { randomUUID } from 'node:crypto';

const { newRefreshToken, refreshTokenDigest, newJti } = await import(new URL('../dist/src/crypto/secrets.js', import.meta.url).href);

const life = (ms) => new Date(Date.now() + ms).toISOString();
const session = (userId, loginMethod, familyId) => ({
  id: newJti(), userId, clientIdentifier: 'bench', issuedAt: new Date().toISOString(), expiresAt: life(900_000),
  madUse: 'auth', loginMethod, ...(familyId ? { familyId } : {}),
});

/**
 * `count` chains of refresh tokens, each started by a login of one user (a family of its own);
 * `rotate(c)` redeems chain `c`'s current token for its successor.
 */
export async function rotationChains(store, count) {
  const userId = randomUUID();
  await store.users.create({ id: userId, username: `rotations-${userId.slice(0, 8)}`, email: `${userId}@example.com`, passwordHash: 'not-used' });
  const tokens = [];
  for (let c = 0; c < count; c++) {
    const { id, token } = newRefreshToken();
    await store.refreshTokens.issueWithSession(session(userId, 'pwd'),
      { id, tokenSha256: refreshTokenDigest(token), familyId: randomUUID(), expiresAt: life(3_600_000) });
    tokens.push(token);
  }
  async function rotate(c) {
    const next = newRefreshToken();
    const rotation = await store.refreshTokens.rotate(refreshTokenDigest(tokens[c]), 'bench', next.id, (spent) => ({
      session: session(userId, 'refresh', spent.familyId),
      refresh: { id: next.id, tokenSha256: refreshTokenDigest(next.token), familyId: spent.familyId, parentId: spent.id,
        expiresAt: life(3_600_000), scope: 'openid profile bench.read' },
      entry: { actorId: userId, action: 'refresh_token_used', target: 'bench', secondary: 'refresh_token', ipAddress: '127.0.0.1' },
    }));
    if (rotation.kind !== 'redeemed') throw new Error(`rotation refused: ${rotation.kind}`);
    tokens[c] = next.token;
  }
  return { rotate };
}
