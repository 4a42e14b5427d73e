import type Router from '@koa/router';
import type { DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { page, param } from '../page.js';
import { csrfField, table } from '../views/layout.js';

const PAGE = 50;
const offsetOf = (q: unknown): number => Math.max(0, Number(q) || 0);

/** Sessions and refresh tokens (list, revoke, purge) and the audit log (filter, verify the chain). */
export function activityPages(router: Router, deps: DashboardDeps): void {
  const purgeForm = (action: string, csrf: string) => html`<form method="post" action="${action}" class="card">${csrf ? csrfField(csrf) : ''}<h2>Purge</h2>
  <label for="days">Older than (days)</label><input id="days" name="days" type="text" value="7">
  <label><input type="checkbox" name="expired" value="1" checked> expired</label>
  <label><input type="checkbox" name="revoked" value="1"> revoked</label>
  <p><button type="submit" class="danger">Purge</button></p></form>`;
  const purgeBody = (f: Record<string, string>) => ({ older_than_seconds: Math.max(0, Number(f.days) || 0) * 86400,
    purge_expired: f.expired === '1', purge_revoked: f.revoked === '1' });

  router.get('/dashboard/sessions', async (ctx) => {
    const p = page(ctx, deps);
    const offset = offsetOf(ctx.query.offset);
    const list = await p.api.listSessions({ limit: PAGE, offset });
    p.render('Sessions', html`<p>${list.total} session(s), newest first.</p>
${table(list.items, [['User', (s) => s.username || s.user_id], ['Client', (s) => s.client_id], ['Plane', (s) => s.mad_use], ['Issued', (s) => s.issued_at],
      ['Expires', (s) => s.expires_at], ['Revoked', (s) => (s.is_revoked ? 'yes' : '')],
      ['', (s) => (s.is_revoked ? '' : html`<form method="post" action="/dashboard/sessions/${s.id}/revoke" class="inline">${csrfField(p.csrf)}<button type="submit" class="danger">Revoke</button></form>`)]])}
${offset + PAGE < list.total ? html`<p><a href="/dashboard/sessions?offset=${offset + PAGE}">Older</a></p>` : ''}
${purgeForm('/dashboard/sessions/purge', p.csrf)}`);
  });
  router.post('/dashboard/sessions/:jti/revoke', async (ctx) => {
    const p = page(ctx, deps);
    await p.api.revokeSession(param(ctx, 'jti'));
    p.done('/dashboard/sessions', 'Session revoked.');
  });
  router.post('/dashboard/sessions/purge', async (ctx) => {
    const p = page(ctx, deps);
    const res = await p.api.purgeSessions(purgeBody(p.form));
    p.done('/dashboard/sessions', res.message);
  });

  router.get('/dashboard/refresh-tokens', async (ctx) => {
    const p = page(ctx, deps);
    const offset = offsetOf(ctx.query.offset);
    const list = await p.api.listRefreshTokens({ limit: PAGE, offset });
    p.render('Refresh tokens', html`<p>${list.total} refresh token(s).</p>
${table(list.items, [['User', (t) => t.username || t.user_id], ['Client', (t) => t.client_id], ['Issued', (t) => t.issued_at], ['Expires', (t) => t.expires_at],
      ['Revoked', (t) => (t.is_revoked ? 'yes' : '')],
      ['', (t) => (t.is_revoked ? '' : html`<form method="post" action="/dashboard/refresh-tokens/${t.id}/revoke" class="inline">${csrfField(p.csrf)}<button type="submit" class="danger">Revoke family</button></form>`)]])}
${offset + PAGE < list.total ? html`<p><a href="/dashboard/refresh-tokens?offset=${offset + PAGE}">Older</a></p>` : ''}
${purgeForm('/dashboard/refresh-tokens/purge', p.csrf)}`);
  });
  router.post('/dashboard/refresh-tokens/:id/revoke', async (ctx) => {
    const p = page(ctx, deps);
    await p.api.revokeRefreshToken(param(ctx, 'id'));
    p.done('/dashboard/refresh-tokens', 'Refresh token family revoked.');
  });
  router.post('/dashboard/refresh-tokens/purge', async (ctx) => {
    const p = page(ctx, deps);
    const res = await p.api.purgeRefreshTokens(purgeBody(p.form));
    p.done('/dashboard/refresh-tokens', res.message);
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
