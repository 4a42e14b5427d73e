import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../src/config/index.js';
import { load } from './helpers.js';

const issuer = (argv: string[]): string => issuerFor(load(argv).config);

describe('issuerFor', () => {
  it('derives https://<auth-domain> by default (oidc-issuer defaults to the non-URL "microauthd")', () => {
    expect(issuer([])).toBe('https://localhost');
  });

  it('keeps :port and /path of auth-domain and strips a trailing slash', () => {
    expect(issuer(['--auth-domain', 'id.example:8443/auth/'])).toBe('https://id.example:8443/auth');
  });

  it('uses http:// with auth-domain-no-ssl', () => {
    expect(issuer(['--auth-domain', 'id.example', '--auth-domain-no-ssl'])).toBe('http://id.example');
  });

  it('honours an http(s) URL in oidc-issuer (the original ignored it), without trailing slash', () => {
    expect(issuer(['--oidc-issuer', 'https://login.example/tenant/', '--auth-domain', 'other.example'])).toBe('https://login.example/tenant');
    expect(issuer(['--oidc-issuer', 'http://127.0.0.1:9040', '--auth-domain-no-ssl', 'false'])).toBe('http://127.0.0.1:9040');
  });

  it('ignores a non-URL oidc-issuer', () => {
    expect(issuer(['--oidc-issuer', 'my-idp', '--auth-domain', 'id.example'])).toBe('https://id.example');
  });
});
