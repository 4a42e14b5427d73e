import type Router from '@koa/router';
import type { AdminClient, MessageResponse, Page, PageQuery, PurgeTokensRequest, RefreshTokenResponse, SessionResponse } from '../../bindings/typescript/index.js';
import type { DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { page, param } from '../page.js';
import { csrfField, table } from '../views/layout.js';

const PAGE = 50;
const offsetOf = (q: unknown): number => Math.max(0, Number(q) || 0);

/** What differs between the sessions pages and the refresh-token pages. */
interface GrantPages<T extends { id: string; is_revoked: boolean }> {
  /** '/dashboard/sessions': the list; `<path>/:id/revoke` and `<path>/purge` are its forms. */
  path: string;
  title: string;
  summary: (total: number) => string;
  columns: [string, (row: T) => unknown][];
  revokeButton: string;
  revokedMessage: string;
  list(api: AdminClient, q: PageQuery): Promise<Page<T>>;
  revoke(api: AdminClient, id: string): Promise<unknown>;
  purge(api: AdminClient, req: PurgeTokensRequest): Promise<MessageResponse>;
}

const purgeForm = (action: string, csrf: string) => html`<form method="post" action="${action}" class="card">${csrf ? csrfField(csrf) : ''}<h2>Purge</h2>
  <label for="days">Older than (days)</label><input id="days" name="days" type="text" value="7">
  <label><input type="checkbox" name="expired" value="1" checked> expired</label>
  <label><input type="checkbox" name="revoked" value="1"> revoked</label>
  <p><button type="submit" class="danger">Purge</button></p></form>`;
const purgeRequest = (f: Record<string, string>): PurgeTokensRequest => ({ older_than_seconds: Math.max(0, Number(f.days) || 0) * 86400,
  purge_expired: f.expired === '1', purge_revoked: f.revoked === '1' });

/** A paged list with a revoke button per live row and a purge form, plus the two POST handlers. */
function grantPages<T extends { id: string; is_revoked: boolean }>(router: Router, deps: DashboardDeps, g: GrantPages<T>): void {
  router.get(g.path, async (ctx) => {
    const p = page(ctx, deps);
    const offset = offsetOf(ctx.query.offset);
    const list = await g.list(p.api, { limit: PAGE, offset });
    const revoke = (r: T) => (r.is_revoked ? ''
      : html`<form method="post" action="${g.path}/${r.id}/revoke" class="inline">${csrfField(p.csrf)}<button type="submit" class="danger">${g.revokeButton}</button></form>`);
    p.render(g.title, html`<p>${g.summary(list.total)}</p>
${table(list.items, [...g.columns, ['Revoked', (r) => (r.is_revoked ? 'yes' : '')], ['', revoke]])}
${offset + PAGE < list.total ? html`<p><a href="${g.path}?offset=${offset + PAGE}">Older</a></p>` : ''}
${purgeForm(`${g.path}/purge`, p.csrf)}`);
  });
  router.post(`${g.path}/:id/revoke`, async (ctx) => {
    const p = page(ctx, deps);
    await g.revoke(p.api, param(ctx, 'id'));
    p.done(g.path, g.revokedMessage);
  });
  router.post(`${g.path}/purge`, async (ctx) => {
    const p = page(ctx, deps);
    p.done(g.path, (await g.purge(p.api, purgeRequest(p.form))).message);
  });
}

/** Sessions and refresh tokens (list, revoke, purge) and the audit log (filter, verify the chain). */
export function activityPages(router: Router, deps: DashboardDeps): void {
  grantPages<SessionResponse>(router, deps, {
    path: '/dashboard/sessions', title: 'Sessions', summary: (n) => `${n} session(s), newest first.`,
    columns: [['User', (s) => s.username || s.user_id], ['Client', (s) => s.client_id], ['Plane', (s) => s.mad_use],
      ['Issued', (s) => s.issued_at], ['Expires', (s) => s.expires_at]],
    revokeButton: 'Revoke', revokedMessage: 'Session revoked.',
    list: (api, q) => api.listSessions(q), revoke: (api, id) => api.revokeSession(id), purge: (api, req) => api.purgeSessions(req),
  });
  grantPages<RefreshTokenResponse>(router, deps, {
    path: '/dashboard/refresh-tokens', title: 'Refresh tokens', summary: (n) => `${n} refresh token(s).`,
    columns: [['User', (t) => t.username || t.user_id], ['Client', (t) => t.client_id], ['Issued', (t) => t.issued_at], ['Expires', (t) => t.expires_at]],
    revokeButton: 'Revoke family', revokedMessage: 'Refresh token family revoked.',
    list: (api, q) => api.listRefreshTokens(q), revoke: (api, id) => api.revokeRefreshToken(id), purge: (api, req) => api.purgeRefreshTokens(req),
  });

  router.get('/dashboard/audit', async (ctx) => {
    const p = page(ctx, deps);
    const action = typeof ctx.query.action === 'string' ? ctx.query.action.trim() : '';
    const userId = typeof ctx.query.user === 'string' ? ctx.query.user.trim() : '';
    const offset = offsetOf(ctx.query.offset);
    const [list, chain] = await Promise.all([p.api.listAuditLogs({ limit: PAGE, offset, ...(action ? { action } : {}), ...(userId ? { userId } : {}) }),
      ctx.query.verify === '1' ? p.api.verifyAuditLog() : Promise.resolve(null)]);
    p.render('Audit log', html`<form method="get" action="/dashboard/audit" class="card" role="search">
  <label for="action">Action</label><input id="action" name="action" type="text" value="${action}">
  <label for="user">Actor (user id)</label><input id="user" name="user" type="text" value="${userId}">
  <p><button type="submit">Filter</button> <a href="/dashboard/audit?verify=1">Verify the hash chain</a></p></form>
${chain ? html`<p class="flash ${chain.ok ? 'ok' : 'error'}" role="status">${chain.ok ? `Chain intact: ${chain.checked} record(s) verified.` : `Chain BROKEN at record ${chain.broken_at}.`}</p>` : ''}
${table(list.items, [['Time', (a) => a.timestamp], ['Actor', (a) => a.actor_id], ['Action', (a) => a.action], ['Target', (a) => a.target],
      ['Secondary', (a) => a.secondary], ['IP', (a) => a.ip_address]])}
${offset + PAGE < list.total ? html`<p><a href="/dashboard/audit?offset=${offset + PAGE}&action=${action}&user=${userId}">Older</a></p>` : ''}`);
  });
}
