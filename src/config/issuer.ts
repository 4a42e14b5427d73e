import type { Config } from './schema.js';

/** Does `oidc-issuer` hold a URL (used as-is) rather than the original's placeholder name? */
export function isUrlIssuer(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * The `iss` of AUTH-plane tokens and the discovery document.
 *
 * The original parsed `oidc-issuer` but never loaded it, always deriving the
 * issuer from auth-domain; we honour it when it is a URL. Its default,
 * `microauthd`, is not a URL, so by default the issuer still derives from
 * auth-domain (which may carry `:port` and `/path`). Trailing slashes are
 * stripped: OIDC Discovery §4.3 requires the issuer to match exactly, and
 * `<issuer>/.well-known/...` must not get a double slash.
 */
export function issuerFor(config: Config): string {
  if (isUrlIssuer(config.oidcIssuer)) return config.oidcIssuer.replace(/\/+$/, '');
  const scheme = config.authDomainNoSsl ? 'http' : 'https';
  return `${scheme}://${config.authDomain.replace(/\/+$/, '')}`;
}
