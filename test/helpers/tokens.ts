import { importPKCS8, SignJWT } from 'jose';
import { issuerFor } from '../../src/config/index.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type TestServer } from './server.js';
import { form, http } from './http.js';

export interface MintOptions {
  sub?: string;
  jti?: string;
  aud?: string | string[];
  scope?: string[];
  roles?: string[];
  clientId?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  /** Insert a live session row for the token (user tokens); false for client_credentials-shaped ones. */
  session?: boolean;
  extra?: Record<string, unknown>;
}

/**
 * An auth-plane access token signed with the auth keyring's CURRENT key (read from the database),
 * shaped like the ones the token endpoint issues; with a session row unless `session: false`.
 */
export async function mintAuthToken(server: TestServer, o: MintOptions = {}): Promise<{ token: string; jti: string; sub: string }> {
  const db = server.store();
  const row = (await db.signingKeys.listPublished('auth')).find((k) => k.status === 'current');
  if (!row) throw new Error('no current auth key');
  const key = await importPKCS8(row.privateKeyPem, row.alg);
  const jti = o.jti ?? crypto.randomUUID().replaceAll('-', '');
  const sub = o.sub ?? (await db.users.findByUsername(ADMIN_USERNAME))!.id;
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + (o.expiresIn ?? 300);
  if (o.session !== false) {
    await db.sessions.insert({ id: jti, userId: sub, clientIdentifier: o.clientId ?? 'app', issuedAt: new Date(iat * 1000).toISOString(),
      expiresAt: new Date(Math.max(exp, iat + 1) * 1000).toISOString(), madUse: 'auth', loginMethod: 'pwd' });
  }
  const token = await new SignJWT({
    iss: issuerFor(server.config), sub, jti, iat, nbf: iat, exp,
    aud: o.aud ?? 'app', mad: 'auth', token_use: 'access', scope: (o.scope ?? []).join(' '), roles: o.roles ?? [],
    client_id: o.clientId ?? 'app', ...o.extra,
  }).setProtectedHeader({ alg: row.alg, kid: row.kid, typ: 'at+jwt' }).sign(key);
  return { token, jti, sub };
}

/** A real admin-plane token from the admin `POST /token`. */
export async function mintAdminToken(server: TestServer): Promise<string> {
  const r = await http(`${server.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }));
  if (r.status !== 200) throw new Error(`admin login failed: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

/** The same token with one payload character changed (signature left as is). */
export function tamper(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const i = Math.floor(p.length / 2);
  const swapped = p[i] === 'A' ? 'B' : 'A';
  return `${h}.${p.slice(0, i)}${swapped}${p.slice(i + 1)}.${s}`;
}
