import type Router from '@koa/router';
import type { PermissionService } from '../../../services/permissions.js';
import type { RoleService } from '../../../services/roles.js';
import { badRequest } from '../../shared/errors.js';
import { jsonFields, jsonValue, optionalBool, optionalString, stringField } from '../../shared/input.js';
import { requestContext } from '../request-context.js';
import { message, sendList } from './admin-input.js';

const idString = (v: string) => JSON.stringify(v);

/** Roles, role assignment and role permissions (routes 25–35, 44–48). */
export function roleRoutes(router: Router, roles: RoleService): void {
  router.post('/roles', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = await roles.create(stringField(f, 'name', 256), optionalString(f, 'description', 2000) ?? '', requestContext(ctx));
  });
  router.put('/roles/:id', async (ctx) => {
    const f = jsonFields(ctx);
    const name = optionalString(f, 'name', 256);
    const description = optionalString(f, 'description', 2000);
    const isProtected = optionalBool(f, 'is_protected');
    ctx.body = await roles.update(ctx.params.id ?? '', { ...(typeof name === 'string' ? { name } : {}),
      ...(description !== undefined ? { description } : {}), ...(isProtected !== undefined ? { is_protected: isProtected } : {}) }, requestContext(ctx));
  });
  router.get('/roles', async (ctx) => {
    sendList(ctx, await roles.list());
  });
  router.get('/roles/id-by-name/:name', async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = idString(await roles.idByName(ctx.params.name ?? ''));
  });
  router.get('/roles/user/:userId', async (ctx) => {
    sendList(ctx, await roles.roleIdsOfUser(ctx.params.userId ?? ''));
  });
  router.post('/roles/assign', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = message(await roles.assign(stringField(f, 'user_id', 100), stringField(f, 'role_id', 100), requestContext(ctx)));
  });
  router.post('/roles/unassign', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = message(await roles.unassign(stringField(f, 'user_id', 100), stringField(f, 'role_id', 100), requestContext(ctx)));
  });
  router.get('/roles/:id', async (ctx) => {
    ctx.body = await roles.get(ctx.params.id ?? '');
  });
  router.delete('/roles/:roleId', async (ctx) => {
    ctx.body = message(await roles.delete(ctx.params.roleId ?? '', requestContext(ctx)));
  });
  router.post('/roles/:roleId/permissions', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = message(await roles.addPermission(ctx.params.roleId ?? '', stringField(f, 'permission_id', 100), requestContext(ctx)));
  });
  router.delete('/roles/:roleId/permissions/:permissionId', async (ctx) => {
    ctx.body = message(await roles.removePermission(ctx.params.roleId ?? '', ctx.params.permissionId ?? '', requestContext(ctx)));
  });
  router.get('/roles/:roleId/permissions', async (ctx) => {
    sendList(ctx, await roles.permissionsOf(ctx.params.roleId ?? ''));
  });

  router.get('/users/:userId/roles', async (ctx) => {
    const all = ctx.query.all;
    if (all !== undefined && all !== 'true' && all !== 'false') throw badRequest("Query parameter 'all' must be true or false");
    sendList(ctx, await roles.rolesOfUser(ctx.params.userId ?? '', all === 'true'));
  });
  // The body is a bare JSON array of RoleDto ({id, name}), as the original's.
  router.put('/users/:userId/roles', async (ctx) => {
    const value = jsonValue(ctx);
    if (!Array.isArray(value) || value.length > 1000 || value.some((r) => !r || typeof (r as { id?: unknown }).id !== 'string')) {
      throw badRequest('Body must be a JSON array of roles: [{"id":"…","name":"…"}]');
    }
    ctx.body = message(await roles.replaceUserRoles(ctx.params.userId ?? '', (value as { id: string }[]).map((r) => r.id), requestContext(ctx)));
  });
}

/** Permissions and access checks (routes 36–43, 46–47). */
export function permissionRoutes(router: Router, permissions: PermissionService): void {
  router.post('/permissions', async (ctx) => {
    ctx.body = await permissions.create(stringField(jsonFields(ctx), 'name', 256), requestContext(ctx));
  });
  router.put('/permissions/:id', async (ctx) => {
    // contract.md: partial bodies on every PUT; an absent (or null) name keeps the current one.
    ctx.body = await permissions.rename(ctx.params.id ?? '', optionalString(jsonFields(ctx), 'name', 256) ?? undefined, requestContext(ctx));
  });
  router.get('/permissions', async (ctx) => {
    sendList(ctx, await permissions.list());
  });
  router.get('/permissions/id-by-name/:name', async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = idString(await permissions.idByName(ctx.params.name ?? ''));
  });
  router.get('/permissions/retrieve/all', async (ctx) => {
    sendList(ctx, await permissions.list(true));
  });
  router.get('/permissions/user/:userId', async (ctx) => {
    sendList(ctx, await permissions.ofUser(ctx.params.userId ?? ''));
  });
  router.get('/permissions/:id', async (ctx) => {
    ctx.body = await permissions.get(ctx.params.id ?? '');
  });
  router.delete('/permissions/:permissionId', async (ctx) => {
    ctx.body = message(await permissions.delete(ctx.params.permissionId ?? '', requestContext(ctx)));
  });
  router.post('/check-access', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = await permissions.checkAccess(stringField(f, 'user_id', 100), stringField(f, 'permission_id', 100));
  });
}

/** GET /permissions/retrieve/{roleId}: a role's permissions as PermissionDto. */
export function rolePermissionDtoRoute(router: Router, roles: RoleService): void {
  router.get('/permissions/retrieve/:roleId', async (ctx) => {
    sendList(ctx, await roles.permissionsOf(ctx.params.roleId ?? ''));
  });
}
