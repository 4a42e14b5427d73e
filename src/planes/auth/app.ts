import Router from '@koa/router';
import type Koa from 'koa';
import type { JWTPayload } from 'jose';
import type { KeyManager, Verifier } from '../../crypto/keyring.js';
import type { Logger } from '../../log.js';
import { bearerAuth } from '../shared/bearer.js';
import { createPlaneApp } from '../shared/plane-app.js';
import { authServiceErrors, oauthErrors } from './errors.js';
import { discoveryRoutes, type ServedFeatures } from './routes/discovery.js';
import { infoRoutes } from './routes/info.js';
import { meRoutes } from './routes/me.js';
import { publicKeyRoutes } from './routes/public-key.js';
import { verifyRoutes } from './routes/verify.js';

export interface AuthPlaneConfig {
  issuer: string;
  trustedProxies: readonly string[];
  bodyLimit: number;
  rateLimit: { max: number; windowSeconds: number };
  signingAlg: 'RS256' | 'ES256';
}

export interface AuthPlaneDeps {
  config: AuthPlaneConfig;
  log: Logger;
  verifier: Verifier<'auth'>;
  keys: KeyManager<'auth'>;
  services: {
    /** The bearer check for auth-plane access tokens (session row live, jti not denied). */
    isTokenLive(claims: JWTPayload): Promise<boolean>;
  };
}

/** The AUTH plane: OAuth 2.0 / OpenID Connect for users and machines. */
export function createAuthApp(deps: AuthPlaneDeps): Koa {
  const app = createPlaneApp({ log: deps.log, trustedProxies: deps.config.trustedProxies,
    bodyLimit: deps.config.bodyLimit, serializers: [oauthErrors, authServiceErrors], bodylessPaths: ['/verify'] });

  const features: ServedFeatures = {
    issuer: deps.config.issuer,
    grantTypes: [],
    endpoints: {},
    signingAlg: deps.config.signingAlg,
  };

  const open = new Router();
  infoRoutes(open);
  discoveryRoutes(open, features, deps.keys);
  publicKeyRoutes(open, deps.keys);
  verifyRoutes(open, { verifier: deps.verifier, isTokenLive: deps.services.isTokenLive });

  const secured = new Router();
  secured.use(bearerAuth({ verifier: deps.verifier, isStillValid: deps.services.isTokenLive }));
  meRoutes(secured);

  for (const r of [open, secured]) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
