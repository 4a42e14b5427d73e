import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, type HttpResult } from '../helpers/http.js';
import { MAD_JS, mad, type MadResult } from '../helpers/mad.js';
import { MAIN_JS, spawnServer, type ServerProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The newcomer's path, run as written: README.md ("Two commands", the admin-token curl) and
 * docs/getting-started.md steps 1–5. Each command below is first looked up, character for character, in
 * its document (so the documents cannot change without this test noticing), then run: `npx mad …` as the
 * built `mad` binary in a fresh HOME, `curl …` as the same request with fetch. The only liberties are the
 * ones a test must take: free loopback ports instead of 9040/9041 (the URLs in the commands are rewritten
 * to the ports the ready line prints), and `--no-prompt` because there is no terminal.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const GUIDE = readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

/** Returns `text` after checking that the document still shows it exactly. */
function documented(doc: string, docName: string, text: string): string {
  expect(doc.includes(text), `${docName} no longer shows:\n${text}`).toBe(true);
  return text;
}

/** Splits a command line as sh would: blanks separate words, '…' and "…" quote, a backslash-newline continues the line. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '\\' && line[i + 1] === '\n') {
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (word !== null) words.push(word);
  return words;
}

const SED_2P = 'sed -n 2p admin-password.txt';

describe('the getting-started path, as documented', () => {
  const tmp = tempDir('getting-started-');
  /** The newcomer's checkout: where `npm start` runs, so where mad.db3 and admin-password.txt appear. */
  const cwd = join(tmp.dir, 'checkout');
  /** The newcomer's home: ~/.mad_token and ~/.mad_url. */
  const home = join(tmp.dir, 'home');
  let server: ServerProcess | undefined;
  /** Values the documents write as placeholders (`<secret>`, …), filled in as the steps produce them. */
  const placeholders = new Map<string, string>();

  beforeAll(() => {
    mkdirSync(cwd);
    mkdirSync(home);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGTERM');
    tmp.cleanup();
  });

  /** The text `$(sed -n 2p admin-password.txt)` stands for: line 2 of the file, without its newline. */
  const sed2p = (): string => readFileSync(join(cwd, 'admin-password.txt'), 'utf8').split('\n')[1] ?? '';

  /** The documented default URLs, moved to the ports this server listens on. */
  function onOurPorts(text: string): string {
    if (!server) throw new Error('the server is not running');
    return text.replaceAll('http://127.0.0.1:9040', server.authUrl).replaceAll('http://127.0.0.1:9041', server.adminUrl);
  }

  /**
   * A documented command line turned into the words the program receives, on this test's ports: the reader
   * types the values over the placeholders, then the shell splits the line and substitutes `$(sed -n 2p …)`.
   */
  function words(line: string): string[] {
    let typed = line;
    for (const [name, value] of placeholders) typed = typed.replaceAll(name, value);
    expect(typed, `a placeholder in "${line}" was not filled in`).not.toMatch(/<[a-z][^>]*>/);
    return shellWords(typed).map((w) => onOurPorts(w.replaceAll(`$(${SED_2P})`, sed2p())));
  }

  /** `npx mad …` from the checkout runs the package's `mad` bin; `< <(sed -n 2p …)` feeds it sed's output. */
  function npxMad(line: string): Promise<MadResult> {
    const redirect = ` < <(${SED_2P})`;
    const stdin = line.endsWith(redirect) ? `${sed2p()}\n` : '';
    const argv = words(line.endsWith(redirect) ? line.slice(0, -redirect.length) : line);
    expect(argv.slice(0, 2)).toEqual(['npx', 'mad']);
    return mad(argv.slice(2), { home, stdin });
  }

  /**
   * `curl …` as fetch, for the options the documents use: `-s`, `-u user:password` (Basic, not URL-encoded) and
   * `-d data` (joined with `&` and sent as given, as an application/x-www-form-urlencoded POST). Anything else fails.
   */
  function curl(line: string): Promise<HttpResult> {
    const argv = words(line);
    expect(argv[0]).toBe('curl');
    const data: string[] = [];
    const headers: Record<string, string> = {};
    let url: string | undefined;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i] as string;
      if (a === '-s') continue;
      if (a === '-u') headers.Authorization = `Basic ${Buffer.from(argv[++i] as string).toString('base64')}`;
      else if (a === '-d') data.push(argv[++i] as string);
      else if (/^https?:\/\//.test(a)) url = a;
      else throw new Error(`curl option the test does not know: ${a}`);
    }
    if (!url) throw new Error(`no URL in: ${line}`);
    if (!data.length) return http(url, { headers });
    return http(url, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: data.join('&') });
  }

  /** What a backend does (step 5, reverse-proxy.md "JWKS-aware backend"): verify against /jwks.json and the discovery issuer. */
  async function verifyAccessToken(token: string): Promise<JWTPayload> {
    const sentence = documented(GUIDE, 'getting-started.md', 'Backends verify tokens locally against `http://127.0.0.1:9040/jwks.json`');
    const jwksUrl = onOurPorts(/`(http[^`]+)`/.exec(sentence)![1] as string);
    const discovery = await http(`${server!.authUrl}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), {
      issuer: discovery.json.issuer as string, audience: 'orders-api', typ: 'at+jwt', algorithms: ['RS256', 'ES256'],
    });
    expect([payload.mad, payload.token_use]).toEqual(['auth', 'access']);
    return payload;
  }

  /** The documented claims of an access token for `orders-worker`: RFC 9068 JWT, aud orders-api, 15 minutes. */
  function expectOrdersApiToken(body: HttpResult['json']): JWTPayload {
    expect(decodeProtectedHeader(body.access_token as string).typ).toBe('at+jwt');
    const claims = decodeJwt(body.access_token as string);
    expect(claims.aud).toBe('orders-api');
    expect(body.aud).toBe('orders-api');
    expect(body.expires_in).toBe(15 * 60);
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
    return claims;
  }

  /** The keys of the documented `TokenResponse`, sorted: the answer of every grant has exactly these. */
  function tokenResponseKeys(): string[] {
    const sentence = documented(GUIDE, 'getting-started.md',
      'The answer is a `TokenResponse` (`access_token`, `token_type`, `expires_in`, `jti`, `refresh_token`, `aud`,\n`id_token`)');
    return sentence.match(/`[a-z_]+`/g)!.map((k) => k.slice(1, -1)).sort();
  }

  it('README / step 1: `npm start` in a fresh folder creates the database, its key, the admin, and prints the ready line', async () => {
    documented(README, 'README.md', 'npm install && npm start');
    documented(GUIDE, 'getting-started.md', 'npm install && npm start');
    // `npm start` runs the start script from the checkout; the test runs the same command, with free ports.
    expect(PACKAGE.scripts.start).toBe('node dist/src/main.js');
    expect(MAIN_JS).toBe(join(ROOT, 'dist/src/main.js'));
    // … and `npx mad` from the checkout runs the package's own bin, the file test/helpers/mad.ts runs.
    expect(join(ROOT, PACKAGE.bin.mad as string)).toBe(MAD_JS);
    documented(GUIDE, 'getting-started.md', 'npm start -- --no-prompt');
    server = await spawnServer(['--auth-port', '0', '--admin-port', '0', '--no-prompt'], {}, cwd);

    const ready = documented(GUIDE, 'getting-started.md', 'microauthd ready: auth http://127.0.0.1:9040  admin http://127.0.0.1:9041');
    expect(server.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout().split('\n')).toContain(onOurPorts(ready));

    // README: mad.db3, its random key in mad.db3.key (0600), and the generated password in admin-password.txt
    // (0600) — "the start-up output tells you where".
    documented(README, 'README.md', 'the server creates `mad.db3`, a random database key in `mad.db3.key` (mode 0600)');
    documented(README, 'README.md', 'a password you leave blank is generated and written once to `admin-password.txt` (mode 0600)');
    documented(README, 'README.md', 'creates ./mad.db3 (encrypted)');
    expect(readFileSync(join(cwd, 'mad.db3')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(statSync(join(cwd, 'mad.db3.key')).mode & 0o777).toBe(0o600);
    const passwordFile = join(cwd, 'admin-password.txt');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(server.stdout()).toContain(passwordFile);
    // The default admin is `admin` (step 1), the name step 2 and the README's curl sign in with.
    const lines = readFileSync(passwordFile, 'utf8').split('\n');
    expect(lines[0]).toBe('admin');
    expect(sed2p().length).toBeGreaterThanOrEqual(16);
    expect(server.stdout()).not.toContain(sed2p());
  }, 60_000); // longer than spawnServer's own 30 s start-up limit, which kills a server that never gets ready

  it('README: the curl for an admin token with the password from admin-password.txt', async () => {
    const r = await curl(documented(README, 'README.md',
      'curl -s -d username=admin -d "password=$(sed -n 2p admin-password.txt)" -d client_id=admin http://127.0.0.1:9041/token'));
    expect(r.status, r.text).toBe(200);
    expect(r.json.token_type).toBe('bearer');
    expect(decodeJwt(r.json.access_token as string).mad).toBe('admin');
    // It is an admin token: the admin API takes it.
    const users = await http(`${server!.adminUrl}/users`, { headers: { Authorization: `Bearer ${r.json.access_token as string}` } });
    expect(users.status, users.text).toBe(200);
    // Step 1: the defaults are `admin`, `admin@example.com`.
    documented(GUIDE, 'getting-started.md', '(Enter takes the defaults: `admin`, `admin@example.com`, a generated password written to `admin-password.txt`)');
    expect(users.json).toEqual([expect.objectContaining({ username: 'admin', email: 'admin@example.com', is_active: true })]);
  });

  it('step 2: mad session login --password-stdin, then session status', async () => {
    const login = await npxMad(documented(GUIDE, 'getting-started.md',
      'npx mad --admin-url http://127.0.0.1:9041 session login --username admin --password-stdin < <(sed -n 2p admin-password.txt)'));
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^Logged in as \S+\. Run `mad session logout` when finished\.\n$/);
    documented(GUIDE, 'getting-started.md', 'The token is kept in `~/.mad_token` and the URL in `~/.mad_url` (both 0600)');
    for (const f of ['.mad_token', '.mad_url']) expect(statSync(join(home, f)).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(join(home, '.mad_url'), 'utf8').trim()).toBe(server!.adminUrl);

    const status = await npxMad(documented(GUIDE, 'getting-started.md', 'npx mad session status'));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^Logged in as: \S+\nRole: +MadAdmin\nExpires at: +\S+\nToken use: +access\n$/);
  });

  it('step 2, CI: session login from MAD_ADMIN_USERNAME/MAD_ADMIN_PASSWORD; no files with MAD_ADMIN_TOKEN, MAD_ADMIN_URL and --no-config', async () => {
    documented(GUIDE, 'getting-started.md', 'Without `--username`/`--password-stdin`, `session login` also takes `MAD_ADMIN_USERNAME` /\n`MAD_ADMIN_PASSWORD`.');
    const ciHome = join(tmp.dir, 'ci-home');
    mkdirSync(ciHome);
    const login = await mad(['--admin-url', server!.adminUrl, 'session', 'login'],
      { home: ciHome, env: { MAD_ADMIN_USERNAME: 'admin', MAD_ADMIN_PASSWORD: sed2p() } });
    expect(login.code, login.stderr).toBe(0);
    expect(readdirSync(ciHome).sort()).toEqual(['.mad_token', '.mad_url']);

    documented(GUIDE, 'getting-started.md', 'In CI, to keep no files, pass an admin token (the README\'s curl) in `MAD_ADMIN_TOKEN` and the\n' +
      'URL in `MAD_ADMIN_URL` with `--no-config` (which `session login` refuses: its token would be stored nowhere).');
    const bare = join(tmp.dir, 'ci-bare-home');
    mkdirSync(bare);
    const admin = await curl('curl -s -d username=admin -d "password=$(sed -n 2p admin-password.txt)" -d client_id=admin http://127.0.0.1:9041/token');
    const env = { MAD_ADMIN_URL: server!.adminUrl, MAD_ADMIN_TOKEN: admin.json.access_token as string };
    const list = await mad(['--no-config', 'scope', 'list', '--json'], { home: bare, env });
    expect(list.code, list.stderr).toBe(0);
    expect(Array.isArray(list.json)).toBe(true);
    const refused = await mad(['--no-config', 'session', 'login'], { home: bare, env: { ...env, MAD_ADMIN_USERNAME: 'admin', MAD_ADMIN_PASSWORD: sed2p() } });
    expect(refused.code).toBe(2);
    expect(readdirSync(bare)).toEqual([]);
  });

  it('step 3: a scope, a client with a one-time secret, the scope on the client, and a client_credentials token', async () => {
    // From here on mad takes the admin URL from ~/.mad_url, as the guide relies on.
    const scope = await npxMad(documented(GUIDE, 'getting-started.md', 'npx mad scope create --name orders.read --description "Read orders"'));
    expect(scope.code, scope.stderr).toBe(0);
    const scopeId = /^Created scope orders\.read with ID: (\S+)$/m.exec(scope.stdout)?.[1];
    expect(scopeId, scope.stdout).toBeDefined();
    placeholders.set('<scope id>', scopeId!);

    const client = await npxMad(documented(GUIDE, 'getting-started.md',
      'npx mad client create --client-id orders-worker --display-name "Orders worker" --audience orders-api --json'));
    expect(client.code, client.stderr).toBe(0);
    expect(client.stdout.trim().split('\n')).toHaveLength(1);
    documented(GUIDE, 'getting-started.md', '# → {"id":"…","client_id":"orders-worker",…,"client_secret":"…"}   (the secret is shown once)');
    const keys = Object.keys(client.json);
    expect([keys[0], keys[1], keys.at(-1)]).toEqual(['id', 'client_id', 'client_secret']);
    expect(client.json).toMatchObject({ client_id: 'orders-worker', display_name: 'Orders worker', audience: 'orders-api' });
    expect(client.json.id).toMatch(/\S/);
    expect(client.json.client_secret).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    placeholders.set('<id from above>', client.json.id as string);
    placeholders.set('<secret>', client.json.client_secret as string);
    // Shown once: the client as read back carries no secret.
    const again = await mad(['client', 'get', '--id', client.json.id as string, '--json'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.stringify(again.json)).not.toContain(client.json.client_secret as string);

    const assign = await npxMad(documented(GUIDE, 'getting-started.md',
      'npx mad scope assign-to-client --client-id <id from above> --scope-id <scope id>'));
    expect(assign.code, assign.stderr).toBe(0);

    const token = await curl(documented(GUIDE, 'getting-started.md',
      "curl -s -u 'orders-worker:<secret>' -d grant_type=client_credentials http://127.0.0.1:9040/token"));
    expect(token.status, token.text).toBe(200);
    expect(Object.keys(token.json).sort()).toEqual(tokenResponseKeys());
    documented(GUIDE, 'getting-started.md',
      'the access token is an RFC 9068 JWT (`typ: at+jwt`) with `scope: "orders.read"`, `aud: "orders-api"`,\nvalid 15 minutes by default.');
    const claims = expectOrdersApiToken(token.json);
    expect(claims.scope).toBe('orders.read');
    expect(claims.client_id).toBe('orders-worker');

    // Step 5: a backend verifies it locally against /jwks.json.
    const verified = await verifyAccessToken(token.json.access_token as string);
    expect([verified.scope, verified.aud]).toEqual(['orders.read', 'orders-api']);
  });

  it('step 4: a user, the password grant, and the one-time refresh token that rotates', async () => {
    const user = await npxMad(documented(GUIDE, 'getting-started.md',
      "npx mad user create --username alice --user-email alice@example.com --user-password 'correct horse battery'"));
    expect(user.code, user.stderr).toBe(0);
    const aliceId = /^Created user alice with Id: (\S+)$/m.exec(user.stdout)?.[1];
    expect(aliceId, user.stdout).toBeDefined();

    const token = await curl(documented(GUIDE, 'getting-started.md',
      "curl -s -u 'orders-worker:<secret>' -d grant_type=password -d username=alice -d 'password=correct horse battery' \\\n  http://127.0.0.1:9040/token"));
    expect(token.status, token.text).toBe(200);
    expect(Object.keys(token.json).sort()).toEqual(tokenResponseKeys());
    expect(token.json.refresh_token).toMatch(/\S/);
    expect(expectOrdersApiToken(token.json).sub).toBe(aliceId);
    expect((await verifyAccessToken(token.json.access_token as string)).sub).toBe(aliceId);

    placeholders.set('<refresh_token from above>', token.json.refresh_token as string);
    const refreshCurl = documented(GUIDE, 'getting-started.md',
      "curl -s -u 'orders-worker:<secret>' -d grant_type=refresh_token -d 'refresh_token=<refresh_token from above>' \\\n  http://127.0.0.1:9040/token");
    const refreshed = await curl(refreshCurl);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(Object.keys(refreshed.json).sort()).toEqual(tokenResponseKeys());
    expect(refreshed.json.refresh_token).toMatch(/\S/);
    expect(refreshed.json.refresh_token).not.toBe(token.json.refresh_token);
    expect(refreshed.json.access_token).not.toBe(token.json.access_token);
    expect(expectOrdersApiToken(refreshed.json).sub).toBe(aliceId);
    const accessToken = refreshed.json.access_token as string;
    expect((await verifyAccessToken(accessToken)).sub).toBe(aliceId);
    const verify = (bearer: string) => http(`${server!.authUrl}/verify`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect((await verify(accessToken)).status).toBe(200);

    documented(GUIDE, 'getting-started.md',
      'It rotates on every use: presenting a spent refresh token again is refused (`invalid_grant`) and revokes every\ntoken of that login.');
    const reused = await curl(refreshCurl);
    expect(reused.status, reused.text).toBe(400);
    expect(reused.json.error).toBe('invalid_grant');
    const successor = await curl(refreshCurl.replace('<refresh_token from above>', refreshed.json.refresh_token as string));
    expect(successor.status, successor.text).toBe(400);
    expect(successor.json.error).toBe('invalid_grant');
    // Step 5: /verify sees the revocation at once; local verification against /jwks.json cannot (until `exp`).
    const revoked = await verify(accessToken);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await verify(token.json.access_token as string)).status).toBe(401);
    expect((await verifyAccessToken(accessToken)).sub).toBe(aliceId);
  });

  it('step 5: GET /verify takes a valid token; an ADMIN-plane token does not verify against the AUTH plane\'s /jwks.json', async () => {
    documented(GUIDE, 'getting-started.md', 'or ask\n`GET /verify` when revocation must be seen immediately');
    const machine = await curl("curl -s -u 'orders-worker:<secret>' -d grant_type=client_credentials http://127.0.0.1:9040/token");
    expect(machine.status, machine.text).toBe(200);
    const ok = await http(`${server!.authUrl}/verify`, { headers: { Authorization: `Bearer ${machine.json.access_token as string}` } });
    expect([ok.status, ok.json]).toEqual([200, { active: true, sub: 'orders-worker' }]);
    expect(ok.headers.get('x-auth-scope')).toBe('orders.read');

    const admin = await curl('curl -s -d username=admin -d "password=$(sed -n 2p admin-password.txt)" -d client_id=admin http://127.0.0.1:9041/token');
    expect(admin.status, admin.text).toBe(200);
    await expect(verifyAccessToken(admin.json.access_token as string)).rejects.toThrow();
    expect((await http(`${server!.authUrl}/verify`, { headers: { Authorization: `Bearer ${admin.json.access_token as string}` } })).status).toBe(401);
  });
});
