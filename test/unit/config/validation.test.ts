import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';
import { load, loadErrors, tempCwd } from './helpers.js';

describe('all errors at once', () => {
  it('collects every failure into one ConfigError, each message naming its key', () => {
    let caught: unknown;
    try {
      loadConfig({ argv: ['--auth-port', '70000', '--argon2id-time', '0'], env: { MAD_AUTH_IP: 'not-an-ip' }, cwd: tempCwd() });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const err = caught as ConfigError;
    expect(err.errors).toHaveLength(3);
    expect(err.errors).toContain('auth-port must be 0–65535 (got 70000) [--auth-port]');
    expect(err.errors).toContain('argon2id-time must be 1–100 (got 0) [--argon2id-time]');
    expect(err.errors).toContain('auth-ip must be an IPv4 or IPv6 address (got "not-an-ip") [MAD_AUTH_IP]');
    expect(err.message).toBe(err.errors.join('\n'));
  });

  it('throws on unknown flags (yargs strict) and stray arguments, never exiting the process', () => {
    expect(loadErrors(['--bogus', '1', '--argon2-time', '3'])).toEqual(['unknown option --bogus', 'unknown option --argon2-time']);
    expect(loadErrors(['serve'])).toEqual(['unexpected argument "serve" (options are written --key value)']);
  });

  it('accepts the defaults with no warnings', () => {
    const r = load();
    expect(r.warnings).toEqual([]);
    expect(r.printEffectiveConfig).toBe(false);
    expect(load(['--print-effective-config']).printEffectiveConfig).toBe(true);
  });
});

describe('validation table', () => {
  it.each([
    [['--argon2id-memory', '255'], 'argon2id-memory must be 256–1048576 (got 255) [--argon2id-memory]'],
    [['--token-signing-key-length-rsa', '1024'], 'token-signing-key-length-rsa must be 2048–16384 (got 1024) [--token-signing-key-length-rsa]'],
    [['--refresh-token-expiration', '299'], 'refresh-token-expiration must be 300–31536000 (got 299) [--refresh-token-expiration]'],
    [['--pkce-code-lifetime', '601'], 'pkce-code-lifetime must be 1–600 (got 601) [--pkce-code-lifetime]'],
    [['--admin-ip', '::1', '--auth-ip', '::1', '--admin-port', '9040'],
      'admin-ip:admin-port must not equal auth-ip:auth-port (both listen on ::1:9040 / ::1:9040) [--admin-port]'],
    [['--auth-ip', '0.0.0.0', '--admin-port', '9040'],
      'admin-ip:admin-port must not equal auth-ip:auth-port (both listen on 127.0.0.1:9040 / 0.0.0.0:9040) [--admin-port]'],
    [['--totp-qr-output-root', 'qr'], 'totp-qr-output-root must be empty or an absolute path (got "qr") [--totp-qr-output-root]'],
    [['--trusted-proxies', '10.0.0.1,10.0.0.0/8'],
      'trusted-proxies entry "10.0.0.0/8" is not an IP address (exact IPs only, no CIDR) [--trusted-proxies]'],
    [['--cors-origins', 'https://ok.example,https://a.example/path'],
      'cors-origins entry "https://a.example/path" must be http(s)://host[:port] with no path, query or trailing slash [--cors-origins]'],
    [['--cors-origins', 'a.example'],
      'cors-origins entry "a.example" must be http(s)://host[:port] with no path, query or trailing slash [--cors-origins]'],
    [['--oidc-issuer', 'https://id.example/?x=1'],
      'oidc-issuer must be a valid URL without query, fragment or credentials (got "https://id.example/?x=1") [--oidc-issuer]'],
    [['--auth-domain', 'https://id.example'],
      'auth-domain must be host[:port][/path] without scheme, query or fragment (got "https://id.example") [--auth-domain]'],
    [['--env-var-prefix', '1X'],
      'env-var-prefix must be letters, digits and underscores, not starting with a digit (got "1X") [--env-var-prefix]'],
  ])('%j', (argv, message) => {
    expect(loadErrors(argv)).toEqual([message]);
  });

  it('does not report a clash built from a port that failed to parse', () => {
    expect(loadErrors(['--admin-port', 'x', '--auth-port', '9041'])).toEqual(['--admin-port: "x" is not an integer']);
  });
});

describe('warnings for insecure-but-legal settings', () => {
  it.each([
    [['--admin-ip', '0.0.0.0'], 'admin-ip 0.0.0.0 is not a loopback address: the admin plane is exposed to the network [--admin-ip]'],
    [['--no-db-pass'], 'no-db-pass is set: the database is NOT encrypted [--no-db-pass]'],
    [['--db-pass', 'hunter2'], 'db-pass given on the command line is visible in the process list; prefer MAD_DB_PASS or a key file (db-key-file) [--db-pass]'],
    [['--argon2id-memory', '4096'], 'argon2id-memory 4096 KiB is below 8192: insecure for production [--argon2id-memory]'],
    [['--pkce-code-lifetime', '120'], 'pkce-code-lifetime 120 s is above 60: authorization codes live 60 s at most (RFC 9700) [--pkce-code-lifetime]'],
    [['--max-login-failures', '0'], 'max-login-failures is 0: account lockout is disabled [--max-login-failures]'],
  ])('%j', (argv, warning) => {
    const r = load(argv);
    expect(r.warnings).toEqual([warning]);
    expect(r.warnings.join('\n')).not.toContain('hunter2');
  });

  it('does not warn about a loopback admin-ip or a db-pass from the environment', () => {
    expect(load(['--admin-ip', '::1'], { MAD_DB_PASS: 'x' }).warnings).toEqual([]);
    expect(load(['--admin-ip', '127.0.0.5']).warnings).toEqual([]);
  });
});
