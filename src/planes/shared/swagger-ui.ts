import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Middleware } from 'koa';
import { etagOf, serveCached } from './cached-document.js';

/**
 * Swagger UI at `/swagger/` from the `swagger-ui-dist` package (served locally: no CDN). Its page
 * needs nothing inline: scripts are the package's bundle and our initializer file, and Swagger UI 5
 * sets styles through the DOM (which CSP allows), not with style elements or attributes; its
 * requests (the document, "Try it out") go to this origin. test/e2e/swagger.test.ts checks that
 * Chromium reports no violation. Only the UI's page gets this CSP (security.md "Responses").
 */
export const SWAGGER_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Files taken from the package; nothing else under its folder is served. */
const PACKAGE_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const indexHtml = (title: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="swagger-ui.css">
<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="initializer.js"></script>
</body>
</html>
`;

// Relative URLs, so the page also works behind a proxy that adds a path prefix. No validator badge:
// it would load an image from swagger.io.
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('../openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
`;

interface Asset { body: string | Buffer; type: string; etag: string }

function loadAssets(title: string): Map<string, Asset> {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, Asset>();
  const add = (name: string, body: string | Buffer, type: string) => assets.set(name, { body, type, etag: etagOf(body) });
  for (const [name, type] of Object.entries(PACKAGE_FILES)) add(name, readFileSync(join(dir, name)), type);
  add('index.html', indexHtml(title), 'text/html; charset=utf-8');
  add('initializer.js', INITIALIZER, 'text/javascript; charset=utf-8');
  return assets;
}

/** GET/HEAD `/swagger` (redirects to `/swagger/`) and the UI's files; the files are read once, here. */
export function swaggerUi(options: { title: string }): Middleware {
  const assets = loadAssets(options.title);
  return async function serveSwaggerUi(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !ctx.path.startsWith('/swagger')) return next();
    if (ctx.path === '/swagger') {
      ctx.redirect('swagger/'); // relative: keeps a proxy's path prefix
      return;
    }
    if (!ctx.path.startsWith('/swagger/')) return next();
    const asset = assets.get(ctx.path.slice('/swagger/'.length) || 'index.html');
    if (!asset) return next();
    if (asset.type.startsWith('text/html')) ctx.set('Content-Security-Policy', SWAGGER_CSP);
    serveCached(ctx, { ...asset, maxAgeSeconds: 300 });
  };
}
