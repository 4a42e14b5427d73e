import type Router from '@koa/router';
import { MadApiError } from '../../bindings/typescript/index.js';
import type { DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { page, param } from '../page.js';
import { csrfField, table } from '../views/layout.js';

const PAGE = 25;

/** Users: list (search, paging, inactive), create, edit, activate/deactivate, reset, lockout, roles, scopes, TOTP. */
export function userPages(router: Router, deps: DashboardDeps): void {
  router.get('/dashboard/users', async (ctx) => {
    const p = page(ctx, deps);
    const offset = Math.max(0, Number(ctx.query.offset) || 0);
    const inactive = ctx.query.inactive === '1';
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim().toLowerCase() : '';
    let list = await p.api.listUsersPage({ limit: q ? 1000 : PAGE, offset: q ? 0 : offset, include_inactive: inactive });
    if (q) list = { items: list.items.filter((u) => u.username.includes(q) || u.email.includes(q)), total: list.total };
    p.render('Users', html`<form method="get" action="/dashboard/users" class="card" role="search">
  <label for="q">Search by username or email</label>
  <input id="q" name="q" type="search" value="${q}">
  <label><input type="checkbox" name="inactive" value="1" ${inactive ? html`checked` : ''}> include inactive users</label>
  <p><button type="submit">Search</button> <a href="/dashboard/users/new">Create a user</a></p>
</form>
${table(list.items, [['Username', (u) => html`<a href="/dashboard/users/${u.id}">${u.username}</a>`], ['Email', (u) => u.email],
  ['Active', (u) => (u.is_active ? 'yes' : 'no')], ['Locked until', (u) => u.lockout_until ?? ''], ['Created', (u) => u.created_at]], 'No users match.')}
${!q && list.total > PAGE ? html`<p>Showing ${offset + 1}–${Math.min(offset + PAGE, list.total)} of ${list.total}.
  ${offset > 0 ? html`<a href="/dashboard/users?offset=${Math.max(0, offset - PAGE)}${inactive ? '&inactive=1' : ''}">Previous</a>` : ''}
  ${offset + PAGE < list.total ? html`<a href="/dashboard/users?offset=${offset + PAGE}${inactive ? '&inactive=1' : ''}">Next</a>` : ''}</p>` : ''}`);
  });

  router.get('/dashboard/users/new', (ctx) => {
    const p = page(ctx, deps);
    p.render('Create a user', html`<form method="post" action="/dashboard/users" class="card">${csrfField(p.csrf)}
  <label for="username">Username</label><input id="username" name="username" type="text" required>
  <label for="email">Email</label><input id="email" name="email" type="email" required>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
  <p><button type="submit">Create</button></p>
</form>`);
  });

  router.post('/dashboard/users', async (ctx) => {
    const p = page(ctx, deps);
    const u = await p.api.createUser({ username: p.form.username ?? '', email: p.form.email ?? '', password: p.form.password ?? '' });
    p.done(`/dashboard/users/${u.id}`, `User '${u.username}' created.`);
  });

  router.get('/dashboard/users/:id', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    const [u, roles, allRoles, scopes, allScopes, clients] = await Promise.all([p.api.getUser(id), p.api.userRoles(id), p.api.userRoles(id, true),
      p.api.userScopes(id), p.api.listScopes(), p.api.listClients()]);
    const has = new Set(roles.map((r) => r.id));
    const hasScope = new Set(scopes.map((s) => s.id));
    const post = (action: string, label: string, cls = '') => html`<form method="post" action="/dashboard/users/${id}/${action}" class="inline">${csrfField(p.csrf)}<button type="submit" class="${cls}">${label}</button></form>`;
    p.render(`User ${u.username}`, html`<form method="post" action="/dashboard/users/${id}" class="card">${csrfField(p.csrf)}
  <label for="username">Username</label><input id="username" name="username" type="text" value="${u.username}" required>
  <label for="email">Email</label><input id="email" name="email" type="email" value="${u.email}" required>
  <label><input type="checkbox" name="email_verified" value="1" ${u.email_verified ? html`checked` : ''}> email verified</label>
  <p><button type="submit">Save</button></p>
</form>
<div class="card"><p>Status: ${u.is_active ? 'active' : 'inactive'}${u.lockout_until ? html`, locked until ${u.lockout_until}` : ''}; TOTP ${u.totp_enabled ? 'enabled' : 'off'}.</p>
  ${u.is_active ? post('deactivate', 'Deactivate', 'danger') : post('activate', 'Activate')}
  ${u.lockout_until ? post('unlock', 'Clear lockout', 'secondary') : ''}
  ${post('delete', 'Delete user', 'danger')}
</div>
<form method="post" action="/dashboard/users/${id}/lock" class="card">${csrfField(p.csrf)}
  <label for="until">Lock until (UTC, e.g. 2030-01-01T00:00)</label><input id="until" name="until" type="text" required>
  <p><button type="submit" class="secondary">Lock</button></p>
</form>
<form method="post" action="/dashboard/users/${id}/password" class="card">${csrfField(p.csrf)}
  <label for="new_password">New password</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
  <p><button type="submit" class="secondary">Reset password</button></p>
</form>
<form method="post" action="/dashboard/users/${id}/roles" class="card">${csrfField(p.csrf)}
  <h2>Roles</h2>
  ${allRoles.map((r) => html`<label><input type="checkbox" name="role" value="${r.id}" ${has.has(r.id) ? html`checked` : ''}> ${r.name}</label>`)}
  <p><button type="submit" class="secondary">Save roles</button></p>
</form>
<form method="post" action="/dashboard/users/${id}/scopes" class="card">${csrfField(p.csrf)}
  <h2>Scopes</h2>
  ${allScopes.map((s) => html`<label><input type="checkbox" name="scope" value="${s.id}" ${hasScope.has(s.id) ? html`checked` : ''}> ${s.name}</label>`)}
  <p><button type="submit" class="secondary">Save scopes</button></p>
</form>
<form method="post" action="/dashboard/users/${id}/totp" class="card">${csrfField(p.csrf)}
  <h2>TOTP enrolment</h2>
  <label for="client">Client (its ENABLE_TOTP flag must be on)</label>
  <select id="client" name="client">${clients.map((c) => html`<option value="${c.id}">${c.client_id}</option>`)}</select>
  <p><button type="submit" class="secondary">Generate a QR code</button></p>
</form>`);
  });

  router.post('/dashboard/users/:id', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    await p.api.updateUser(id, { username: p.form.username ?? '', email: p.form.email ?? '', email_verified: p.form.email_verified === '1' });
    p.done(`/dashboard/users/${id}`, 'User saved.');
  });

  const action = (name: string, run: (api: ReturnType<typeof page>['api'], id: string, form: Record<string, string>) => Promise<unknown>, text: string, to?: string) =>
    router.post(`/dashboard/users/:id/${name}`, async (ctx) => {
      const p = page(ctx, deps);
      const id = param(ctx, 'id');
      await run(p.api, id, p.form);
      p.done(to ?? `/dashboard/users/${id}`, text);
    });
  action('deactivate', (api, id) => api.deactivateUser(id), 'User deactivated; their sessions were revoked.');
  action('activate', (api, id) => api.activateUser(id), 'User activated.');
  action('unlock', (api, id) => api.setLockout(id, null), 'Lockout cleared.');
  action('delete', (api, id) => api.deleteUser(id), 'User deleted.', '/dashboard/users');
  action('password', (api, id, f) => api.resetPassword(id, f.new_password ?? ''), 'Password reset.');
  action('lock', (api, id, f) => {
    const until = Date.parse(`${(f.until ?? '').replace(/Z$/, '')}Z`);
    if (Number.isNaN(until)) throw new MadApiError(400, 'Enter the lock date as 2030-01-01T00:00', undefined);
    return api.setLockout(id, new Date(until).toISOString());
  }, 'User locked; their sessions were revoked.');
  action('roles', async (api, id, f) => {
    const all = await api.userRoles(id, true);
    const chosen = new Set(multi(f, 'role'));
    return api.replaceUserRoles(id, all.filter((r) => chosen.has(r.id)));
  }, 'Roles saved.');
  action('scopes', async (api, id, f) => {
    const chosen = new Set(multi(f, 'scope'));
    const current = await api.userScopes(id);
    for (const s of current) if (!chosen.has(s.id)) await api.removeUserScope(id, s.id);
    const add = [...chosen].filter((s) => !current.some((c) => c.id === s));
    if (add.length) await api.assignUserScopes(id, add);
  }, 'Scopes saved.');

  router.post('/dashboard/users/:id/totp', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    const res = await p.api.generateTotp(id, p.form.client ?? '');
    // The SVG comes from our own server's QR encoder; it is shown as an <img> data URI, never inlined as markup.
    p.render('TOTP enrolment', html`<div class="card"><p>Scan this code with an authenticator app, then ask the user for a code to
  enable TOTP (<code>mad user totp-verify</code> or the admin API).</p>
  <img alt="TOTP QR code" width="240" height="240" src="data:image/svg+xml;base64,${Buffer.from(res.qr_svg).toString('base64')}">
  <p>Manual entry: <span class="secret">${res.otpauth_uri}</span></p>
  <p><a href="/dashboard/users/${id}">Back to the user</a></p></div>`);
  });
}

/** Checkbox groups post repeated fields; the form parser keeps the first, so they arrive comma-joined. */
export function multi(form: Record<string, string>, name: string): string[] {
  return (form[name] ?? '').split(',').filter(Boolean);
}
