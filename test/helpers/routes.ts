import { METHODS } from 'node:http';
import type Router from '@koa/router';
import type Koa from 'koa';

/** A route as a router registered it: METHOD, and the path with `:name` written `{name}`. */
export interface ServedRoute { method: string; path: string }

/**
 * The (method, path) pairs the app's @koa/router routers serve, read from their layers (each
 * `router.routes()` middleware carries its router). `router.use` middleware layers have no methods
 * and are skipped; HEAD is dropped (@koa/router adds it to every GET). A `router.all` layer is
 * returned with method `*`: which methods its handler really answers has to be asked over HTTP.
 */
export function servedRoutes(app: Koa): ServedRoute[] {
  const out: ServedRoute[] = [];
  for (const mw of app.middleware as { router?: Router }[]) {
    for (const layer of mw.router?.stack ?? []) {
      if (layer.methods.length === 0 || typeof layer.path !== 'string') continue;
      const path = layer.path.replace(/:(\w+)/g, '{$1}');
      if (METHODS.every((m) => layer.methods.includes(m))) {
        out.push({ method: '*', path });
        continue;
      }
      for (const method of layer.methods) if (method !== 'HEAD') out.push({ method, path });
    }
  }
  return out;
}
