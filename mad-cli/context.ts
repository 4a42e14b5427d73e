import { decodeJwt } from 'jose';
import { AdminClient } from '../bindings/typescript/index.js';
import { UsageError } from './errors.js';
import { Output, type Format } from './output.js';
import { fileTokenStore, noTokenStore, type TokenStore } from './token-store.js';

/** Options every command accepts. */
export interface GlobalArgs {
  'admin-url'?: string | undefined;
  'admin-token'?: string | undefined;
  json?: boolean | undefined;
  format?: Format | undefined;
  quiet?: boolean | undefined;
  config?: boolean | undefined; // --no-config sets it to false
}

export const DEFAULT_ADMIN_URL = 'http://localhost:9041';

/** What a command handler works with: the output, the token files, and an admin client. */
export interface Cli {
  out: Output;
  store: TokenStore;
  adminUrl: string;
  /** An AdminClient carrying the admin token (throws a usage error when there is none). */
  client(): AdminClient;
  /** An AdminClient without a token (ping, version, login). */
  anonymousClient(): AdminClient;
}

/** Precedence: flag > environment (MAD_ADMIN_URL, MAD_ADMIN_TOKEN) > ~/.mad_url, ~/.mad_token > default. */
export function createCli(argv: GlobalArgs): Cli {
  const out = new Output({ json: argv.json === true, format: argv.format, quiet: argv.quiet === true });
  const store = argv.config === false ? noTokenStore : fileTokenStore();
  const adminUrl = (argv['admin-url'] || process.env.MAD_ADMIN_URL || store.readUrl() || DEFAULT_ADMIN_URL).replace(/\/+$/, '');
  return {
    out,
    store,
    adminUrl,
    client() {
      const token = argv['admin-token'] || process.env.MAD_ADMIN_TOKEN || store.readToken();
      if (!token) throw new UsageError('No admin token. Use --admin-token, MAD_ADMIN_TOKEN or `mad session login`.');
      warnIfExpired(token, out);
      return new AdminClient({ baseUrl: adminUrl, token });
    },
    anonymousClient: () => new AdminClient({ baseUrl: adminUrl }),
  };
}

/** The expired-token (or not-a-JWT) warning on stderr. */
export function warnIfExpired(token: string, out: Output): void {
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number' && exp * 1000 < Date.now()) {
      out.warn('Token is expired; commands may no longer work. Please re-login with `mad session login`.');
    }
  } catch {
    out.warn('The stored admin token is not a JWT; commands will likely fail. Please re-login.');
  }
}
