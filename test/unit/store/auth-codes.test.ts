import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import { freshStoreWithUser } from '../../helpers/store.js';

let store: Store;
let userId: string;
let clientId: string;

freshStoreWithUser('cora', 'c@example.com', async (s) => {
  ({ store, userId } = s);
  clientId = (await store.clients.create({ id: crypto.randomUUID(), clientIdentifier: 'web', secretHash: '', secretKind: 'none',
    displayName: 'Web', audience: 'microauthd' })).id;
});

const later = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function login(jti: string, expiresAt = later(300)): Promise<void> {
  await store.authSessions.create({ jti, clientId, nonce: 'n', scope: 'openid', state: 's', redirectUri: 'https://rp/cb',
    codeChallenge: 'c', codeChallengeMethod: 'S256', maxAge: 0, expiresAt });
}
const code = (digest: string, expiresAt = later(60)) => ({ codeSha256: digest, clientIdentifier: 'web', familyId: `fam-${digest}`, expiresAt });
const complete = (s: { passwordOk: boolean; totpRequired: boolean; totpOk: boolean }) => s.passwordOk && (!s.totpRequired || s.totpOk);

describe('auth sessions and codes', () => {
  it('an expired login is invisible and cannot be advanced', async () => {
    await login('old', new Date(Date.now() - 1000).toISOString());
    expect(await store.authSessions.get('old')).toBeNull();
    expect(await store.authSessions.passwordSucceeded('old', userId, false, 1)).toBe(false);
  });

  it('TOTP can only succeed after the password step required it; finalize waits for both and consumes the login', async () => {
    await login('j');
    expect(await store.authSessions.totpSucceeded('j', userId, 1)).toBe(false);
    expect(await store.authCodes.issueFromSession('j', code('d1'), complete)).toBeNull();
    await store.authSessions.passwordSucceeded('j', userId, true, 1);
    expect(await store.authCodes.issueFromSession('j', code('d1'), complete)).toBeNull();
    expect(await store.authSessions.totpSucceeded('j', userId, 2)).toBe(true);
    const s = await store.authCodes.issueFromSession('j', code('d1'), complete);
    expect(s).toMatchObject({ userId, loginMethod: 'otp', authTime: 2 });
    expect(await store.authSessions.get('j')).toBeNull();
    expect(await store.authCodes.issueFromSession('j', code('d2'), complete)).toBeNull();
  });

  it('a code redeems once; later presentations are reuse; expired codes are invalid', async () => {
    await login('j');
    await store.authSessions.passwordSucceeded('j', userId, false, 1);
    await store.authCodes.issueFromSession('j', code('d1'), complete);
    const first = await store.authCodes.redeem('d1');
    expect(first).toMatchObject({ kind: 'redeemed', code: { userId, familyId: 'fam-d1', redirectUri: 'https://rp/cb', codeChallenge: 'c' } });
    expect((await store.authCodes.redeem('d1')).kind).toBe('reused');
    expect((await store.authCodes.redeem('unknown')).kind).toBe('invalid');
    await login('k');
    await store.authSessions.passwordSucceeded('k', userId, false, 1);
    await store.authCodes.issueFromSession('k', code('d2', new Date(Date.now() - 1).toISOString()), complete);
    expect((await store.authCodes.redeem('d2')).kind).toBe('invalid');
  });
});
