#!/usr/bin/env node
/**
 * Composition root: the ONLY module that sees both planes and both keyrings.
 * config → store → first-run setup → keyrings → services → both planes listening → graceful stop.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import { createDashboardApp, createSealer } from '../dashboard/app.js';
import { resolve as resolvePath } from 'node:path';
import { pino } from 'pino';
import { ConfigError, formatEffectiveConfig, issuerFor, loadConfig, type Config } from './config/index.js';
import { openKeyring } from './crypto/keyring.js';
import { loadSigningKeyFile } from './crypto/keys/load.js';
import { createPasswordHasher } from './crypto/password.js';
import { createLogger, type Logger } from './log.js';
import { createAdminApp } from './planes/admin/app.js';
import { createAuthApp } from './planes/auth/app.js';
import { applyServerTimeouts } from './planes/shared/timeout.js';
import { createAdminTokenService } from './services/admin-tokens.js';
import { createAuthTokenService } from './services/auth-tokens.js';
import { createAuthorizationService } from './services/authorization.js';
import { createAuthenticate } from './services/authenticate.js';
import { createPermissionService } from './services/permissions.js';
import { createRoleService } from './services/roles.js';
import { createScopeService } from './services/scopes.js';
import { createTotpEnrolment } from './services/totp-enrolment.js';
import { createUserService } from './services/users.js';
import { createClientAuth } from './services/client-auth.js';
import { createSelfService } from './services/self-service.js';
import { createTokenIntrospection } from './services/token-introspection.js';
import { createTokenLiveness } from './services/token-liveness.js';
import { createClientService } from './services/clients.js';
import { createClientFlagService } from './services/client-flags.js';
import { createRedirectUriService } from './services/redirect-uris.js';
import { createExternalIdpService } from './services/external-idps.js';
import { createSessionAdminService } from './services/sessions-admin.js';
import { createAuditAdminService } from './services/audit-admin.js';
import { createMaintenance, type Maintenance } from './services/maintenance.js';
import { resolveDatabaseKey } from './setup/db-key.js';
import { ensureFirstAdmin } from './setup/first-run.js';
import { terminalPrompter, type Prompter } from './setup/prompt.js';
import { createStore, migrate, openDatabase, startCheckpointer, type Checkpointer } from './store/index.js';

export interface StartOptions {
  log?: Logger;
  /** Terminal for the first-run wizard; omit for non-interactive starts. */
  prompter?: Prompter | null;
  say?: (line: string) => void;
}

export interface RunningServer {
  authUrl: string;
  adminUrl: string;
  /** Scheduled housekeeping (hourly); `runOnce(now)` runs one pass on demand. */
  maintenance: Pick<Maintenance, 'runOnce'>;
  /** The two planes' Koa apps, for in-process inspection (tests list the routes their routers serve). */
  apps: { auth: Koa; admin: Koa };
  stop(): Promise<void>;
}

