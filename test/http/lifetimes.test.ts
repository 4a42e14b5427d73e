import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { arrange } from '../helpers/arrange.js';
import { form, http } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** --id-token-expiration and --auth-session-lifetime shape what the browser flow issues. */
const REDIRECT = 'https://rp.example.com/cb';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(['--id-token-expiration', '120', '--auth-session-lifetime', '45']);
});
afterAll(async () => server?.close());

describe('configured lifetimes', () => {
  it('the login session lasts --auth-session-lifetime and the id_token --id-token-expiration', async () => {
    const a = arrange(server);
    const c = await a.client();
    a.db.prepare('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), c.id, REDIRECT, new Date().toISOString());
    const u = await a.user({ scopes: ['openid'] });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const az = await http(`${server.authUrl}/authorize`, form({ client_id: c.clientId, redirect_uri: REDIRECT, scope: 'openid', nonce: 'n1',
      state: 's', code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(az.status, az.text).toBe(200);
    const session = await http(`${server.authUrl}/auth-session/${az.json.jti}`);
    const left = (Date.parse(session.json.expires_at) - Date.now()) / 1000;
    expect(left).toBeGreaterThan(35);
    expect(left).toBeLessThanOrEqual(45);
    await http(`${server.authUrl}/login/password`, form({ jti: az.json.jti, username: u.username, password: u.password, redirect_uri: REDIRECT }));
    const fin = await http(`${server.authUrl}/login/finalize`, { ...form({ jti: az.json.jti }), redirect: 'manual' });
    const code = new URL(fin.headers.get('location')!).searchParams.get('code')!;
    const t = await http(`${server.authUrl}/token`, form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: c.clientId,
      client_secret: c.clientSecret, code_verifier: verifier }));
    expect(t.status, t.text).toBe(200);
    const id = decodeJwt(t.json.id_token);
    expect(Number(id.exp) - Number(id.iat)).toBe(120);
  });
});
