import Router from '@koa/router';
import type Koa from 'koa';
import type { JWTPayload } from 'jose';
import type { KeyManager, Verifier } from '../../crypto/keyring.js';
import type { Logger } from '../../log.js';
import type { AuthTokenService } from '../../services/auth-tokens.js';
import type { AuthorizationService } from '../../services/authorization.js';
import type { ClientAuth } from '../../services/client-auth.js';
import type { SelfService } from '../../services/self-service.js';
import type { TokenIntrospection } from '../../services/token-introspection.js';
import { bearerAuth } from '../shared/bearer.js';
import { openApiRoute } from '../shared/openapi-route.js';
import { createPlaneApp } from '../shared/plane-app.js';
import { rateLimit } from '../shared/rate-limit.js';
import { swaggerUi } from '../shared/swagger-ui.js';
import { cors } from './cors.js';
import { staticFiles } from './static-files.js';
import { authServiceErrors, oauthErrors, tokenEndpointBodyErrors } from './errors.js';
import { authOpenApi } from './openapi.js';
import { authorizeRoutes } from './routes/authorize.js';
import { discoveryRoutes, type ServedFeatures } from './routes/discovery.js';
import { infoRoutes } from './routes/info.js';
import { introspectionRoutes } from './routes/introspect.js';
import { scopedUserRoutes } from './routes/scoped-users.js';
import type { UserService } from '../../services/users.js';
import { loginPageRoutes } from './routes/login-pages.js';
import { meRoutes } from './routes/me.js';
import { tokenRoutes } from './routes/token.js';
import { publicKeyRoutes } from './routes/public-key.js';
import { verifyRoutes } from './routes/verify.js';

export interface AuthPlaneConfig {
  issuer: string;
  trustedProxies: readonly string[];
  bodyLimit: number;
  rateLimit: { max: number; windowSeconds: number };
  signingAlg: 'RS256' | 'ES256';
  /** Browser origins allowed by CORS (exact match). */
  corsOrigins: readonly string[];
  /** `enable-token-refresh` (false with `--disable-token-refresh`). */
  enableTokenRefresh: boolean;
  /** `enable-token-revocation`: serves `/revoke`. */
  enableTokenRevocation: boolean;
  /** `serve-public-auth-files`: the directory served at `/` (after the routes), or undefined. */
  publicDir?: string | undefined;
  /** `enable-openapi`: serves `/openapi.json`. */
  enableOpenApi: boolean;
  /** `enable-auth-swagger`: Swagger UI at `/swagger` (and `/openapi.json`, which it reads). */
  enableSwagger: boolean;
}

export interface AuthPlaneDeps {
  config: AuthPlaneConfig;
  log: Logger;
  verifier: Verifier<'auth'>;
  keys: KeyManager<'auth'>;
  services: {
    /** The bearer check for auth-plane access tokens (session row live, jti not denied). */
    isTokenLive(claims: JWTPayload): Promise<boolean>;
    clientAuth: ClientAuth;
    tokens: AuthTokenService;
    introspection: TokenIntrospection;
    selfService: SelfService;
    /** Users, for the scoped user routes (POST /user, GET /users, …). */
    users: UserService;
    /** The authorization-code flow; absent when `enable-pkce` is off (its routes are then not served). */
    authorization?: AuthorizationService | undefined;
  };
}

/** The AUTH plane: OAuth 2.0 / OpenID Connect for users and machines. */
export function createAuthApp(deps: AuthPlaneDeps): Koa {
  const app = createPlaneApp({ log: deps.log, trustedProxies: deps.config.trustedProxies,
    bodyLimit: deps.config.bodyLimit, serializers: [oauthErrors, tokenEndpointBodyErrors, authServiceErrors], bodylessPaths: ['/verify'] });

  const features: ServedFeatures = {
    issuer: deps.config.issuer,
    grantTypes: ['password', 'client_credentials', ...(deps.config.enableTokenRefresh ? ['refresh_token'] : []),
      ...(deps.services.authorization ? ['authorization_code'] : [])],
    endpoints: { token: '/token', userinfo: '/userinfo', introspection: '/introspect',
      ...(deps.services.authorization ? { authorization: '/authorize' } : {}),
      ...(deps.config.enableTokenRevocation ? { revocation: '/revoke' } : {}) },
    signingAlg: deps.config.signingAlg,
  };

  app.use(cors(deps.config.corsOrigins));
  // Before the routers, like the other public documents: never rate-limited or behind a bearer.
  if (deps.config.enableSwagger) app.use(swaggerUi({ title: 'microauthd AUTH plane API' }));
  const open = new Router();
  infoRoutes(open);
  discoveryRoutes(open, features, deps.keys);
  publicKeyRoutes(open, deps.keys);
  verifyRoutes(open, { verifier: deps.verifier, isTokenLive: deps.services.isTokenLive });
  if (deps.config.enableOpenApi || deps.config.enableSwagger) {
    // Described from the same switches that mount the routes below (built once, here).
    openApiRoute(open, authOpenApi({ issuer: deps.config.issuer, authorizationCode: Boolean(deps.services.authorization),
      refresh: deps.config.enableTokenRefresh, revocation: deps.config.enableTokenRevocation }));
  }

  // Per client IP, one limiter for the credential-checking endpoints (security.md "Abuse resistance").
  const limited = new Router();
  limited.use(rateLimit(deps.config.rateLimit));
  tokenRoutes(limited, { tokens: deps.services.tokens, clientAuth: deps.services.clientAuth,
    authorization: deps.services.authorization });
  if (deps.services.authorization) authorizeRoutes(limited, deps.services.authorization);
  if (deps.services.authorization) loginPageRoutes(limited, deps.services.authorization);
  introspectionRoutes(limited, { introspection: deps.services.introspection, clientAuth: deps.services.clientAuth,
    revocation: deps.config.enableTokenRevocation });

  const secured = new Router();
  secured.use(bearerAuth({ verifier: deps.verifier, isStillValid: deps.services.isTokenLive }));
  meRoutes(secured, deps.services.selfService);
  scopedUserRoutes(secured, deps.services.users);

  for (const r of [open, limited, secured]) app.use(r.routes()).use(r.allowedMethods());
  if (deps.config.publicDir) app.use(staticFiles(deps.config.publicDir));
  return app;
}
