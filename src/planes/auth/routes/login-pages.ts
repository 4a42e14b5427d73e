import type Router from '@koa/router';
import type { Context } from 'koa';
import { AuthorizationRequestError, browserSessionCookieName, type AuthorizationService, type LoginView } from '../../../services/authorization.js';
import { InvalidCredentials } from '../../../services/errors.js';
import { fieldsOf, stringField } from '../../shared/input.js';
import { errorPage, loginPage, pageCsp, totpPage } from '../views/pages.js';
import { requestContext } from '../request-context.js';

const MAX_QUERY_VALUE = 2048;

/** A query parameter: '' when absent; a repeated or over-long one is refused (RFC 6749 §3.1). */
function queryParam(ctx: Context, name: string): string | null {
  const v = ctx.query[name];
  if (v === undefined) return '';
  if (typeof v !== 'string' || v.length > MAX_QUERY_VALUE) return null;
  return v.trim();
}

function sendPage(ctx: Context, status: number, body: string, redirectOrigin?: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', pageCsp(redirectOrigin));
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = body;
}

/** RFC 6265 §4.1.1 cookie-name token: a client identifier outside it simply gets no browser session. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,200}$/;
const cookieOf = (ctx: Context, name: string): string => (COOKIE_NAME.test(name) ? ctx.cookies.get(name) ?? '' : '');

const loginUrl = (path: string, jti: string): string => `${path}?jti=${encodeURIComponent(jti)}`;

/**
 * The browser flow (RFC 6749 §4.1, OIDC Core §3.1): GET /authorize → hosted /login (→ /totp) →
 * GET /login/finalize → 302 to the client with `code` and `state`. Pages are server-rendered with
 * escaping by default, carry a CSRF token bound to the login, and need no JavaScript.
 */
export function loginPageRoutes(router: Router, authorization: AuthorizationService): void {
  async function viewOrError(ctx: Context, jti: string): Promise<LoginView | null> {
    const view = jti ? await authorization.view(jti) : null;
    if (!view) sendPage(ctx, 400, errorPage('This sign-in link is invalid or has expired. Return to the application and start again.'));
    return view;
  }

  router.get('/authorize', async function authorizeGet(ctx: Context) {
    const names = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'max_age'];
    const q = Object.fromEntries(names.map((n) => [n, queryParam(ctx, n)]));
    const clientId = q.client_id ?? '';
    const redirectUri = q.redirect_uri ?? '';
    const repeated = names.filter((n) => q[n] === null);
    const maxAge = /^\d{0,9}$/.test(q.max_age ?? 'x') ? Number(q.max_age || 0) : -1;
    try {
      if (q.client_id === null || q.redirect_uri === null) throw new AuthorizationRequestError('invalid_request', false, 'Invalid request');
      const started = await authorization.authorize({ clientId, redirectUri, responseType: q.response_type ?? '',
        codeChallenge: q.code_challenge ?? '', codeChallengeMethod: q.code_challenge_method ?? '', scope: q.scope ?? '',
        nonce: q.nonce ?? '', state: q.state ?? '', maxAge: Math.max(maxAge, 0) }, requestContext(ctx),
      cookieOf(ctx, browserSessionCookieName(clientId)));
      if (repeated.length || maxAge < 0) throw new AuthorizationRequestError('invalid_request', true, 'Invalid request');
      // A live browser session (SESSION_BASED_AUTH) goes straight to finalize.
      ctx.redirect(loginUrl(started.renewed ? '/login/finalize' : '/login', started.jti));
    } catch (err) {
      if (!(err instanceof AuthorizationRequestError)) throw err;
      // RFC 6749 §4.1.2.1: without a valid client and registered redirect URI, never redirect.
      if (!err.redirectable) {
        sendPage(ctx, 400, errorPage('The application sent an invalid sign-in request (unknown client or redirect URI).'));
        return;
      }
      const url = new URL(redirectUri);
      url.searchParams.set('error', err.error);
      url.searchParams.set('error_description', err.message);
      if (q.state) url.searchParams.set('state', q.state);
      ctx.redirect(url.toString());
    }
  });

  router.get('/login', async function loginGet(ctx: Context) {
    const jti = queryParam(ctx, 'jti') ?? '';
    const view = await viewOrError(ctx, jti);
    if (!view) return;
    sendPage(ctx, 200, loginPage({ jti, csrf: authorization.csrfToken(jti), clientName: view.client_name, error: false }), view.redirect_origin);
  });

  router.post('/login', async function loginPost(ctx: Context) {
    const f = fieldsOf(ctx);
    const jti = stringField(f, 'jti', 64);
    const view = await viewOrError(ctx, jti);
    if (!view) return;
    const username = stringField(f, 'username', 256);
    const password = typeof f.password === 'string' && f.password.length <= 1024 ? f.password : '';
    const again = (): void => sendPage(ctx, 400, loginPage({ jti, csrf: authorization.csrfToken(jti), clientName: view.client_name,
      error: true, username }), view.redirect_origin);
    if (!authorization.csrfValid(jti, stringField(f, 'csrf', 128)) || !username || !password) return again();
    try {
      const step = await authorization.password(jti, username, password, '', requestContext(ctx));
      ctx.status = 303;
      ctx.redirect(loginUrl(step.requires_totp ? '/totp' : '/login/finalize', jti));
    } catch (err) {
      if (err instanceof InvalidCredentials) return again();
      throw err;
    }
  });

  router.get('/totp', async function totpGet(ctx: Context) {
    const jti = queryParam(ctx, 'jti') ?? '';
    const view = await viewOrError(ctx, jti);
    if (!view) return;
    sendPage(ctx, 200, totpPage({ jti, csrf: authorization.csrfToken(jti), clientName: view.client_name, error: false }), view.redirect_origin);
  });

  router.post('/totp', async function totpPost(ctx: Context) {
    const f = fieldsOf(ctx);
    const jti = stringField(f, 'jti', 64);
    const view = await viewOrError(ctx, jti);
    if (!view) return;
    const again = (): void => sendPage(ctx, 400, totpPage({ jti, csrf: authorization.csrfToken(jti), clientName: view.client_name,
      error: true }), view.redirect_origin);
    const code = stringField(f, 'totp_code', 16) || stringField(f, 'totp', 16);
    if (!authorization.csrfValid(jti, stringField(f, 'csrf', 128)) || !code) return again();
    try {
      await authorization.totp(jti, code, '', requestContext(ctx));
      ctx.status = 303;
      ctx.redirect(loginUrl('/login/finalize', jti));
    } catch (err) {
      if (err instanceof InvalidCredentials) return again();
      throw err;
    }
  });

  router.get('/login/finalize', async function finalizeGet(ctx: Context) {
    const jti = queryParam(ctx, 'jti') ?? '';
    try {
      if (!jti) throw new InvalidCredentials();
      ctx.set('Cache-Control', 'no-store');
      const done = await authorization.finalize(jti, requestContext(ctx), { browser: true });
      if (done.cookie && COOKIE_NAME.test(done.cookie.name)) {
        ctx.cookies.set(done.cookie.name, done.cookie.value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/',
          expires: done.cookie.expires, overwrite: true });
      }
      ctx.redirect(done.location);
    } catch (err) {
      if (!(err instanceof InvalidCredentials)) throw err;
      sendPage(ctx, 400, errorPage('This sign-in could not be completed. Return to the application and start again.'));
    }
  });
}
