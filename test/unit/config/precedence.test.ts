import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS, type OptionDef } from '../../../src/config/index.js';
import { load, tempCwd, writeConf, type Env } from './helpers.js';

interface Case {
  key: string;
  flag: string; // value written on the command line
  env: string;
  file: string;
  read: (c: ReturnType<typeof load>['config']) => unknown;
  expect: { flag: unknown; env: unknown; file: unknown; default: unknown };
}

// One option of each type; the file, env and flag values all differ from the default and each other.
const cases: Case[] = [
  { key: 'auth-port', flag: '7001', env: '7002', file: '7003', read: (c) => c.authPort,
    expect: { flag: 7001, env: 7002, file: 7003, default: 9040 } },
  { key: 'prefer-ec-token-signer', flag: 'true', env: 'yes', file: 'true', read: (c) => c.preferEcTokenSigner,
    expect: { flag: true, env: true, file: true, default: false } },
  { key: 'enable-pkce', flag: 'false', env: 'on', file: 'off', read: (c) => c.enablePkce,
    expect: { flag: false, env: true, file: false, default: true } },
  { key: 'auth-domain', flag: 'flag.example', env: 'env.example', file: 'file.example', read: (c) => c.authDomain,
    expect: { flag: 'flag.example', env: 'env.example', file: 'file.example', default: 'localhost' } },
  { key: 'trusted-proxies', flag: '10.0.0.1', env: '10.0.0.2, 10.0.0.3', file: '10.0.0.4', read: (c) => c.trustedProxies,
    expect: { flag: ['10.0.0.1'], env: ['10.0.0.2', '10.0.0.3'], file: ['10.0.0.4'], default: [] } },
];

const envKey = (key: string): string => 'MAD_' + key.toUpperCase().replace(/-/g, '_');

describe('precedence: flag > env > file > default', () => {
  it.each(cases)('$key', (c) => {
    const cwd = tempCwd();
    writeConf(cwd, `${c.key} = ${c.file}\n`);
    const env: Env = { [envKey(c.key)]: c.env };
    const flag = [`--${c.key}`, c.flag];

    expect(c.read(load(flag, env, cwd).config)).toEqual(c.expect.flag);
    expect(c.read(load([], env, cwd).config)).toEqual(c.expect.env);
    expect(c.read(load([], {}, cwd).config)).toEqual(c.expect.file);
    expect(c.read(load([], {}, tempCwd()).config)).toEqual(c.expect.default);
  });

  it('reports which keys were given explicitly, and which file was used', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'auth-domain = a.example\n');
    const r = load(['--auth-port', '7000'], { MAD_LOG_LEVEL: 'debug' }, cwd);
    expect([...r.explicit].sort()).toEqual(['auth-domain', 'auth-port', 'log-level']);
    expect(r.configFileUsed).toBe(path);
    expect(load([], {}, tempCwd()).configFileUsed).toBeNull();
  });
});

describe('environment prefix', () => {
  it('--env-var-prefix changes which variables are read', () => {
    const r = load(['--env-var-prefix', 'IDP_'], { IDP_AUTH_PORT: '7100', MAD_AUTH_PORT: '7200' });
    expect(r.config.authPort).toBe(7100);
    expect(r.config.envVarPrefix).toBe('IDP_');
  });

  it('MAD_ENV_VAR_PREFIX changes it too, and <prefix>CONFIG names the file', () => {
    const cwd = tempCwd();
    const path = writeConf(cwd, 'auth-domain = from.file\n', 'other.conf');
    const r = load([], { MAD_ENV_VAR_PREFIX: 'IDP_', IDP_CONFIG: path, MAD_AUTH_PORT: '7200' }, cwd);
    expect(r.config.authDomain).toBe('from.file');
    expect(r.config.authPort).toBe(9040);
    expect(r.configFileUsed).toBe(path);
  });

  it('warns about prefixed variables that match no option', () => {
    const r = load([], { MAD_ARGON2_TIME: '3', MAD_ADMIN_URL: 'http://x' });
    expect(r.warnings).toContain('MAD_ARGON2_TIME is set but is not a microauthd option (ignored)');
    expect(r.warnings.join('\n')).not.toContain('MAD_ADMIN_URL');
  });
});

/** A valid value that differs from the default, as a raw string, plus what the config should hold. */
function sample(def: OptionDef, cwd: string): { raw: string; want: unknown } {
  const special: Record<string, string> = {
    'auth-ip': '::1', 'admin-ip': '127.0.0.2', 'auth-domain': 'id.example:8443/base', 'admin-email': 'root@example.org',
    'oidc-issuer': 'https://issuer.example', 'totp-qr-output-root': '/var/qr', 'env-var-prefix': 'XY_',
    'config': writeConf(cwd, '# empty\n', 'explicit.conf'), 'trusted-proxies': '10.1.1.1', 'cors-origins': 'https://app.example',
  };
  switch (def.type) {
    case 'int': {
      const n = def.default === def.min ? def.min + 1 : def.min;
      return { raw: String(n), want: n };
    }
    case 'bool':
      return { raw: String(!def.default), want: !def.default };
    case 'enum': {
      const other = def.enumValues.find((v) => v !== def.default) ?? '';
      return { raw: other, want: other };
    }
    case 'list': {
      const raw = special[def.key] ?? 'a,b';
      return { raw, want: raw.split(',') };
    }
    case 'string': {
      const raw = special[def.key] ?? 'custom-value';
      return { raw, want: def.path === true ? resolve(cwd, raw) : raw };
    }
  }
}

const camel = (key: string): string => key.replace(/-([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());

describe('every option is reachable from MAD_* (the original only honoured MAD_CONFIG)', () => {
  it.each((OPTIONS as readonly OptionDef[]).map((d) => [d.key, d] as const))('%s', (_key, def) => {
    const cwd = tempCwd();
    const { raw, want } = sample(def, cwd);
    const r = load([], { [envKey(def.key)]: raw }, cwd);
    expect((r.config as unknown as Record<string, unknown>)[camel(def.key)]).toEqual(want);
    expect(r.explicit.has(def.key)).toBe(true);
  });
});
