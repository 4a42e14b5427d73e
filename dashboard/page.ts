import type { Context } from 'koa';
import type { AdminClient } from '../bindings/typescript/index.js';
import { clientFor, state, type DashboardDeps } from './context.js';
import type { Html } from '../common/html.js';
import { layout } from './views/layout.js';

/** What a page handler works with: the API client, the form, the CSRF token, and a renderer. */
export interface Page {
  api: AdminClient;
  form: Record<string, string>;
  csrf: string;
  render(title: string, body: Html, flash?: { kind: 'ok' | 'error'; text: string }): void;
  /** Redirect after a POST with a flash message in the query (Post/Redirect/Get). */
  done(to: string, text: string): void;
}

export function page(ctx: Context, deps: DashboardDeps): Page {
  const session = state(ctx).session!;
  const csrf = deps.sealer.csrfFor(session.sid);
  return {
    api: clientFor(ctx, deps),
    form: state(ctx).form,
    csrf,
    render(title, body, flash) {
      const msg = typeof ctx.query.ok === 'string' ? { kind: 'ok' as const, text: ctx.query.ok } : undefined;
      ctx.type = 'html';
      ctx.body = layout({ title, username: session.username, csrf, flash: flash ?? msg }, body).value;
    },
    done(to, text) {
      ctx.redirect(`${to}${to.includes('?') ? '&' : '?'}ok=${encodeURIComponent(text)}`);
    },
  };
}

/** A route param, or '' (route params are always present for the routes that use them). */
export const param = (ctx: Context, name: string): string => (ctx.params as Record<string, string | undefined>)[name] ?? '';
