/**
 * The server-rendered admin dashboard, served at /dashboard on the admin port. It holds no database
 * handle and no key: every page is rendered from admin-API calls (bindings/typescript) made with the
 * signed-in administrator's token, kept sealed in an httpOnly, SameSite=Strict cookie.
 */
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';
import type { DashboardDeps } from './context.js';
import { errorPage, formBody, loadSession, requireSession, securityHeaders } from './middleware.js';
import { activityPages } from './routes/activity.js';
import { clientPages } from './routes/clients.js';
import { directoryPages } from './routes/directory.js';
import { keyRoutes } from './routes/keys.js';
import { overviewRoute } from './routes/overview.js';
import { signInRoutes, signOutRoute } from './routes/sign-in.js';
import { tokenViewerRoutes } from './routes/token-viewer.js';
import { userPages } from './routes/users.js';

export type { DashboardDeps } from './context.js';
export { createSealer } from './session.js';

const STYLE = readFileSync(new URL('./assets/style.css', import.meta.url));

export function createDashboardApp(deps: DashboardDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(securityHeaders);
  app.use(errorPage(deps));
  app.use(formBody);
  app.use(loadSession(deps));
  // The original's address was /Dashboard. Exact comparison: the router matches case-insensitively.
  app.use(async (ctx, next) => (ctx.path === '/Dashboard' || ctx.path === '/dashboard/' ? ctx.redirect('/dashboard') : next()));

  const open = new Router();
  open.get('/dashboard/assets/style.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = STYLE;
  });
  signInRoutes(open, deps);

  const secured = new Router();
  secured.use(requireSession(deps));
  signOutRoute(secured, deps);
  overviewRoute(secured, deps);
  userPages(secured, deps);
  directoryPages(secured, deps);
  clientPages(secured, deps);
  activityPages(secured, deps);
  keyRoutes(secured, deps);
  tokenViewerRoutes(secured, deps);

  for (const r of [open, secured]) app.use(r.routes()).use(r.allowedMethods());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not found';
  });
  return app;
}
