/**
 * The ONE table of configuration options. Everything else is derived from it:
 * the yargs flags, the environment variable names, the config-file keys, the
 * typed `Config`, the range checks, `--print-effective-config` and
 * docs/configuration.md. Add an option here and it exists everywhere.
 *
 * Key names are the original microauthd's (reference/config.md §2) so that
 * existing flags, `MAD_*` variables and mad.conf files keep working.
 */

export type Plane = 'auth' | 'admin';

export const GROUPS = {
  general: 'General',
  'first-run': 'First-run administrator',
  database: 'Database',
  'auth-plane': 'AUTH plane (public OAuth 2.0 / OpenID Connect)',
  'admin-plane': 'ADMIN plane',
  http: 'HTTP hardening (both planes)',
  keys: 'Token signing keys',
  tokens: 'Tokens, sessions and PKCE',
  passwords: 'Passwords, login failures and TOTP',
  audit: 'Audit log',
} as const;
export type Group = keyof typeof GROUPS;

interface BaseDef {
  readonly key: string;
  readonly group: Group;
  readonly description: string;
  /** Never printed: masked in --print-effective-config, never echoed in messages. */
  readonly secret?: true;
  /** A file path: a relative value is resolved against the working directory. */
  readonly path?: true;
  /** Not an option of the original server. */
  readonly ours?: true;
  /** The original accepted this only in the config file (not registered on its CLI). */
  readonly fileOnly?: true;
  /** Our default differs from the original's: what it was and why we changed it. */
  readonly changed?: { readonly from: string; readonly why: string };
}

export type OptionDef = BaseDef &
  (
    | { readonly type: 'string'; readonly default: string }
    | { readonly type: 'int'; readonly default: number; readonly min: number; readonly max: number }
    | { readonly type: 'bool'; readonly default: boolean }
    | { readonly type: 'list'; readonly default: readonly string[] }
    | { readonly type: 'enum'; readonly default: string; readonly enumValues: readonly string[] }
  );
export type OptionType = OptionDef['type'];

const SHORT_CODES = 'Authorization codes must be short-lived (RFC 6749 §4.1.2, RFC 9700); 60 s is ample for one redirect.';
const CACHE_MEANING =
  'It now governs only the in-memory verification cache for admin-supplied client secrets; user passwords are never cached.';
const KEYS_IN_DB = 'Keys are generated into the encrypted database; a PEM path given here is imported once.';

