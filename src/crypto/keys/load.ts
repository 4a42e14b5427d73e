import { readFileSync } from 'node:fs';
import { importPrivateKeyPem, materialFromPrivateKey, type SigningKeyMaterial } from './generate.js';

/**
 * Imports an existing PEM private key (PKCS#8, PKCS#1 or SEC1; encrypted with `passphrase` when
 * given), e.g. the original microauthd's token.pem, so tokens signed before a migration still verify.
 */
export async function loadSigningKeyFile(path: string, passphrase?: string): Promise<SigningKeyMaterial> {
  const pem = readFileSync(path, 'utf8');
  return materialFromPrivateKey(importPrivateKeyPem(pem, passphrase || undefined));
}
