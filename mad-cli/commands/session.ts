import { decodeJwt } from 'jose';
import { AdminClient, MadApiError } from '../../bindings/typescript/index.js';
import { command, group } from '../command.js';
import { warnIfExpired } from '../context.js';
import { UsageError } from '../errors.js';
import { ask, readStdin } from '../prompt.js';

interface LoginArgs {
  username?: string;
  'password-stdin'?: boolean;
  'client-id': string;
}

/** Credentials without a terminal: --username + --password-stdin, or MAD_ADMIN_USERNAME/MAD_ADMIN_PASSWORD. */
async function credentials(argv: LoginArgs): Promise<{ username: string; password: string }> {
  const tty = process.stdin.isTTY === true;
  let username = argv.username || process.env.MAD_ADMIN_USERNAME || '';
  if (!username && tty) username = await ask('Username: ');
  let password = argv['password-stdin'] ? await readStdin() : process.env.MAD_ADMIN_PASSWORD || '';
  if (!password && tty && !argv['password-stdin']) password = await ask('Password: ', true);
  if (!username || !password) {
    throw new UsageError('No credentials: pass --username and --password-stdin, set MAD_ADMIN_USERNAME and MAD_ADMIN_PASSWORD, or run on a terminal.');
  }
  return { username, password };
}

const login = command<LoginArgs>('login', 'Sign in as an administrator and store the token in ~/.mad_token',
  (y) => y
    .option('username', { type: 'string', describe: 'Admin username (else MAD_ADMIN_USERNAME, else prompt)' })
    .option('password-stdin', { type: 'boolean', describe: 'Read the password from standard input' })
    .option('client-id', { type: 'string', default: 'admin', describe: 'client_id sent with the login' }) as never,
  async (argv, cli) => {
    // With --no-config the token would be stored nowhere: the server would hold a session nobody can use or end.
    if ((argv as { config?: boolean }).config === false) {
      throw new UsageError('session login stores its token in ~/.mad_token, which --no-config turns off. Get a token with POST /token and pass it as MAD_ADMIN_TOKEN.');
    }
    const { username, password } = await credentials(argv);
    const client = cli.anonymousClient();
    const res = await client.login(username, password, argv['client-id']);
    cli.store.save(res.access_token, cli.adminUrl);
    const sub = String(decodeJwt(res.access_token).sub ?? '');
    cli.out.result({ success: true, sub, message: 'Login successful' },
      () => `Logged in as ${sub}. Run \`mad session logout\` when finished.`);
  });

/**
 * Revokes the admin token in use (--admin-token, else MAD_ADMIN_TOKEN, else ~/.mad_token) on the server, then
 * deletes ~/.mad_token when it holds that token. A token the server already refuses (401: revoked or expired)
 * counts as logged out. Any other failure (server unreachable, 5xx, …) exits 1 and keeps ~/.mad_token, so the
 * logout can be retried.
 */
const logout = command('logout', 'Revoke the admin session on the server and delete ~/.mad_token', (y) => y as never,
  async (argv, cli) => {
    const stored = cli.store.readToken();
    const token = argv['admin-token'] || process.env.MAD_ADMIN_TOKEN || stored;
    if (token) {
      let jti: unknown;
      try {
        jti = decodeJwt(token).jti;
      } catch {
        jti = undefined;
      }
      if (typeof jti === 'string') {
        const client = new AdminClient({ baseUrl: cli.adminUrl, token });
        try {
          await client.transport.request({ method: 'DELETE', path: `/sessions/${encodeURIComponent(jti)}` });
        } catch (err) {
          if (!(err instanceof MadApiError && err.status === 401)) {
            throw new MadApiError(err instanceof MadApiError ? err.status : 0,
              `Could not revoke the session on the server (${(err as Error).message}); ~/.mad_token kept, retry \`mad session logout\`.`, undefined);
          }
          cli.out.warn(`The server no longer accepts this token (${err.message}); nothing left to revoke.`);
        }
      } else {
        cli.out.warn('The admin token is not a JWT with a jti; nothing to revoke on the server.');
      }
    }
    if (stored !== undefined && stored === token) cli.store.clearToken();
    else if (stored !== undefined) cli.out.warn('~/.mad_token holds a different token; it was kept.');
    cli.out.message('Logged out. Token cache cleared.');
  });

const status = command('status', 'Show who the stored admin token belongs to (offline)', (y) => y as never,
  async (argv, cli) => {
    const token = argv['admin-token'] || process.env.MAD_ADMIN_TOKEN || cli.store.readToken();
    if (!token) {
      process.exitCode = 1;
      return cli.out.asJson ? cli.out.json({ success: false, message: 'Not logged in.' }) : cli.out.line('Not logged in.');
    }
    warnIfExpired(token, cli.out);
    const claims = decodeJwt(token);
    const roles = Array.isArray(claims.roles) && claims.roles.length ? claims.roles : claims.role;
    const role = Array.isArray(roles) ? (roles.length ? String(roles[0]) : '(none)') : typeof roles === 'string' && roles ? roles : '(none)';
    const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : '';
    cli.out.result({ success: true, sub: claims.sub ?? '', role, expires_at: expiresAt, token_use: claims.token_use ?? '' }, () => [
      `Logged in as: ${claims.sub ?? ''}`,
      `Role:         ${role}`,
      `Expires at:   ${expiresAt}`,
      `Token use:    ${String(claims.token_use ?? '')}`,
    ]);
  });

export const sessionCommands = group('session', 'Sign in and out of the admin API', [login, logout, status] as never[]);
