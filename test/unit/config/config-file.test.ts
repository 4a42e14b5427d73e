import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, loadErrors, tempCwd, writeConf } from './helpers.js';

function fromFile(text: string) {
  const cwd = tempCwd();
  const path = writeConf(cwd, text);
  return { ...load([], {}, cwd), path };
}

describe('config file format (original SimpleIniParser rules)', () => {
  it('skips blank and comment lines, strips trailing comments, trims values', () => {
    const { config } = fromFile(['# comment', '; comment too', '', '  auth-domain =  id.example   # trailing', 'admin-domain=adm.example;x'].join('\n'));
    expect(config.authDomain).toBe('id.example');
    expect(config.adminDomain).toBe('adm.example');
  });

  it('takes double-quoted values verbatim, comment characters included', () => {
    const { config } = fromFile('db-pass = "  p#ss;word "  # a comment\noidc-client-id = "a"b"\n');
    expect(config.dbPass).toBe('  p#ss;word ');
    expect(config.oidcClientId).toBe('a"b');
  });

  it('rejects an unterminated quote rather than keep a stray quote in a password', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'db-pass = "abc\n');
    expect(loadErrors([], {}, cwd)).toEqual([`${path} line 1: db-pass: unterminated or malformed double-quoted value`]);
  });

  it('matches keys case-insensitively and accepts CRLF line ends', () => {
    const { config } = fromFile('AUTH-PORT = 7005\r\nEnable-PKCE = false\r\n');
    expect(config.authPort).toBe(7005);
    expect(config.enablePkce).toBe(false);
  });

  it('warns about unknown keys, naming them and the line, instead of ignoring them silently', () => {
    const { warnings, path } = fromFile('auth-port = 7005\ntoken-refresh-expiration = 28800\n');
    expect(warnings).toContain(`${path} line 2: unknown key "token-refresh-expiration" (ignored)`);
  });

  it('warns about lines that are not key = value, and about a key set twice', () => {
    const { warnings, path, config } = fromFile('[server]\nauth-port = 7001\nauth-port = 7002\n');
    expect(warnings).toContain(`${path} line 1: not a "key = value" line (ignored)`);
    expect(warnings.some((w) => w.startsWith(`${path} line 3: auth-port is set again`))).toBe(true);
    expect(config.authPort).toBe(7002);
  });

  it('ignores env-var-prefix in the file (with a warning when it disagrees)', () => {
    expect(fromFile('env-var-prefix = "MAD_"\n').warnings).toEqual([]);
    const r = fromFile('env-var-prefix = X_\n');
    expect(r.config.envVarPrefix).toBe('MAD_');
    expect(r.warnings.some((w) => w.includes('env-var-prefix "X_" is ignored'))).toBe(true);
  });

  it('skips a missing default mad.conf silently', () => {
    const r = load([], {}, tempCwd());
    expect(r.configFileUsed).toBeNull();
    expect(r.warnings).toEqual([]);
  });

  it('fails on a missing file that was named explicitly, by flag or env', () => {
    const cwd = tempCwd();
    const missing = join(cwd, 'nope.conf');
    expect(loadErrors(['--config', 'nope.conf'], {}, cwd)).toEqual([`config: ${missing}: file not found [--config]`]);
    expect(loadErrors([], { MAD_CONFIG: missing }, cwd)).toEqual([`config: ${missing}: file not found [MAD_CONFIG]`]);
  });

  it('reads a file named by --config, relative to cwd', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'auth-port = 7009\n', 'custom.conf');
    const r = load(['--config', 'custom.conf'], {}, cwd);
    expect(r.config.authPort).toBe(7009);
    expect(r.configFileUsed).toBe(path);
    expect(r.config.config).toBe(path);
  });

  it('warns when a file holding secrets is readable by other users', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'db-pass = s3cret\n');
    expect(load([], {}, cwd).warnings).toEqual([]);
    chmodSync(path, 0o644);
    const w = load([], {}, cwd).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('holds secrets (db-pass)');
    expect(w[0]).not.toContain('s3cret');
  });
});
