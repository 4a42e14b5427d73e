import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';

export type SigningAlg = 'RS256' | 'ES256';

/** A signing key as persisted: PKCS#8 PEM private key, public JWK (with kid/alg/use) as JSON. */
export interface SigningKeyMaterial {
  kid: string;
  alg: SigningAlg;
  privateKeyPem: string;
  publicJwk: string;
}

const generate = promisify(generateKeyPair);

export async function generateSigningKey(alg: SigningAlg, rsaBits = 2048): Promise<SigningKeyMaterial> {
  const { privateKey } = alg === 'RS256'
    ? await generate('rsa', { modulusLength: rsaBits })
    : await generate('ec', { namedCurve: 'P-256' });
  return materialFromPrivateKey(privateKey);
}

/** Derives alg, kid (RFC 7638 thumbprint) and the public JWK from a private key. */
export async function materialFromPrivateKey(privateKey: KeyObject): Promise<SigningKeyMaterial> {
  const alg = algFor(privateKey);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  // Keep only the members of this key type: RSA keys carry no EC members and vice versa.
  const members: JWK = alg === 'RS256'
    ? { kty: 'RSA', n: jwk.n as string, e: jwk.e as string }
    : { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
  const kid = await calculateJwkThumbprint(members, 'sha256');
  return {
    kid,
    alg,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicJwk: JSON.stringify({ ...members, kid, alg, use: 'sig' }),
  };
}

function algFor(key: KeyObject): SigningAlg {
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('RSA signing keys must be at least 2048 bits');
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported signing key type ${key.asymmetricKeyType ?? 'unknown'} (use RSA ≥ 2048 or EC P-256)`);
}

export function importPrivateKeyPem(pem: string, passphrase?: string): KeyObject {
  return createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
}
