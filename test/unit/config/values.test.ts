import { describe, expect, it } from 'vitest';
import { load, loadErrors, tempCwd, writeConf } from './helpers.js';

describe('booleans', () => {
  it.each([
    ['true', true], ['TRUE', true], ['yes', true], ['Yes', true], ['1', true], ['on', true], ['ON', true],
    ['false', false], ['False', false], ['no', false], ['0', false], ['off', false], ['Off', false],
  ])('accepts %s from env and file (more lenient than the original)', (word, want) => {
    expect(load([], { MAD_PREFER_EC_TOKEN_SIGNER: word }).config.preferEcTokenSigner).toBe(want);
    const cwd = tempCwd();
    writeConf(cwd, `prefer-ec-token-signer = ${word}\n`);
    expect(load([], {}, cwd).config.preferEcTokenSigner).toBe(want);
  });

  it('rejects a word that is not a boolean, naming the source', () => {
    expect(loadErrors([], { MAD_ENABLE_PKCE: 'maybe' })).toEqual([
      'MAD_ENABLE_PKCE: "maybe" is not a boolean (use true/false, yes/no, on/off or 1/0)',
    ]);
  });

  it('on the command line: bare flag, flag with a value, and --no-flag', () => {
    expect(load(['--prefer-ec-token-signer']).config.preferEcTokenSigner).toBe(true);
    expect(load(['--enable-pkce', 'false']).config.enablePkce).toBe(false);
    expect(load(['--enable-pkce=no']).config.enablePkce).toBe(false);
    expect(load(['--no-enable-pkce']).config.enablePkce).toBe(false);
    expect(load(['--no-enable-pkce'], { MAD_ENABLE_PKCE: 'true' }).config.enablePkce).toBe(false);
    expect(load(['--prefer-ec-token-signer', '--auth-port', '7000']).config.authPort).toBe(7000);
  });

  it('--no-db-pass means no-db-pass = true (it is an option name, not a negation)', () => {
    const r = load(['--no-db-pass']);
    expect(r.config.noDbPass).toBe(true);
    expect(r.config.dbPass).toBe('');
    expect(r.warnings).toContain('no-db-pass is set: the database is NOT encrypted [--no-db-pass]');
    expect(load(['--no-db-pass', 'false']).config.noDbPass).toBe(false);
  });

  it('rejects --x together with --no-x', () => {
    expect(loadErrors(['--enable-pkce', '--no-enable-pkce'])).toEqual(['--enable-pkce and --no-enable-pkce are both given']);
  });

  it('folds disable-token-refresh into enable-token-refresh, and docker into no-prompt', () => {
    expect(load(['--enable-token-refresh', '--disable-token-refresh']).config.enableTokenRefresh).toBe(false);
    expect(load([]).config.enableTokenRefresh).toBe(true);
    expect(load(['--docker']).config.noPrompt).toBe(true);
    expect(load([]).config.noPrompt).toBe(false);
  });
});

describe('integers, lists, enums', () => {
  it('rejects ints that do not parse, from any source', () => {
    expect(loadErrors(['--auth-port', '12abc'])).toEqual(['--auth-port: "12abc" is not an integer']);
    expect(loadErrors([], { MAD_AUTH_PORT: '1.5' })).toEqual(['MAD_AUTH_PORT: "1.5" is not an integer']);
  });

  it('reports a bad file value even when a flag overrides it', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'auth-port = abc\n');
    expect(loadErrors(['--auth-port', '7000'], {}, cwd)).toEqual([`auth-port (${path} line 1): "abc" is not an integer`]);
  });

  it('splits lists on commas, trims entries and drops empty ones', () => {
    expect(load([], { MAD_TRUSTED_PROXIES: ' 10.0.0.1 ,, ::1 ,' }).config.trustedProxies).toEqual(['10.0.0.1', '::1']);
    expect(load(['--cors-origins', 'https://A.example:443,http://b.example:8080']).config.corsOrigins)
      .toEqual(['https://a.example', 'http://b.example:8080']);
  });

  it('matches enum values case-insensitively and keeps the canonical spelling', () => {
    expect(load(['--db-synchronous', 'full']).config.dbSynchronous).toBe('FULL');
    expect(load([], { MAD_LOG_LEVEL: 'DEBUG' }).config.logLevel).toBe('debug');
    expect(loadErrors(['--log-level', 'verbose'])).toEqual([
      '--log-level: "verbose" is not one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});

describe('paths', () => {
  it('resolves relative file paths against cwd and leaves absolute and empty ones alone', () => {
    const cwd = tempCwd();
    const r = load(['--db-key-file', 'keys/db.key', '--log-file', '/var/log/mad.log'], { MAD_TOKEN_SIGNING_KEY_FILE: './auth.pem' }, cwd);
    expect(r.config.dbFile).toBe(`${cwd}/mad.db3`);
    expect(r.config.dbKeyFile).toBe(`${cwd}/keys/db.key`);
    expect(r.config.tokenSigningKeyFile).toBe(`${cwd}/auth.pem`);
    expect(r.config.logFile).toBe('/var/log/mad.log');
    expect(r.config.adminTokenSigningKeyFile).toBe('');
  });
});

describe('security defaults (security.md)', () => {
  it('locks an account for 15 minutes after 5 failures, and keeps access tokens to 15 minutes', () => {
    const { config } = load([]);
    expect([config.maxLoginFailures, config.failedPasswordLockoutDuration, config.tokenExpiration]).toEqual([5, 900, 900]);
  });

  it('hashes passwords with argon2id at 32 MiB, time cost 2, parallelism 2; limits bodies to 64 KiB; binds the admin plane to loopback', () => {
    const { config } = load([]);
    expect([config.argon2idMemory, config.argon2idTime, config.argon2idParallelism]).toEqual([32768, 2, 2]);
    expect(config.bodyLimit).toBe(65536);
    expect(config.adminIp).toBe('127.0.0.1');
    expect(config.pkceCodeLifetime).toBeLessThanOrEqual(60); // and capped at 60 whatever is set: test/unit/services/code-lifetime.test.ts
  });
});