/** Starts both planes on one database. Throws (after cleaning up) if anything is wrong. */
export async function start(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger({ level: config.logLevel, destination: config.logFile ? pino.destination(config.logFile) : undefined });
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { key, generatedKeyFile } = resolveDatabaseKey(config);
  if (generatedKeyFile) say(`Generated a database key in ${generatedKeyFile} (mode 0600). Keep it safe: without it the database cannot be opened.`);

  const db = openDatabase({ file: config.dbFile, key, synchronous: config.dbSynchronous as 'NORMAL' | 'FULL', cacheMb: config.dbCacheMb });
  const servers: Server[] = [];
  let checkpointer: Checkpointer | null = null;
  try {
    migrate(db);
    if (config.dbCheckpointMs > 0) {
      checkpointer = startCheckpointer(db, { file: config.dbFile, key, intervalMs: config.dbCheckpointMs,
        onError: (err) => log.error({ err }, 'the checkpoint worker failed; checkpoints run on the serving thread again') });
    }
    const store = createStore(db, undefined, { audit: { enabled: config.enableAuditLogging } });
    if (!config.enableAuditLogging) log.warn('audit logging is off (--enable-audit-logging=false): no audit records are written');
    const now = () => new Date();
    const hasher = createPasswordHasher({
      timeCost: config.argon2idTime, memoryCost: config.argon2idMemory, parallelism: config.argon2idParallelism,
      hashLength: config.argon2idHashLength, saltLength: config.argon2idSaltLength,
      maxConcurrency: config.argon2MaxConcurrency,
    });
    await ensureFirstAdmin(store, hasher, {
      dbFile: config.dbFile, adminUsername: config.adminUsername, adminEmail: config.adminEmail,
      adminPassword: config.adminPassword, prompter: options.prompter ?? null, say,
    });

    const issuer = issuerFor(config);
    const authKeys = await openKeyring({
      plane: 'auth', issuer, store: store.signingKeys,
      alg: config.preferEcTokenSigner ? 'ES256' : 'RS256', rsaBits: config.tokenSigningKeyLengthRsa,
      retiredPublishSeconds: Math.max(config.tokenExpiration, config.idTokenExpiration, 86400),
      importKey: config.tokenSigningKeyFile
        ? await loadSigningKeyFile(config.tokenSigningKeyFile, config.tokenSigningKeyPass) : undefined,
    });
    const adminKeys = await openKeyring({
      plane: 'admin', issuer, store: store.signingKeys,
      alg: config.preferEcAdminTokenSigner ? 'ES256' : 'RS256', rsaBits: config.adminTokenSigningKeyLengthRsa,
      retiredPublishSeconds: config.adminTokenExpiration,
      importKey: config.adminTokenSigningKeyFile
        ? await loadSigningKeyFile(config.adminTokenSigningKeyFile, config.adminTokenSigningKeyPass) : undefined,
    });

    const authenticate = createAuthenticate({
      store, hasher, now,
      lockout: { windowSeconds: config.secondsToResetLoginFailures, maxFailures: config.maxLoginFailures,
        lockoutSeconds: config.failedPasswordLockoutDuration },
    });
    const adminTokens = createAdminTokenService({
      store, authenticate, signer: adminKeys.signer, issuer, lifetimeSeconds: config.adminTokenExpiration, now,
    });

    const isTokenLive = createTokenLiveness({ store, checkRevocation: config.enableTokenRevocation });
    const clientAuth = createClientAuth({ store, hasher, now,
      cache: { enabled: config.enablePassCache, seconds: config.passCacheDuration } });
    const onAuditFailure = (err: unknown) => log.error({ err }, 'an audit record could not be written');
    const authTokens = createAuthTokenService({
      store, authenticate, signer: authKeys.signer, issuer, now, onAuditFailure,
      policy: { accessSeconds: config.tokenExpiration, refreshSeconds: config.refreshTokenExpiration,
        refreshEnabled: config.enableTokenRefresh, reuseGraceSeconds: config.refreshReuseGraceSeconds,
        idTokenSeconds: config.idTokenExpiration,
        lockout: { windowSeconds: config.secondsToResetLoginFailures, maxFailures: config.maxLoginFailures,
          lockoutSeconds: config.failedPasswordLockoutDuration } },
    });
    const users = createUserService({ store, hasher, now });
    const directory = {
      users, roles: createRoleService({ store }), permissions: createPermissionService({ store }), scopes: createScopeService({ store }),
      totp: createTotpEnrolment({ store, qrOutputRoot: config.totpQrOutputRoot }),
    };
    const authorization = config.enablePkce ? createAuthorizationService({ store, tokens: authTokens, now,
      policy: { codeSeconds: config.pkceCodeLifetime, loginSeconds: config.authSessionLifetime } }) : undefined;
    // Built on the auth plane's public verifier only: the admin plane never gets the auth signer.
    const introspection = createTokenIntrospection({ store, verifier: authKeys.verifier, isTokenLive, issuer, now, onAuditFailure });
    const clients = createClientService({ store, hasher });
    const maintenance = createMaintenance({
      store, keys: [authKeys.manager, adminKeys.manager], now,
      policy: { tokenPurgeDays: config.tokenPurgeDays, refreshTokenPurgeDays: config.refreshTokenPurgeDays,
        auditLogRetentionDays: config.auditLogRetentionDays, keyRotationDays: config.keyRotationDays },
      onError: (err) => log.error({ err }, 'maintenance failed'),
    });

    const authApp = createAuthApp({
      config: { issuer, trustedProxies: config.trustedProxies, bodyLimit: config.bodyLimit,
        rateLimit: { max: config.rateLimitAuth, windowSeconds: config.rateLimitWindow },
        signingAlg: config.preferEcTokenSigner ? 'ES256' : 'RS256',
        corsOrigins: config.corsOrigins, enableTokenRefresh: config.enableTokenRefresh,
        enableTokenRevocation: config.enableTokenRevocation,
        publicDir: config.servePublicAuthFiles ? resolvePath(process.cwd(), 'public') : undefined,
        enableOpenApi: config.enableOpenapi, enableSwagger: config.enableAuthSwagger },
      log: log.child({ plane: 'auth' }),
      verifier: authKeys.verifier,
      keys: authKeys.manager,
      services: {
        isTokenLive, clientAuth, tokens: authTokens, introspection, selfService: createSelfService({ store }), users,
        authorization,
      },
    });
    const adminApp = createAdminApp({
      config: { trustedProxies: config.trustedProxies, bodyLimit: config.bodyLimit,
        rateLimit: { max: config.rateLimitAdmin, windowSeconds: config.rateLimitWindow },
        enableTokenRevocation: config.enableTokenRevocation, refreshTokens: config.enableTokenRefresh,
        enableOpenApi: config.enableOpenapi, enableSwagger: config.enableAdminSwagger },
      log: log.child({ plane: 'admin' }),
      verifier: adminKeys.verifier,
      keys: { auth: authKeys.manager, admin: adminKeys.manager },
      services: {
        adminTokens,
        isSessionActive: (jti, sub) => store.sessions.isActive(jti, sub, 'admin'),
        introspection,
        directory,
        clients,
        clientFlags: createClientFlagService({ store, clients }),
        redirectUris: createRedirectUriService({ store, clients }),
        externalIdps: createExternalIdpService({ store, clients }),
        sessionsAdmin: createSessionAdminService({ store, now }),
        auditAdmin: createAuditAdminService({ store, now }),
      },
    });

    // The dashboard shares the admin port (under /dashboard) but not its middleware: it is a client
    // of the admin API, reached over loopback with the signed-in administrator's token.
    let selfAdminUrl = '';
    const dashboard = config.enableDashboard
      ? createDashboardApp({ adminUrl: () => selfAdminUrl, sealer: createSealer(), secureCookies: Boolean(config.adminSslCertFile) }).callback()
      : null;
    const adminCallback = adminApp.callback();
    const adminHandler: Handler = dashboard
      ? (req, res) => (/^\/dashboard(\/|$)|^\/Dashboard$/.test(req.url ?? '') ? dashboard(req, res) : adminCallback(req, res))
      : adminCallback;

    const authServer = await listen(authApp.callback(), config.authIp, config.authPort, config.authSslCertFile, config.authSslCertPass, config.requestTimeout);
    servers.push(authServer);
    const adminServer = await listen(adminHandler, config.adminIp, config.adminPort, config.adminSslCertFile, config.adminSslCertPass, config.requestTimeout);
    servers.push(adminServer);
    const authUrl = urlOf(authServer, Boolean(config.authSslCertFile));
    const adminUrl = urlOf(adminServer, Boolean(config.adminSslCertFile));
    selfAdminUrl = adminUrl.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
    log.info({ authUrl, adminUrl, issuer }, 'microauthd started');
    maintenance.start();

    let stopping: Promise<void> | null = null;
    return {
      authUrl,
      adminUrl,
      maintenance,
      apps: { auth: authApp, admin: adminApp },
      stop: () => (stopping ??= (async () => {
        maintenance.stop();
        await Promise.all(servers.map(closeServer));
        await checkpointer?.stop();
        store.close();
        log.info('microauthd stopped');
      })()),
    };
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    await checkpointer?.stop();
    db.close();
    throw err;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function listen(handler: Handler, host: string, port: number, pfxFile: string, pfxPass: string, timeoutSeconds: number): Promise<Server> {
  // Node checks request and header timeouts only every connectionsCheckingInterval (30 s by default):
  // check every second so a slow client (slowloris) is cut off close to --request-timeout.
  const timing = { connectionsCheckingInterval: 1000 };
  const server = pfxFile
    ? createHttpsServer({ ...timing, pfx: readFileSync(pfxFile), passphrase: pfxPass }, handler)
    : createHttpServer(timing, handler);
  applyServerTimeouts(server, timeoutSeconds);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function urlOf(server: Server, tls: boolean): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `${tls ? 'https' : 'http'}://${host}:${port}`;
}

/** Stops accepting, lets in-flight requests finish, then drops idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** Process entry: `microauthd [options]` / `npm start -- [options]`. */
async function main(): Promise<void> {
  // argon2 runs on libuv's pool; size it before anything uses the pool.
  process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism() * 2));
  let loaded;
  try {
    loaded = loadConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`microauthd: invalid configuration:\n${err.errors.map((e) => `  - ${e}`).join('\n')}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { config, warnings } = loaded;
  for (const w of warnings) process.stderr.write(`microauthd: warning: ${w}\n`);
  if (loaded.printEffectiveConfig) {
    process.stdout.write(`${formatEffectiveConfig(config)}\n`);
    return;
  }
  const interactive = process.stdin.isTTY && process.stdout.isTTY && !config.noPrompt && !config.docker;
  const prompter = interactive ? terminalPrompter(process.stdin, process.stdout) : null;
  let server: RunningServer;
  try {
    server = await start(config, { prompter });
  } catch (err) {
    process.stderr.write(`microauthd: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  } finally {
    prompter?.close();
  }
  process.stdout.write(`microauthd ready: auth ${server.authUrl}  admin ${server.adminUrl}\n`);
  const shutdown = (signal: string): void => {
    process.stdout.write(`microauthd: ${signal} received, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

const invokedDirectly = process.argv[1] !== undefined
  && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) void main();
