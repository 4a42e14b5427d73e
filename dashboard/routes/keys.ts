import type Router from '@koa/router';
import { clientFor, state, type DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { csrfField, layout, table } from '../views/layout.js';

export function keyRoutes(router: Router, deps: DashboardDeps): void {
  router.get('/dashboard/keys', async (ctx) => {
    const session = state(ctx).session!;
    const csrf = deps.sealer.csrfFor(session.sid);
    const client = clientFor(ctx, deps);
    const sections = await Promise.all((['auth', 'admin'] as const).map(async (plane) => html`<h2>${plane === 'auth' ? 'AUTH plane' : 'ADMIN plane'}</h2>
${table(await client.listKeys(plane), [['Key id', (k) => k.kid], ['Algorithm', (k) => k.alg], ['Status', (k) => k.status],
  ['Created', (k) => k.created_at], ['Published until', (k) => k.publish_until ?? '']])}
<form method="post" action="/dashboard/keys/${plane}/rotate" class="card">${csrfField(csrf)}
  <p>Rotation makes the standby key current and publishes a new standby; tokens signed by the old key stay valid until they expire.</p>
  <button type="submit">Rotate ${plane} keys</button>
</form>`));
    const flash = ctx.query.rotated ? { kind: 'ok' as const, text: `Rotated the ${String(ctx.query.rotated)} plane's keys.` } : undefined;
    ctx.type = 'html';
    ctx.body = layout({ title: 'Signing keys', username: session.username, csrf, flash }, html`${sections}`).value;
  });

  router.post('/dashboard/keys/:plane/rotate', async (ctx) => {
    const plane = ctx.params.plane === 'admin' ? 'admin' : 'auth';
    await clientFor(ctx, deps).rotateKeys(plane);
    ctx.redirect(`/dashboard/keys?rotated=${plane}`);
  });
}
