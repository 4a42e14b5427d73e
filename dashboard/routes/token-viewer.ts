import type Router from '@koa/router';
import type { Context } from 'koa';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { clientFor, state, type DashboardDeps } from '../context.js';
import { html, type Html } from '../../common/html.js';
import { csrfField, layout } from '../views/layout.js';

/**
 * Decodes a pasted JWT and verifies it against the right plane: admin tokens with the admin plane's
 * JWKS, auth tokens through the admin API's introspection (which checks the auth plane's keys).
 */
export function tokenViewerRoutes(router: Router, deps: DashboardDeps): void {
  const render = (ctx: Context, token: string, result?: Html) => {
    const session = state(ctx).session!;
    const csrf = deps.sealer.csrfFor(session.sid);
    ctx.type = 'html';
    ctx.body = layout({ title: 'Token viewer', username: session.username, csrf }, html`<form method="post" action="/dashboard/tools/token" class="card">
  ${csrfField(csrf)}
  <label for="jwt">JWT</label>
  <textarea id="jwt" name="jwt" spellcheck="false" required>${token}</textarea>
  <p><button type="submit">Decode and verify</button></p>
</form>
${result ?? ''}`).value;
  };

  router.get('/dashboard/tools/token', (ctx) => render(ctx, ''));

  router.post('/dashboard/tools/token', async (ctx) => {
    const token = (state(ctx).form.jwt ?? '').trim();
    let header: unknown;
    let payload: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token);
      payload = decodeJwt(token) as Record<string, unknown>;
    } catch {
      return render(ctx, token, html`<p class="flash error" role="status">This is not a JWT.</p>`);
    }
    const client = clientFor(ctx, deps);
    let verdict: string;
    if (payload.mad === 'admin') {
      try {
        await jwtVerify(token, createLocalJWKSet(await client.adminJwks() as never), { algorithms: ['RS256', 'ES256'] });
        verdict = 'Valid ADMIN-plane token (signature checked against the admin JWKS).';
      } catch (err) {
        verdict = `Invalid ADMIN-plane token: ${(err as Error).message}`;
      }
    } else {
      try {
        const res = await client.transport.request<Record<string, unknown>>({ method: 'POST', path: '/introspect', body: { json: { token } } });
        verdict = res.active === false ? 'AUTH-plane token with a valid signature, but revoked or expired.' : 'Valid AUTH-plane token (checked by the server against the auth keys).';
      } catch (err) {
        verdict = `Not a valid AUTH-plane token: ${(err as Error).message}`;
      }
    }
    render(ctx, token, html`<p class="flash ${verdict.startsWith('Valid') ? 'ok' : 'error'}" role="status">${verdict}</p>
<h2>Header</h2><pre>${JSON.stringify(header, null, 2)}</pre>
<h2>Payload</h2><pre>${JSON.stringify(payload, null, 2)}</pre>`);
  });
}
