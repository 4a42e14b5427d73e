import type { Context, Next } from 'koa';
import { MadApiError } from '../bindings/typescript/index.js';
import { html } from '../common/html.js';
import { COOKIE } from './session.js';
import { state, type DashboardDeps } from './context.js';
import { layout } from './views/layout.js';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } finally {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-store');
  }
}

/** Reads url-encoded forms (64 KiB max) into ctx.state.form; other bodies are refused. */
export async function formBody(ctx: Context, next: Next): Promise<void> {
  state(ctx).form = {};
  if (ctx.method === 'POST') {
    if (!ctx.is('application/x-www-form-urlencoded')) ctx.throw(400, 'Forms only');
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) {
      size += (c as Buffer).length;
      if (size > 65536) ctx.throw(413, 'Form too large');
      chunks.push(c as Buffer);
    }
    // Repeated fields (checkbox groups of ids) arrive comma-joined; see multi() in routes/users.ts.
    const form = state(ctx).form;
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) form[k] = form[k] === undefined ? v : `${form[k]},${v}`;
  }
  await next();
}

export function loadSession(deps: DashboardDeps) {
  return async function readSession(ctx: Context, next: Next): Promise<void> {
    state(ctx).session = deps.sealer.open(ctx.cookies.get(COOKIE));
    await next();
  };
}

/** Every page but the sign-in page needs a session; every POST needs the session's CSRF token. */
export function requireSession(deps: DashboardDeps) {
  return async function guard(ctx: Context, next: Next): Promise<void> {
    const session = state(ctx).session;
    if (!session) return ctx.redirect('/dashboard/login');
    if (ctx.method === 'POST' && !deps.sealer.checkCsrf(session.sid, state(ctx).form._csrf)) {
      ctx.status = 403;
      ctx.type = 'html';
      ctx.body = layout({ title: 'Forbidden', username: session.username, csrf: deps.sealer.csrfFor(session.sid) },
        html`<p>The form was not sent from this dashboard (missing or wrong CSRF token). Reload the page and try again.</p>`).value;
      return;
    }
    await next();
  };
}

/** API failures become a readable page; an expired/revoked admin token sends you to sign in again. */
export function errorPage(deps: DashboardDeps) {
  return async function renderErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const session = state(ctx).session;
      if (err instanceof MadApiError && err.status === 401) {
        ctx.cookies.set(COOKIE, null, { path: '/dashboard' });
        return ctx.redirect('/dashboard/login');
      }
      const status = err instanceof MadApiError ? (err.status >= 400 ? err.status : 502) : ((err as { status?: number }).status ?? 500);
      const message = err instanceof MadApiError || (err as { expose?: boolean }).expose ? (err as Error).message : 'Something went wrong.';
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = layout({ title: 'Error', username: session?.username, csrf: session ? deps.sealer.csrfFor(session.sid) : undefined,
        flash: { kind: 'error', text: message } }, html`<p><a href="/dashboard">Back to the overview</a></p>`).value;
    }
  };
}