export const OPTIONS = [
  // ── general ──────────────────────────────────────────────────────────────
  { key: 'config', group: 'general', type: 'string', default: 'mad.conf', path: true,
    description: 'Config file. A missing default `mad.conf` is skipped silently; a missing file named explicitly is an error.' },
  { key: 'env-var-prefix', group: 'general', type: 'string', default: 'MAD_',
    description: 'Prefix of environment variable names. Read from the flag or `MAD_ENV_VAR_PREFIX` only (it must be known before the file is read).' },
  { key: 'print-effective-config', group: 'general', type: 'bool', default: false,
    description: 'Print every option as `key = value` (secrets masked) and exit.' },
  { key: 'no-prompt', group: 'general', type: 'bool', default: false, ours: true,
    description: 'Never run the interactive first-run wizard; create the first admin from the first-run options instead.' },
  { key: 'docker', group: 'general', type: 'bool', default: false, fileOnly: true,
    description: 'Original name for a non-interactive (container) start; we treat it like `no-prompt`.' },
  { key: 'log-file', group: 'general', type: 'string', default: '', path: true,
    changed: { from: '`microauthd.log`', why: 'We log JSON lines to stdout, which containers and journald collect; give a path to write to a file instead.' },
    description: 'Log file. Empty = JSON lines on stdout.' },
  { key: 'log-level', group: 'general', type: 'enum', default: 'info', ours: true,
    enumValues: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'Minimum level written to the log.' },

  // ── first-run administrator ──────────────────────────────────────────────
  { key: 'admin-username', group: 'first-run', type: 'string', default: '', ours: true,
    description: 'Username of the first administrator, created only when the database does not exist yet.' },
  { key: 'admin-email', group: 'first-run', type: 'string', default: '', ours: true,
    description: 'Email of the first administrator.' },
  { key: 'admin-password', group: 'first-run', type: 'string', default: '', ours: true, secret: true,
    description: 'Password of the first administrator. Empty = generated and written once to a 0600 file whose path is printed.' },

  // ── database ─────────────────────────────────────────────────────────────
  { key: 'db-file', group: 'database', type: 'string', default: 'mad.db3', path: true,
    description: 'SQLite/SQLCipher database file.' },
  { key: 'db-pass', group: 'database', type: 'string', default: '', secret: true,
    description: 'Database encryption key. Prefer `MAD_DB_PASS` or `db-key-file`: a flag is visible in the process list.' },
  { key: 'no-db-pass', group: 'database', type: 'bool', default: false,
    description: 'Store the database UNENCRYPTED (a loud warning is logged at every start).' },
  { key: 'db-key-file', group: 'database', type: 'string', default: '', path: true, ours: true,
    description: 'File holding the database key. Empty = `<db-file>.key`, created (0600) with a random key when no `db-pass` is given.' },
  { key: 'db-synchronous', group: 'database', type: 'enum', default: 'NORMAL', ours: true, enumValues: ['NORMAL', 'FULL'],
    description: 'SQLite `synchronous` pragma in WAL mode. NORMAL may lose the last transactions on power loss (not on a crash); FULL is durable but slower.' },
  // 8, not more: a commit whose page splits reorder pages (most do) scans the whole cache (docs/performance.md).
  { key: 'db-cache-mb', group: 'database', type: 'int', default: 8, min: 2, max: 4096, ours: true,
    description: 'SQLite page cache in MiB (filled on demand). A page read from disk is decrypted and authenticated, so the cache saves that work for pages read again; but most commits scan the whole cache once, so a larger cache makes every write cost more. Raise it for read-heavy admin use on a large database.' },
  { key: 'db-checkpoint-ms', group: 'database', type: 'int', default: 200, min: 0, max: 60000, ours: true,
    description: 'How often a worker thread copies committed WAL pages into the database file (each is decrypted and encrypted again). 0 = the serving thread does it after its own commits, as SQLite does by default.' },

  // ── AUTH plane ───────────────────────────────────────────────────────────
  { key: 'auth-ip', group: 'auth-plane', type: 'string', default: '127.0.0.1', description: 'AUTH plane bind address (IPv4 or IPv6).' },
  { key: 'auth-port', group: 'auth-plane', type: 'int', default: 9040, min: 0, max: 65535, description: 'AUTH plane port (0 = any free port, printed at start).' },
  { key: 'auth-domain', group: 'auth-plane', type: 'string', default: 'localhost',
    description: 'External host of the AUTH plane, optionally with `:port` and `/path`; the issuer is `https://<auth-domain>` unless `oidc-issuer` is a URL.' },
  { key: 'auth-domain-no-ssl', group: 'auth-plane', type: 'bool', default: false,
    description: 'Derive the issuer and discovery URLs with `http://` instead of `https://`.' },
  { key: 'auth-ssl-cert-file', group: 'auth-plane', type: 'string', default: '', path: true,
    description: 'TLS certificate for the AUTH listener; empty = plain HTTP (e.g. behind a TLS-terminating proxy).' },
  { key: 'auth-ssl-cert-pass', group: 'auth-plane', type: 'string', default: '', secret: true,
    description: 'Password of `auth-ssl-cert-file`.' },
  { key: 'oidc-issuer', group: 'auth-plane', type: 'string', default: 'microauthd',
    description: 'Issuer (`iss`). An `http(s)://` URL is used as-is (the original parsed but ignored it); anything else means "derive from auth-domain".' },
  { key: 'oidc-client-id', group: 'auth-plane', type: 'string', default: 'app',
    description: 'Accepted for compatibility; the original parsed this option but never used it.' },
  { key: 'oidc-client-secret', group: 'auth-plane', type: 'string', default: '', secret: true,
    description: 'Accepted for compatibility; the original parsed this option but never used it.' },
  { key: 'cors-origins', group: 'auth-plane', type: 'list', default: [], ours: true,
    description: 'Comma-separated origins (`https://host[:port]`) allowed to call the AUTH plane from a browser. Never applied to the ADMIN plane.' },
  { key: 'serve-public-auth-files', group: 'auth-plane', type: 'bool', default: false,
    description: 'Serve `./public` at `/` on the AUTH plane.' },
  { key: 'enable-auth-swagger', group: 'auth-plane', type: 'bool', default: false,
    description: 'Swagger UI at `/swagger` on the AUTH plane, served locally; also serves the plane\'s `/openapi.json` it reads.' },

  // ── ADMIN plane ──────────────────────────────────────────────────────────
  { key: 'admin-ip', group: 'admin-plane', type: 'string', default: '127.0.0.1',
    description: 'ADMIN plane bind address. A non-loopback address exposes the admin API (warning).' },
  { key: 'admin-port', group: 'admin-plane', type: 'int', default: 9041, min: 0, max: 65535, description: 'ADMIN plane port (0 = any free port, printed at start).' },
  { key: 'admin-domain', group: 'admin-plane', type: 'string', default: 'localhost', description: 'External host of the ADMIN plane.' },
  { key: 'admin-domain-no-ssl', group: 'admin-plane', type: 'bool', default: false, description: 'ADMIN plane external URLs use `http://`.' },
  { key: 'admin-ssl-cert-file', group: 'admin-plane', type: 'string', default: '', path: true,
    description: 'TLS certificate for the ADMIN listener; empty = plain HTTP.' },
  { key: 'admin-ssl-cert-pass', group: 'admin-plane', type: 'string', default: '', secret: true,
    description: 'Password of `admin-ssl-cert-file`.' },
  { key: 'enable-admin-swagger', group: 'admin-plane', type: 'bool', default: false,
    description: 'Swagger UI at `/swagger` on the ADMIN plane, served locally; also serves the plane\'s `/openapi.json` it reads.' },
  { key: 'enable-dashboard', group: 'admin-plane', type: 'bool', default: true, ours: true,
    description: 'Serve the admin dashboard at `/dashboard` on the ADMIN plane.' },

  // ── HTTP hardening ───────────────────────────────────────────────────────
  { key: 'trusted-proxies', group: 'http', type: 'list', default: [],
    description: 'Comma-separated proxy IPs (exact addresses, no CIDR) whose `X-Forwarded-For`/`-Proto` headers are honoured.' },
  { key: 'rate-limit-window', group: 'http', type: 'int', default: 60, min: 1, max: 3600, ours: true,
    description: 'Rate-limit window in seconds.' },
  { key: 'rate-limit-auth', group: 'http', type: 'int', default: 600, min: 0, max: 1_000_000, ours: true,
    description: 'Requests per window per client IP on `/token`, `/oidc/token`, login, `/introspect` and `/revoke`; 0 disables (original: hard-coded 20/min).' },
  { key: 'rate-limit-admin', group: 'http', type: 'int', default: 1200, min: 0, max: 1_000_000, ours: true,
    description: 'Requests per window per client IP on the ADMIN plane; 0 disables (original: hard-coded 180/min).' },
  { key: 'body-limit', group: 'http', type: 'int', default: 65536, min: 1024, max: 10_485_760, ours: true,
    description: 'Maximum request body size in bytes.' },
  { key: 'request-timeout', group: 'http', type: 'int', default: 30, min: 1, max: 600, ours: true,
    description: 'Seconds before an unfinished request is aborted.' },
  { key: 'enable-openapi', group: 'http', type: 'bool', default: false, ours: true,
    description: 'Serve each plane\'s OpenAPI 3.1 description at `/openapi.json` (public: routes, no data).' },

  // ── signing keys ─────────────────────────────────────────────────────────
  { key: 'token-signing-key-file', group: 'keys', type: 'string', default: '', path: true,
    changed: { from: '`token.pem`', why: KEYS_IN_DB },
    description: 'PEM private key to import for the AUTH plane. Empty = generate one in the database.' },
  { key: 'prefer-ec-token-signer', group: 'keys', type: 'bool', default: false,
    description: 'Generate a P-256 (ES256) key instead of RSA for the AUTH plane.' },
  { key: 'token-signing-key-length-rsa', group: 'keys', type: 'int', default: 2048, min: 2048, max: 16384,
    description: 'RSA modulus bits when generating the AUTH key.' },
  { key: 'token-signing-key-pass', group: 'keys', type: 'string', default: '', secret: true,
    description: 'Passphrase of an encrypted PKCS#8 `token-signing-key-file`.' },
  { key: 'admin-token-signing-key-file', group: 'keys', type: 'string', default: '', path: true,
    changed: { from: '`admin_token.pem`', why: KEYS_IN_DB },
    description: 'PEM private key to import for the ADMIN plane. Empty = generate one in the database.' },
  { key: 'prefer-ec-admin-token-signer', group: 'keys', type: 'bool', default: false,
    description: 'Generate a P-256 (ES256) key instead of RSA for the ADMIN plane.' },
  { key: 'admin-token-signing-key-length-rsa', group: 'keys', type: 'int', default: 2048, min: 2048, max: 16384,
    description: 'RSA modulus bits when generating the ADMIN key.' },
  { key: 'admin-token-signing-key-pass', group: 'keys', type: 'string', default: '', secret: true,
    description: 'Passphrase of an encrypted PKCS#8 `admin-token-signing-key-file`.' },
  { key: 'key-rotation-days', group: 'keys', type: 'int', default: 0, min: 0, max: 3650, ours: true,
    description: 'Rotate each plane\'s signing key every N days; 0 = no scheduled rotation (rotate with `mad key rotate`).' },

  // ── tokens ───────────────────────────────────────────────────────────────
  { key: 'token-expiration', group: 'tokens', type: 'int', default: 900, min: 60, max: 86400,
    changed: { from: '3600', why: 'Short-lived access tokens shrink the window in which a leaked bearer token is useful; clients renew with refresh tokens.' },
    description: 'AUTH access-token lifetime in seconds (a client\'s `TOKEN_EXPIRATION` feature overrides it).' },
  { key: 'admin-token-expiration', group: 'tokens', type: 'int', default: 3600, min: 60, max: 604800,
    changed: { from: '3600 on the command line, 28800 in mad.orig.conf', why: 'Admin tokens carry full control; one hour is the ceiling we ship.' },
    description: 'ADMIN token lifetime in seconds.' },
  { key: 'id-token-expiration', group: 'tokens', type: 'int', default: 600, min: 60, max: 86400, ours: true,
    description: 'ID token lifetime in seconds (original: hard-coded 600).' },
  { key: 'enable-token-revocation', group: 'tokens', type: 'bool', default: true,
    changed: { from: 'true, though its help text and mad.orig.conf said false', why: 'Revoking a session or logging out must take effect on the next request.' },
    description: 'Check the session row on every bearer request so revoked tokens stop working at once.' },
  { key: 'enable-token-refresh', group: 'tokens', type: 'bool', default: true,
    changed: { from: 'false', why: 'With 15-minute access tokens, clients need (rotating) refresh tokens.' },
    description: 'Issue refresh tokens and enable the `refresh_token` grant.' },
  { key: 'disable-token-refresh', group: 'tokens', type: 'bool', default: false, ours: true,
    description: 'Turn refresh tokens off; wins over `enable-token-refresh`.' },
  { key: 'refresh-token-expiration', group: 'tokens', type: 'int', default: 259200, min: 300, max: 31_536_000,
    description: 'Refresh-token lifetime in seconds (a client\'s `REFRESH_TOKEN_EXPIRATION` feature overrides it).' },
  { key: 'refresh-reuse-grace-seconds', group: 'tokens', type: 'int', default: 0, min: 0, max: 60, ours: true,
    description: 'Seconds during which a just-rotated refresh token may be presented again (network retries) without being treated as reuse.' },
  { key: 'token-purge-days', group: 'tokens', type: 'int', default: 7, min: 0, max: 365, fileOnly: true,
    description: 'Purge expired or revoked sessions older than N days, hourly; 0 disables.' },
  { key: 'refresh-token-purge-days', group: 'tokens', type: 'int', default: 7, min: 0, max: 365, fileOnly: true,
    description: 'Purge expired or revoked refresh tokens older than N days, hourly; 0 disables.' },
  { key: 'enable-pkce', group: 'tokens', type: 'bool', default: true, fileOnly: true,
    description: 'Enable the authorization-code + PKCE flow routes.' },
  { key: 'pkce-code-lifetime', group: 'tokens', type: 'int', default: 60, min: 1, max: 600, fileOnly: true,
    changed: { from: '120', why: SHORT_CODES },
    description: 'Authorization-code lifetime in seconds; a value above 60 is capped at 60, with a warning.' },
  { key: 'auth-session-lifetime', group: 'tokens', type: 'int', default: 300, min: 30, max: 3600, ours: true,
    description: 'Seconds a login page session may take before it must start over (original: hard-coded 300).' },

  // ── passwords ────────────────────────────────────────────────────────────
  { key: 'argon2id-time', group: 'passwords', type: 'int', default: 2, min: 1, max: 100, description: 'Argon2id iterations (t).' },
  { key: 'argon2id-memory', group: 'passwords', type: 'int', default: 32768, min: 256, max: 1_048_576,
    description: 'Argon2id memory in KiB (m); below 8192 is insecure for production (warning).' },
  { key: 'argon2id-parallelism', group: 'passwords', type: 'int', default: 2, min: 1, max: 64, description: 'Argon2id lanes (p).' },
  { key: 'argon2id-hash-length', group: 'passwords', type: 'int', default: 32, min: 16, max: 1024, description: 'Argon2id output bytes.' },
  { key: 'argon2id-salt-length', group: 'passwords', type: 'int', default: 16, min: 8, max: 1024, description: 'Argon2id salt bytes.' },
  { key: 'argon2-max-concurrency', group: 'passwords', type: 'int', default: 0, min: 0, max: 256, ours: true,
    description: 'Maximum concurrent Argon2id computations (each uses `argon2id-memory`); 0 = 2 × CPU cores.' },
  { key: 'enable-pass-cache', group: 'passwords', type: 'bool', default: true, fileOnly: true,
    changed: { from: 'true, for a cache of verified user passwords', why: CACHE_MEANING },
    description: 'Cache successful client-secret verifications in memory.' },
  { key: 'pass-cache-duration', group: 'passwords', type: 'int', default: 60, min: 1, max: 600, fileOnly: true,
    changed: { from: '300', why: CACHE_MEANING },
    description: 'Seconds a client-secret verification stays cached.' },
  { key: 'max-login-failures', group: 'passwords', type: 'int', default: 5, min: 0, max: 100,
    description: 'Failed logins before an account is locked; 0 disables lockout (warning).' },
  { key: 'seconds-to-reset-login-failures', group: 'passwords', type: 'int', default: 300, min: 1, max: 86400,
    description: 'Window in seconds in which failures are counted.' },
  { key: 'failed-password-lockout-duration', group: 'passwords', type: 'int', default: 900, min: 0, max: 86400,
    changed: { from: '300', why: 'Fifteen minutes (security.md): long enough to make guessing slow, short enough not to shut a user out for long.' },
    description: 'Lockout length in seconds.' },
  { key: 'totp-qr-output-root', group: 'passwords', type: 'string', default: '',
    description: 'Absolute directory for TOTP QR-code SVG files; empty = none written.' },

  // ── audit ────────────────────────────────────────────────────────────────
  { key: 'enable-audit-logging', group: 'audit', type: 'bool', default: true, fileOnly: true,
    changed: { from: 'false', why: 'Logins and admin actions should leave a trail by default (and the original\'s wizard wrote `True`, which it then read as false).' },
    description: 'Record logins, token issuance and admin actions in the audit log. Off writes no audit records at all (a warning is logged at start); each record costs the token path about 70 µs of CPU (docs/performance.md).' },
  { key: 'audit-log-retention-days', group: 'audit', type: 'int', default: 30, min: 0, max: 36500, fileOnly: true,
    description: 'Purge audit entries older than N days, hourly; 0 keeps them forever.' },
] as const satisfies readonly OptionDef[];

