import { describe, expect, expectTypeOf, it } from 'vitest';
import { OPTIONS, formatEffectiveConfig, type Config } from '../../../src/config/index.js';
import { load } from './helpers.js';

describe('formatEffectiveConfig', () => {
  it('prints key = value in schema order', () => {
    const lines = formatEffectiveConfig(load(['--trusted-proxies', '10.0.0.1,10.0.0.2']).config).split('\n');
    expect(lines.map((l) => l.split(' = ')[0])).toEqual(OPTIONS.map((o) => o.key));
    expect(lines).toContain('auth-port = 9040');
    expect(lines).toContain('trusted-proxies = 10.0.0.1,10.0.0.2');
    expect(lines).toContain('enable-token-refresh = true');
  });

  it('masks every non-empty secret and shows empty ones as empty', () => {
    const env = {
      MAD_DB_PASS: 'V4lue-db', MAD_ADMIN_PASSWORD: 'V4lue-admin', MAD_OIDC_CLIENT_SECRET: 'V4lue-client',
      MAD_AUTH_SSL_CERT_PASS: 'V4lue-cert', MAD_TOKEN_SIGNING_KEY_PASS: 'V4lue-key',
    };
    const text = formatEffectiveConfig(load([], env).config);
    for (const v of Object.values(env)) expect(text).not.toContain(v);
    expect(text).toContain('db-pass = ********');
    expect(text).toContain('admin-password = ********');
    expect(text).toContain('admin-token-signing-key-pass = \n');
  });

  it('quotes values the config-file parser would otherwise cut', () => {
    expect(formatEffectiveConfig(load(['--admin-domain', 'a#b']).config)).toContain('admin-domain = "a#b"');
  });
});

describe('the Config object', () => {
  it('has exactly one camelCase property per option', () => {
    const { config } = load();
    expect(Object.keys(config).sort()).toEqual(
      OPTIONS.map((o) => o.key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())).sort(),
    );
    expect(config.argon2idTime).toBe(2);
    expect(config.tokenSigningKeyLengthRsa).toBe(2048);
    expect(config.preferEcAdminTokenSigner).toBe(false);
  });

  it('is deep-frozen', () => {
    const { config } = load(['--trusted-proxies', '10.0.0.1']);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.trustedProxies)).toBe(true);
    expect(() => {
      (config as unknown as Record<string, unknown>)['authPort'] = 1;
    }).toThrow(TypeError);
    expect(() => (config.trustedProxies as string[]).push('10.0.0.9')).toThrow(TypeError);
    expect(config.authPort).toBe(9040);
  });

  it('is typed from the schema', () => {
    expectTypeOf<Config['dbFile']>().toEqualTypeOf<string>();
    expectTypeOf<Config['authPort']>().toEqualTypeOf<number>();
    expectTypeOf<Config['noDbPass']>().toEqualTypeOf<boolean>();
    expectTypeOf<Config['trustedProxies']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Config['dbSynchronous']>().toEqualTypeOf<'NORMAL' | 'FULL'>();
  });
});
