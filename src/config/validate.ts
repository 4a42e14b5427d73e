/**
 * Startup validation: a table of checks, run in full so that ALL problems are
 * reported at once (dex `Config.Validate`), followed by deep-freezing.
 * Errors stop the server; warnings flag settings that are legal but insecure
 * (dex warns the same way about gRPC without mTLS). Every message starts with
 * the exact option key; when the value did not come from the default, the
 * source (`--flag`, `MAD_VAR`, file line) is appended in brackets.
 */
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { OPTIONS, envName, type Config, type OptionDef, type OptionKey } from './schema.js';
import { isUrlIssuer } from './issuer.js';

export interface ValidationContext {
  /** Option key -> where its value came from; absent = default. */
  readonly sources: ReadonlyMap<string, string>;
  /** Option keys given on the command line. */
  readonly fromCli: ReadonlySet<string>;
  /** Option keys whose given value did not parse (already reported; their checks are skipped). */
  readonly unparsed: ReadonlySet<string>;
}

interface Check {
  readonly key: OptionKey;
  readonly level: 'error' | 'warning';
  /** Other options the check reads: skipped if any of them failed to parse. */
  readonly also?: readonly OptionKey[];
  /** Returns one message per problem (most checks have at most one). */
  readonly problems: (c: Config, ctx: ValidationContext) => readonly string[];
}

const when =
  (bad: (c: Config, ctx: ValidationContext) => boolean, message: (c: Config) => string) =>
  (c: Config, ctx: ValidationContext): string[] =>
    bad(c, ctx) ? [message(c)] : [];

const q = (s: string): string => JSON.stringify(s);
const WILDCARDS = new Set(['0.0.0.0', '::']);

function isLoopback(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, '');
  return ip === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

/** Two listeners clash on the same port if the IPs are equal or either is a wildcard (port 0 = ephemeral, never clashes). */
function listenersClash(c: Config): boolean {
  if (c.authPort !== c.adminPort || c.authPort === 0) return false;
  return c.authIp === c.adminIp || WILDCARDS.has(c.authIp) || WILDCARDS.has(c.adminIp);
}

function parsesAsUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** auth-domain is `host[:port][/path]` – no scheme, query, fragment or credentials. */
function badDomain(d: string): boolean {
  if (d === '' || /[\s?#@]/.test(d) || d.includes('://')) return true;
  return parsesAsUrl(`https://${d}`) === undefined;
}

/** A CORS origin is exactly `http(s)://host[:port]` – the form browsers send in `Origin`. */
function badOrigin(o: string): boolean {
  return !/^https?:\/\/[^/?#@\s]+$/i.test(o) || parsesAsUrl(o) === undefined;
}

function badIssuerUrl(s: string): boolean {
  const u = parsesAsUrl(s);
  return u === undefined || /[?#]/.test(s) || u.username !== '' || u.password !== '';
}

const SECRET_KEYS = (OPTIONS as readonly OptionDef[]).filter((d) => d.secret === true).map((d) => d.key as OptionKey);

const CHECKS: readonly Check[] = [
  { key: 'env-var-prefix', level: 'error', problems: when((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.envVarPrefix),
    (c) => `env-var-prefix must be letters, digits and underscores, not starting with a digit (got ${q(c.envVarPrefix)})`) },
  { key: 'auth-ip', level: 'error', problems: when((c) => isIP(c.authIp) === 0, (c) => `auth-ip must be an IPv4 or IPv6 address (got ${q(c.authIp)})`) },
  { key: 'admin-ip', level: 'error', problems: when((c) => isIP(c.adminIp) === 0, (c) => `admin-ip must be an IPv4 or IPv6 address (got ${q(c.adminIp)})`) },
  { key: 'admin-port', level: 'error', also: ['admin-ip', 'auth-ip', 'auth-port'], problems: when(listenersClash,
    (c) => `admin-ip:admin-port must not equal auth-ip:auth-port (both listen on ${c.adminIp}:${c.adminPort} / ${c.authIp}:${c.authPort})`) },
  { key: 'auth-domain', level: 'error', problems: when((c) => badDomain(c.authDomain),
    (c) => `auth-domain must be host[:port][/path] without scheme, query or fragment (got ${q(c.authDomain)})`) },
  { key: 'oidc-issuer', level: 'error', problems: when((c) => isUrlIssuer(c.oidcIssuer) && badIssuerUrl(c.oidcIssuer),
    (c) => `oidc-issuer must be a valid URL without query, fragment or credentials (got ${q(c.oidcIssuer)})`) },
  { key: 'totp-qr-output-root', level: 'error', problems: when((c) => c.totpQrOutputRoot !== '' && !isAbsolute(c.totpQrOutputRoot),
    (c) => `totp-qr-output-root must be empty or an absolute path (got ${q(c.totpQrOutputRoot)})`) },
  { key: 'trusted-proxies', level: 'error', problems: (c) =>
    c.trustedProxies.filter((p) => isIP(p) === 0).map((p) => `trusted-proxies entry ${q(p)} is not an IP address (exact IPs only, no CIDR)`) },
  { key: 'cors-origins', level: 'error', problems: (c) =>
    c.corsOrigins.filter(badOrigin).map((o) => `cors-origins entry ${q(o)} must be http(s)://host[:port] with no path, query or trailing slash`) },
  { key: 'admin-email', level: 'error', problems: when((c) => c.adminEmail !== '' && !/^[^\s@]+@[^\s@]+$/.test(c.adminEmail),
    (c) => `admin-email must be an email address (got ${q(c.adminEmail)})`) },

  // Legal but insecure: loud warnings.
  { key: 'admin-ip', level: 'warning', problems: when((c) => isIP(c.adminIp) !== 0 && !isLoopback(c.adminIp),
    (c) => `admin-ip ${c.adminIp} is not a loopback address: the admin plane is exposed to the network`) },
  { key: 'no-db-pass', level: 'warning', problems: when((c) => c.noDbPass,
    () => 'no-db-pass is set: the database is NOT encrypted') },
  { key: 'db-pass', level: 'warning', also: ['no-db-pass'], problems: when((c) => c.noDbPass && c.dbPass !== '',
    () => 'db-pass is ignored because no-db-pass is set') },
  ...SECRET_KEYS.map((key): Check => ({ key, level: 'warning', problems: when((_c, ctx) => ctx.fromCli.has(key),
    (c) => `${key} given on the command line is visible in the process list; prefer ${envName(c.envVarPrefix, key)}${key === 'db-pass' ? ' or a key file (db-key-file)' : ''}`) })),
  { key: 'argon2id-memory', level: 'warning', problems: when((c) => c.argon2idMemory < 8192,
    (c) => `argon2id-memory ${c.argon2idMemory} KiB is below 8192: insecure for production`) },
  { key: 'pkce-code-lifetime', level: 'warning', problems: when((c) => c.pkceCodeLifetime > 60,
    (c) => `pkce-code-lifetime ${c.pkceCodeLifetime} s is above 60: authorization codes live 60 s at most (RFC 9700)`) },
  { key: 'max-login-failures', level: 'warning', problems: when((c) => c.maxLoginFailures === 0,
    () => 'max-login-failures is 0: account lockout is disabled') },
];

/** Range of every int option, straight from the schema. */
function rangeErrors(values: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const def of OPTIONS as readonly OptionDef[]) {
    const v = values[def.key];
    if (def.type === 'int' && typeof v === 'number' && (v < def.min || v > def.max)) {
      out.push([def.key, `${def.key} must be ${def.min}–${def.max} (got ${v})`]);
    }
  }
  return out;
}

export function validate(
  values: Readonly<Record<string, unknown>>,
  config: Config,
  ctx: ValidationContext,
): { errors: string[]; warnings: string[] } {
  const withSource = (key: string, msg: string): string => {
    const src = ctx.sources.get(key);
    return src === undefined ? msg : `${msg} [${src}]`;
  };
  const errors = rangeErrors(values).map(([k, m]) => withSource(k, m));
  const warnings: string[] = [];
  for (const check of CHECKS) {
    if ([check.key, ...(check.also ?? [])].some((k) => ctx.unparsed.has(k))) continue;
    const found = check.problems(config, ctx).map((m) => withSource(check.key, m));
    (check.level === 'error' ? errors : warnings).push(...found);
  }
  return { errors, warnings };
}

/** Freeze an object graph so no code path can change the config after startup. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
