import type { AdminClient } from '../../bindings/typescript/index.js';
import { MadApiError } from '../../bindings/typescript/models.js';
import { adminClient } from './admin.js';
import { startTestServer, type TestServer } from './server.js';

export { adminClient, startAdminServer } from './admin.js';

/** The MadApiError a call fails with (fails the test if it succeeds). */
export async function failure(p: Promise<unknown>): Promise<MadApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MadApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** The seeded protected admin:* scopes (reference/schema.md). */
export const SEEDED_SCOPES = {
  provisionUsers: 'd0955db1-67f7-4a7b-a9bb-ffbef4f0d2bd',
  resetPasswords: '2192998b-c3d3-4274-9a25-4a4195ba2ec7',
} as const;

/**
 * A user with one auth-plane session and refresh token, arranged through the store; with `issuedAt`,
 * as the store would have recorded them then. Arrange past logins before newer rows: tokens are
 * recorded as they are issued, and the purges rely on that order (store/insertion-order.ts).
 */
export async function arrangeLogin(server: TestServer, o: { clientIdentifier?: string; issuedAt?: Date; lifetimeMs?: number; username?: string } = {}) {
  const { sha256Digest } = await import('../../src/crypto/secrets.js');
  const issuedAt = o.issuedAt;
  const db = server.store(issuedAt ? () => issuedAt : undefined);
  const userId = crypto.randomUUID();
  const username = o.username ?? `u-${userId.slice(0, 8)}`;
  await db.users.create({ id: userId, username, email: `${username}@example.com`, passwordHash: 'x' });
  const issued = o.issuedAt ?? new Date();
  const expires = new Date(issued.getTime() + (o.lifetimeMs ?? 3600_000)).toISOString();
  const jti = crypto.randomUUID().replaceAll('-', '');
  const refreshId = crypto.randomUUID();
  const familyId = crypto.randomUUID();
  await db.refreshTokens.issueWithSession(
    { id: jti, userId, clientIdentifier: o.clientIdentifier ?? 'app', issuedAt: issued.toISOString(), expiresAt: expires, madUse: 'auth', loginMethod: 'pwd' },
    { id: refreshId, tokenSha256: sha256Digest(refreshId), familyId, expiresAt: expires },
  );
  return { db, userId, username, jti, refreshId, familyId };
}

type Login = Awaited<ReturnType<typeof arrangeLogin>>;
const daysAgo = (days: number): Date => new Date(Date.now() - days * 86400_000);

/**
 * For the purge tests: a server of its own with logins recorded in the order they would have been —
 * one issued three days ago and expired, one issued two days ago and alive for thirty (`revocable`,
 * for the test to revoke), then the admin's login and one issued now (`kept`). Closed after `fn`.
 */
export async function withPastLogins(fn: (t: { admin: AdminClient; expired: Login; revocable: Login; kept: Login }) => Promise<void>): Promise<void> {
  const own = await startTestServer();
  try {
    const expired = await arrangeLogin(own, { issuedAt: daysAgo(3) });
    const revocable = await arrangeLogin(own, { issuedAt: daysAgo(2), lifetimeMs: 30 * 86400_000 });
    const admin = await adminClient(own);
    const kept = await arrangeLogin(own);
    await fn({ admin, expired, revocable, kept });
  } finally {
    await own.close();
  }
}
