import Router from '@koa/router';
import type Koa from 'koa';
import type { Verifier } from '../../crypto/keyring.js';
import type { Logger } from '../../log.js';
import { ADMIN_AUDIENCE, type AdminTokenService } from '../../services/admin-tokens.js';
import type { TokenIntrospection } from '../../services/token-introspection.js';
import { bearerAuth } from '../shared/bearer.js';
import { serveCached } from '../shared/cached-document.js';
import { openApiRoute } from '../shared/openapi-route.js';
import { createPlaneApp } from '../shared/plane-app.js';
import { rateLimit } from '../shared/rate-limit.js';
import { swaggerUi } from '../shared/swagger-ui.js';
import { adminServiceErrors } from './errors.js';
import { adminOpenApi } from './openapi.js';
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
  /** `enable-openapi`: serves `/openapi.json`. */
  enableOpenApi?: boolean;
  /** `enable-admin-swagger`: Swagger UI at `/swagger` (and `/openapi.json`, which it reads). */
  enableSwagger?: boolean;
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
  const s = deps.services;
  const revocation = deps.config.enableTokenRevocation ?? true;
  const refreshTokens = Boolean(s.sessionsAdmin) && (deps.config.refreshTokens ?? true);
  // Before the routers: the UI is a public document, not behind the bearer check or the rate limit.
  if (deps.config.enableSwagger) app.use(swaggerUi({ title: 'microauthd ADMIN plane API' }));
  const open = new Router();
  infoRoutes(open);
  open.get('/jwks.json', (ctx) => {
    const jwks = deps.keys.admin.jwks();
    serveCached(ctx, { body: jwks.body, etag: jwks.etag, type: 'application/json', maxAgeSeconds: 300 });
  });
  if (deps.config.enableOpenApi || deps.config.enableSwagger) {
    // Described from the same switches that mount the route groups below (built once, here).
    openApiRoute(open, adminOpenApi({ clients: Boolean(s.clients), clientFlags: Boolean(s.clientFlags),
      redirectUris: Boolean(s.redirectUris), externalIdps: Boolean(s.externalIdps), sessions: Boolean(s.sessionsAdmin),
      refreshTokens, audit: Boolean(s.auditAdmin), revocation }));
  }

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
    revocation });
  // part B (redirect-uri literals before /clients/:id)
  if (s.redirectUris) redirectUriRoutes(secured, s.redirectUris);
  if (s.externalIdps) externalIdpRoutes(secured, s.externalIdps);
  if (s.clients) clientRoutes(secured, s.clients);
  if (s.clients) clientScopeRoutes(secured, s.clients);
  if (s.clientFlags) clientFlagRoutes(secured, s.clientFlags);
  if (s.sessionsAdmin) sessionRoutes(secured, s.sessionsAdmin, revocation);
  if (s.sessionsAdmin && refreshTokens) refreshTokenRoutes(secured, s.sessionsAdmin);
  if (s.auditAdmin) auditRoutes(secured, s.auditAdmin);

  for (const r of [open, limited, secured]) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
