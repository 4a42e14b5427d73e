import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CompactSign, createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { SigningKeyStore } from '../store/signing-keys.js';
import type { AuditEntry, Plane, SigningKeyRow } from '../store/types.js';
import { generateSigningKey, importPrivateKeyPem, type SigningAlg, type SigningKeyMaterial } from './keys/generate.js';
import { createVerifiedTokenCache, type VerifiedTokenCache } from './verified-token-cache.js';

const utf8 = new TextEncoder();

/**
 * The JWT claims set as JWS payload bytes (RFC 7519 §7.1), with the check jose's SignJWT makes.
 * jose's CompactSign does the JWS; SignJWT would first structuredClone the claims, which cost
 * ≈ 25–40 µs of CPU per token on the token path (bench, this machine).
 */
function claimsSetBytes(claims: JWTPayload): Uint8Array {
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    const value = claims[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new TypeError(`"${name}" claim must be a finite number`);
    }
  }
  return utf8.encode(JSON.stringify(claims));
}

/**
 * Signs with the plane's current key. The private key is closed over here and never leaves;
 * `plane` brands the type so an admin signer cannot be handed to the auth plane.
 */
export interface Signer<P extends Plane> {
  readonly plane: P;
  sign(claims: JWTPayload, options?: { typ?: string }): Promise<string>;
  /** The current key's id (for `kid` comparisons, never the key itself). */
  currentKid(): string;
}

export interface Verifier<P extends Plane> {
  readonly plane: P;
  /** Verifies signature (this plane's published keys only), issuer, lifetime and the plane marker. */
  verify(token: string, options?: { audience?: string; clockToleranceSeconds?: number }): Promise<JWTPayload>;
}

/** The published keys, serialized once per key change, with an ETag for conditional GETs. */
export interface PublishedJwks {
  readonly body: string;
  readonly etag: string;
  readonly keys: readonly JWK[];
}

/** The current public key as PEM, serialized once per key change, with an ETag. */
export interface PublishedPem {
  readonly kid: string;
  readonly pem: string;
  readonly etag: string;
}

export interface KeyInfo {
  kid: string;
  alg: SigningAlg;
  status: SigningKeyRow['status'];
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  publish_until: string | null;
}

export interface KeyManager<P extends Plane> {
  readonly plane: P;
  list(): KeyInfo[];
  jwks(): PublishedJwks;
  /** The current key's public half as SPKI PEM (for proxies such as HAProxy that take one PEM key). */
  currentPublicKeyPem(): PublishedPem;
  /** Standby becomes current, a new standby is made, the old current stays published. */
  rotate(audit?: AuditEntry): Promise<KeyInfo[]>;
  /** Re-reads keys from the store (another process may have rotated). */
  reload(): Promise<void>;
}

export interface Keyring<P extends Plane> {
  signer: Signer<P>;
  verifier: Verifier<P>;
  manager: KeyManager<P>;
}

export interface KeyringOptions<P extends Plane> {
  plane: P;
  issuer: string;
  store: SigningKeyStore;
  alg: SigningAlg;
  rsaBits: number;
  /** A retired key stays in JWKS this long: the longest lifetime of a token it may have signed. */
  retiredPublishSeconds: number;
  /** An existing key to import as the first current key (only when the plane has none yet). */
  importKey?: SigningKeyMaterial | undefined;
}

interface LiveState {
  current: { kid: string; alg: SigningAlg; key: KeyObject };
  rows: SigningKeyRow[];
  jwks: PublishedJwks;
  localSet: ReturnType<typeof createLocalJWKSet>;
  pem: PublishedPem;
  /** Tokens that passed verification under exactly these keys; dropped with them on every key change. */
  verified: VerifiedTokenCache;
}

/** Leeway for `exp`/`nbf` (clock skew between us and whoever checks the token). */
const CLOCK_TOLERANCE_SECONDS = 30;

export async function openKeyring<P extends Plane>(opts: KeyringOptions<P>): Promise<Keyring<P>> {
  const { plane, store } = opts;
  if (!(await store.hasCurrent(plane))) {
    await store.initialize(plane, opts.importKey ?? (await generateSigningKey(opts.alg, opts.rsaBits)),
      await generateSigningKey(opts.alg, opts.rsaBits));
  }

  let state = await load();

  async function load(): Promise<LiveState> {
    const rows = await store.listPublished(plane);
    const currentRow = rows.find((r) => r.status === 'current');
    if (!currentRow) throw new Error(`no current ${plane} signing key`);
    const keys = rows.map((r) => JSON.parse(r.publicJwk) as JWK);
    const body = JSON.stringify({ keys });
    const pem = createPublicKey({ key: JSON.parse(currentRow.publicJwk) as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' }).toString();
    return {
      pem: { kid: currentRow.kid, pem, etag: `"${createHash('sha256').update(pem).digest('base64url').slice(0, 27)}"` },
      current: { kid: currentRow.kid, alg: currentRow.alg, key: importPrivateKeyPem(currentRow.privateKeyPem) },
      rows,
      jwks: { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, keys },
      localSet: createLocalJWKSet({ keys }),
      verified: createVerifiedTokenCache(),
    };
  }

  const signer: Signer<P> = {
    plane,
    async sign(claims, options = {}) {
      const { kid, alg, key } = state.current;
      return new CompactSign(claimsSetBytes(claims)).setProtectedHeader({ alg, kid, typ: options.typ ?? 'JWT' }).sign(key);
    },
    currentKid: () => state.current.kid,
  };

  const verifier: Verifier<P> = {
    plane,
    async verify(token, options = {}) {
      const plain = options.audience === undefined && options.clockToleranceSeconds === undefined;
      const live = state;
      if (plain) {
        const hit = live.verified.get(token, Date.now() / 1000 - CLOCK_TOLERANCE_SECONDS);
        if (hit) return hit;
      }
      const { payload } = await jwtVerify(token, live.localSet, {
        issuer: opts.issuer,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: options.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS,
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      });
      if (payload.mad !== plane) throw new Error(`token is not an ${plane}-plane token`);
      if (plain) live.verified.set(token, payload);
      return payload;
    },
  };

  const info = (r: SigningKeyRow): KeyInfo => ({
    kid: r.kid, alg: r.alg, status: r.status, created_at: r.createdAt, activated_at: r.activatedAt,
    retired_at: r.retiredAt, publish_until: r.publishUntil,
  });

  const manager: KeyManager<P> = {
    plane,
    list: () => state.rows.map(info),
    jwks: () => state.jwks,
    currentPublicKeyPem: () => state.pem,
    async rotate(audit) {
      const next = await generateSigningKey(opts.alg, opts.rsaBits);
      await store.rotate(plane, next, new Date(Date.now() + opts.retiredPublishSeconds * 1000), audit);
      state = await load();
      return state.rows.map(info);
    },
    async reload() {
      state = await load();
    },
  };

  return { signer, verifier, manager };
}
