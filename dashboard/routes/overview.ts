import type Router from '@koa/router';
import { clientFor, state, type DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { layout } from '../views/layout.js';

const COUNTERS: [string, string, Record<string, string | number | boolean>][] = [
  ['Users', '/users', { limit: 1, include_inactive: true }], ['Roles', '/roles', {}], ['Permissions', '/permissions', {}],
  ['Scopes', '/scopes', {}], ['Clients', '/clients', {}], ['Sessions', '/sessions', { limit: 1 }], ['Audit records', '/audit-logs', { limit: 1 }],
];

/** Counts from the lists' X-Total-Count (one request each, run in parallel). */
export function overviewRoute(router: Router, deps: DashboardDeps): void {
  router.get('/dashboard', async (ctx) => {
    const session = state(ctx).session!;
    const client = clientFor(ctx, deps);
    const counts = await Promise.all(COUNTERS.map(async ([label, path, query]) => {
      try {
        const res = await client.transport.raw({ method: 'GET', path, query });
        const n = res.headers.get('X-Total-Count') ?? String(Array.isArray(res.body) ? res.body.length : '—');
        return html`<div class="counter"><strong>${n}</strong>${label}</div>`;
      } catch {
        return html`<div class="counter"><strong>—</strong>${label}</div>`;
      }
    }));
    ctx.type = 'html';
    ctx.body = layout({ title: 'Overview', username: session.username, csrf: deps.sealer.csrfFor(session.sid) },
      html`<div class="counters">${counts}</div>`).value;
  });
}
