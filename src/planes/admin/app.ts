import Router from '@koa/router';
import type Koa from 'koa';
import type { Verifier } from '../../crypto/keyring.js';
import type { Logger } from '../../log.js';
import { ADMIN_AUDIENCE, type AdminTokenService } from '../../services/admin-tokens.js';
import type { TokenIntrospection } from '../../services/token-introspection.js';
import { bearerAuth } from '../shared/bearer.js';
import { serveCached } from '../shared/cached-document.js';
import { createPlaneApp } from '../shared/plane-app.js';
import { rateLimit } from '../shared/rate-limit.js';
import { adminServiceErrors } from './errors.js';
import { infoRoutes } from './routes/info.js';
import { directoryRoutes, type DirectoryServices } from './routes/directory.js';
import { adminIntrospectionRoutes } from './routes/introspect.js';
import { keyRoutes, type KeyManagers } from './routes/keys.js';
import { tokenRoutes } from './routes/token.js';
import type { ClientService } from '../../services/clients.js';
import type { ClientFlagService } from '../../services/client-flags.js';
import type { RedirectUriService } from '../../services/redirect-uris.js';
import type { ExternalIdpService } from '../../services/external-idps.js';
import type { SessionAdminService } from '../../services/sessions-admin.js';
import type { AuditAdminService } from '../../services/audit-admin.js';
import { clientRoutes } from './routes/clients.js';
import { clientFlagRoutes } from './routes/client-flags.js';
import { redirectUriRoutes } from './routes/redirect-uris.js';
import { externalIdpRoutes } from './routes/external-idps.js';
import { sessionRoutes } from './routes/sessions.js';
import { refreshTokenRoutes } from './routes/refresh-tokens.js';
import { clientScopeRoutes } from './routes/client-scopes.js';
import { auditRoutes } from './routes/audit.js';

export interface AdminPlaneConfig {
  trustedProxies: readonly string[];
  bodyLimit: number;
  rateLimit: { max: number; windowSeconds: number };
  /** `enable-token-revocation`: serves `/revoke`. */
  enableTokenRevocation?: boolean;
  /** `enable-token-refresh` mounts /refresh-tokens*. */
  refreshTokens?: boolean;
}

export interface AdminPlaneDeps {
  config: AdminPlaneConfig;
  log: Logger;
  verifier: Verifier<'admin'>;
  keys: KeyManagers;
  services: {
    adminTokens: AdminTokenService;
    /** The bearer check: the admin token's session row is still live. */
    isSessionActive(jti: string, userId: string): Promise<boolean>;
    /** Introspection/revocation of auth-plane tokens (built on the AUTH plane's public verifier only). */
    introspection: TokenIntrospection;
    /** Users, roles, permissions, scopes, TOTP enrolment. */
    directory: DirectoryServices;
    // part B: clients, flags, redirect URIs, IdPs, sessions/refresh tokens, audit
    clients?: ClientService;
    clientFlags?: ClientFlagService;
    redirectUris?: RedirectUriService;
    externalIdps?: ExternalIdpService;
    sessionsAdmin?: SessionAdminService;
    auditAdmin?: AuditAdminService;
  };
}

/** The ADMIN plane: everything behind an admin token except /ping, /version and POST /token. */
export function createAdminApp(deps: AdminPlaneDeps): Koa {
  const app = createPlaneApp({ log: deps.log, trustedProxies: deps.config.trustedProxies,
    bodyLimit: deps.config.bodyLimit, serializers: [adminServiceErrors] });
  const open = new Router();
  infoRoutes(open);
  open.get('/jwks.json', (ctx) => {
    const jwks = deps.keys.admin.jwks();
    serveCached(ctx, { body: jwks.body, etag: jwks.etag, type: 'application/json', maxAgeSeconds: 300 });
  });

  const limited = new Router();
  limited.use(rateLimit(deps.config.rateLimit));
  tokenRoutes(limited, deps.services.adminTokens);

  const secured = new Router();
  secured.use(rateLimit(deps.config.rateLimit));
  secured.use(bearerAuth({
    verifier: deps.verifier,
    audience: ADMIN_AUDIENCE,
    isStillValid: (c) => typeof c.jti === 'string' && typeof c.sub === 'string'
      ? deps.services.isSessionActive(c.jti, c.sub) : Promise.resolve(false),
  }));
  keyRoutes(secured, deps.keys);
  directoryRoutes(secured, deps.services.directory);
  adminIntrospectionRoutes(secured, { introspection: deps.services.introspection, adminKeys: deps.keys.admin,
    revocation: deps.config.enableTokenRevocation ?? true });
  // part B (redirect-uri literals before /clients/:id)
  const s = deps.services;
  if (s.redirectUris) redirectUriRoutes(secured, s.redirectUris);
  if (s.externalIdps) externalIdpRoutes(secured, s.externalIdps);
  if (s.clients) clientRoutes(secured, s.clients);
  if (s.clients) clientScopeRoutes(secured, s.clients);
  if (s.clientFlags) clientFlagRoutes(secured, s.clientFlags);
  if (s.sessionsAdmin) sessionRoutes(secured, s.sessionsAdmin, deps.config.enableTokenRevocation ?? true);
  if (s.sessionsAdmin && (deps.config.refreshTokens ?? true)) refreshTokenRoutes(secured, s.sessionsAdmin);
  if (s.auditAdmin) auditRoutes(secured, s.auditAdmin);

  for (const r of [open, limited, secured]) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
