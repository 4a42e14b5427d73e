import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** Static pages may call the auth plane's own endpoints (fetch to /token), nothing else; no inline script. */
const STATIC_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * `--serve-public-auth-files`: GET/HEAD of files under `root` (directories serve index.html). Only
 * known file types; dot-files and anything resolving outside `root` are 404 (falls through).
 */
export function staticFiles(root: string): Middleware {
  const base = resolve(root);
  return async function serveStatic(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.includes('\0')) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    if (rel.split('/').some((part) => part.startsWith('.'))) return next();
    let file = resolve(join(base, rel));
    if (file !== base && !file.startsWith(base + sep)) return next();
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) file = join(file, 'index.html');
    const type = TYPES[extname(file).toLowerCase()];
    if (!type) return next();
    const body = await readFile(file).catch(() => null);
    if (!body) return next();
    ctx.type = type;
    ctx.set('Cache-Control', 'no-cache');
    if (type.startsWith('text/html')) ctx.set('Content-Security-Policy', STATIC_CSP);
    ctx.body = body;
  };
}
