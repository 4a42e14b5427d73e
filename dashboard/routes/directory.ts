import type Router from '@koa/router';
import type { DashboardDeps } from '../context.js';
import { html } from '../../common/html.js';
import { page, param } from '../page.js';
import { csrfField, table } from '../views/layout.js';
import { multi } from './users.js';

/** Roles (with their permissions), permissions and scopes. */
export function directoryPages(router: Router, deps: DashboardDeps): void {
  router.get('/dashboard/roles', async (ctx) => {
    const p = page(ctx, deps);
    const roles = await p.api.listRoles();
    p.render('Roles', html`${table(roles, [['Name', (r) => html`<a href="/dashboard/roles/${r.id}">${r.name}</a>`], ['Description', (r) => r.description],
      ['Protected', (r) => (r.is_protected ? 'yes' : '')]])}
<form method="post" action="/dashboard/roles" class="card">${csrfField(p.csrf)}<h2>Create a role</h2>
  <label for="name">Name</label><input id="name" name="name" type="text" required>
  <label for="description">Description</label><input id="description" name="description" type="text">
  <p><button type="submit">Create</button></p></form>`);
  });
  router.post('/dashboard/roles', async (ctx) => {
    const p = page(ctx, deps);
    const r = await p.api.createRole(p.form.name ?? '', p.form.description ?? '');
    p.done(`/dashboard/roles/${r.id}`, `Role '${r.name}' created.`);
  });
  router.get('/dashboard/roles/:id', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    const [r, has, all] = await Promise.all([p.api.getRole(id), p.api.rolePermissions(id), p.api.listPermissions()]);
    const held = new Set(has.map((x) => x.id));
    p.render(`Role ${r.name}`, html`<form method="post" action="/dashboard/roles/${id}" class="card">${csrfField(p.csrf)}
  <label for="name">Name</label><input id="name" name="name" type="text" value="${r.name}" ${r.is_protected ? html`readonly` : ''}>
  <label for="description">Description</label><input id="description" name="description" type="text" value="${r.description ?? ''}">
  <p><button type="submit">Save</button></p></form>
<form method="post" action="/dashboard/roles/${id}/permissions" class="card">${csrfField(p.csrf)}<h2>Permissions</h2>
  ${all.length ? all.map((x) => html`<label><input type="checkbox" name="permission" value="${x.id}" ${held.has(x.id) ? html`checked` : ''}> ${x.name}</label>`) : html`<p class="empty">No permissions yet.</p>`}
  <p><button type="submit" class="secondary">Save permissions</button></p></form>
${r.is_protected ? '' : html`<form method="post" action="/dashboard/roles/${id}/delete" class="card">${csrfField(p.csrf)}<button type="submit" class="danger">Delete role</button></form>`}`);
  });
  router.post('/dashboard/roles/:id', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    await p.api.updateRole(id, { name: p.form.name ?? '', description: p.form.description ?? '' });
    p.done(`/dashboard/roles/${id}`, 'Role saved.');
  });
  router.post('/dashboard/roles/:id/permissions', async (ctx) => {
    const p = page(ctx, deps);
    const id = param(ctx, 'id');
    const chosen = new Set(multi(p.form, 'permission'));
    const current = await p.api.rolePermissions(id);
    for (const x of current) if (!chosen.has(x.id)) await p.api.removePermission(id, x.id);
    for (const x of chosen) if (!current.some((c) => c.id === x)) await p.api.assignPermission(id, x);
    p.done(`/dashboard/roles/${id}`, 'Permissions saved.');
  });
  router.post('/dashboard/roles/:id/delete', async (ctx) => {
    const p = page(ctx, deps);
    await p.api.deleteRole(param(ctx, 'id'));
    p.done('/dashboard/roles', 'Role deleted.');
  });

  router.get('/dashboard/permissions', async (ctx) => {
    const p = page(ctx, deps);
    const list = await p.api.listPermissions();
    p.render('Permissions', html`${table(list, [['Name', (x) => x.name], ['Id', (x) => x.id],
      ['', (x) => html`<form method="post" action="/dashboard/permissions/${x.id}/delete" class="inline">${csrfField(p.csrf)}<button type="submit" class="danger">Delete</button></form>`]])}
<form method="post" action="/dashboard/permissions" class="card">${csrfField(p.csrf)}<h2>Create a permission</h2>
  <label for="name">Name</label><input id="name" name="name" type="text" required>
  <p><button type="submit">Create</button></p></form>`);
  });
  router.post('/dashboard/permissions', async (ctx) => {
    const p = page(ctx, deps);
    const x = await p.api.createPermission(p.form.name ?? '');
    p.done('/dashboard/permissions', `Permission '${x.name}' created.`);
  });
  router.post('/dashboard/permissions/:id/delete', async (ctx) => {
    const p = page(ctx, deps);
    await p.api.deletePermission(param(ctx, 'id'));
    p.done('/dashboard/permissions', 'Permission deleted.');
  });

  router.get('/dashboard/scopes', async (ctx) => {
    const p = page(ctx, deps);
    const list = await p.api.listScopes();
    p.render('Scopes', html`${table(list, [['Name', (x) => x.name], ['Description', (x) => x.desc], ['Protected', (x) => (x.is_protected ? 'yes' : '')],
      ['', (x) => (x.is_protected ? '' : html`<form method="post" action="/dashboard/scopes/${x.id}/delete" class="inline">${csrfField(p.csrf)}<button type="submit" class="danger">Delete</button></form>`)]])}
<form method="post" action="/dashboard/scopes" class="card">${csrfField(p.csrf)}<h2>Create a scope</h2>
  <label for="name">Name</label><input id="name" name="name" type="text" required>
  <label for="desc">Description</label><input id="desc" name="desc" type="text">
  <p><button type="submit">Create</button></p></form>`);
  });
  router.post('/dashboard/scopes', async (ctx) => {
    const p = page(ctx, deps);
    const x = await p.api.createScope(p.form.name ?? '', p.form.desc ?? '');
    p.done('/dashboard/scopes', `Scope '${x.name}' created.`);
  });
  router.post('/dashboard/scopes/:id/delete', async (ctx) => {
    const p = page(ctx, deps);
    await p.api.deleteScope(param(ctx, 'id'));
    p.done('/dashboard/scopes', 'Scope deleted.');
  });
}