export type OptionKey = (typeof OPTIONS)[number]['key'];

/** 'argon2id-time' -> 'argon2idTime' (type level and value level agree). */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<D> = D extends { readonly type: 'int' }
  ? number
  : D extends { readonly type: 'bool' }
    ? boolean
    : D extends { readonly type: 'list' }
      ? readonly string[]
      : D extends { readonly type: 'enum'; readonly enumValues: readonly (infer E)[] }
        ? E
        : string;

/** The validated, deep-frozen configuration: one readonly property per option. */
export type Config = {
  readonly [D in (typeof OPTIONS)[number] as Camel<D['key']>]: ValueOf<D>;
};

export type OptionValue = string | number | boolean | readonly string[];

export function camelKey(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function envName(prefix: string, key: string): string {
  return prefix + key.toUpperCase().replace(/-/g, '_');
}

export const DEFAULT_ENV_PREFIX = 'MAD_';

const BY_KEY: ReadonlyMap<string, OptionDef> = new Map(OPTIONS.map((o: OptionDef) => [o.key, o]));

export function optionDef(key: string): OptionDef | undefined {
  return BY_KEY.get(key);
}

/**
 * The `--no-<key>` flag of a bool option, if it has one: not for options that
 * already start with `no-` (`--no-no-db-pass` would only confuse) nor where
 * `no-<key>` is itself an option.
 */
export function negationOf(def: OptionDef): string | undefined {
  const neg = `no-${def.key}`;
  return def.type === 'bool' && !def.key.startsWith('no-') && !BY_KEY.has(neg) ? neg : undefined;
}
