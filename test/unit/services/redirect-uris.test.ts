import { describe, expect, it } from 'vitest';
import { redirectUriProblem } from '../../../src/services/redirect-uris.js';

describe('redirectUriProblem', () => {
  it('accepts https, loopback http and reverse-domain custom schemes', () => {
    for (const ok of ['https://app.example.com/cb', 'https://app.example.com:8443/cb?x=1', 'http://127.0.0.1:9000/cb',
      'http://[::1]/cb', 'http://localhost:3000/cb', 'com.example.app:/oauth2redirect']) {
      expect(redirectUriProblem(ok), ok).toBeNull();
    }
  });

  it('refuses relative URIs, fragments, remote http, dangerous or bare custom schemes and oversized values', () => {
    for (const bad of ['/cb', 'cb', 'https://a.example.com/cb#x', 'http://example.com/cb', 'http://127.0.0.2.example.com/',
      'javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'myapp:/cb', `https://a.example.com/${'x'.repeat(2100)}`]) {
      expect(redirectUriProblem(bad), bad).not.toBeNull();
    }
  });
});
