import Koa from 'koa';
import type { Logger } from '../../log.js';
import { parseBody } from './body.js';
import { errorHandler, messageEnvelope, type ErrorSerializer } from './error-handler.js';
import { configureProxyTrust, trustedProxy } from './proxy.js';
import { requestId } from './request-id.js';
import { requestLog } from './request-log.js';
import { securityHeaders } from './security-headers.js';

export interface PlaneAppOptions {
  log: Logger;
  trustedProxies: readonly string[];
  bodyLimit: number;
  /** Plane-specific serializers tried before the common `{success:false,message}` envelope. */
  serializers?: readonly ErrorSerializer[];
  /** Paths whose request bodies are never read (forward-auth: a proxy may forward any request). */
  bodylessPaths?: readonly string[];
}

/**
 * The stack both planes share, outermost first: request id, security headers (so errors get them
 * too), request log, error envelope, client IP, body parsing. A new Koa instance per call: no
 * state is shared between planes.
 */
export function createPlaneApp(options: PlaneAppOptions): Koa {
  const app = new Koa();
  app.silent = true;
  configureProxyTrust(app, options.trustedProxies);
  app.use(requestId());
  app.use(securityHeaders());
  app.use(requestLog(options.log));
  app.use(errorHandler(options.log, [...(options.serializers ?? []), messageEnvelope]));
  app.use(trustedProxy(options.trustedProxies));
  const readBody = parseBody({ limit: options.bodyLimit, accept: ['form', 'json'] });
  const bodyless = new Set(options.bodylessPaths ?? []);
  app.use((ctx, next) => (bodyless.has(ctx.path) ? next() : readBody(ctx, next)));
  return app;
}
