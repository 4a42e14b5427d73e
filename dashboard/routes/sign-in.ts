import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { decodeJwt } from 'jose';
import { AdminClient, MadApiError } from '../../bindings/typescript/index.js';
import { state, type DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { COOKIE } from '../session.js';
import { layout } from '../views/layout.js';

const PRE = 'mad_dashboard_pre';

/**
 * Sign-in with an admin account through the admin API's POST /token (only MadAdmin holders get a
 * token). The sign-in form carries a CSRF token bound to a random pre-session cookie.
 */
export function signInRoutes(router: Router, deps: DashboardDeps): void {
  const cookie = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/dashboard', overwrite: true };

  const page = (csrf: string, error?: string) => layout({ title: 'Sign in', flash: error ? { kind: 'error', text: error } : undefined },
    html`<form method="post" action="/dashboard/login" class="card login">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <p><button type="submit">Sign in</button></p>
</form>`).value;

  router.get('/dashboard/login', (ctx) => {
    const pre = randomBytes(16).toString('base64url');
    ctx.cookies.set(PRE, pre, { ...cookie, maxAge: 600_000 });
    ctx.type = 'html';
    ctx.body = page(deps.sealer.csrfFor(pre));
  });

  router.post('/dashboard/login', async (ctx) => {
    const form = state(ctx).form;
    const pre = ctx.cookies.get(PRE) ?? '';
    const fresh = randomBytes(16).toString('base64url');
    ctx.cookies.set(PRE, fresh, { ...cookie, maxAge: 600_000 });
    ctx.type = 'html';
    if (!pre || !deps.sealer.checkCsrf(pre, form._csrf)) {
      ctx.status = 403;
      ctx.body = page(deps.sealer.csrfFor(fresh), 'The sign-in form expired or was not sent from this page. Please try again.');
      return;
    }
    try {
      const client = new AdminClient({ baseUrl: deps.adminUrl(), userAgent: 'microauthd-dashboard' });
      const res = await client.login(form.username ?? '', form.password ?? '', 'dashboard');
      const exp = Number(decodeJwt(res.access_token).exp ?? 0);
      const sealed = deps.sealer.seal({ token: res.access_token, username: (form.username ?? '').trim().toLowerCase(), sid: randomBytes(16).toString('base64url'), exp });
      ctx.cookies.set(COOKIE, sealed, { ...cookie, expires: new Date(exp * 1000) });
      ctx.cookies.set(PRE, null, cookie);
      ctx.redirect('/dashboard');
    } catch (err) {
      if (!(err instanceof MadApiError) || err.status === 0 || err.status >= 500) throw err;
      ctx.status = 403;
      ctx.body = page(deps.sealer.csrfFor(fresh), 'Invalid credentials');
    }
  });
}

/** Sign-out revokes the admin session on the server, then drops the cookie. */
export function signOutRoute(router: Router, deps: DashboardDeps): void {
  router.post('/dashboard/logout', async (ctx) => {
    const session = state(ctx).session;
    if (session) {
      const jti = decodeJwt(session.token).jti;
      const client = new AdminClient({ baseUrl: deps.adminUrl(), token: session.token, userAgent: 'microauthd-dashboard' });
      if (typeof jti === 'string') await client.transport.request({ method: 'DELETE', path: `/sessions/${encodeURIComponent(jti)}` }).catch(() => undefined);
    }
    ctx.cookies.set(COOKIE, null, { path: '/dashboard' });
    ctx.redirect('/dashboard/login');
  });
}
