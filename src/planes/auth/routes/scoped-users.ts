import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { JWTPayload } from 'jose';
import type { UserService } from '../../../services/users.js';
import { HttpError } from '../../shared/errors.js';
import { jsonFields, optionalString, queryInt, stringField } from '../../shared/input.js';
import { requestContext } from '../request-context.js';

/**
 * Scoped user administration on the auth plane (auth-api.md §8). The token's `scope` claim holds
 * scope NAMES, space-separated (the original compared ids and saw only the first scope).
 */
function requireScope(name: string) {
  return async function checkScope(ctx: Context, next: Next): Promise<void> {
    const scope = (ctx.state.token as JWTPayload).scope;
    if (typeof scope !== 'string' || !scope.split(' ').includes(name)) throw new HttpError(403, 'Permission denied');
    await next();
  };
}

export function scopedUserRoutes(router: Router, users: UserService): void {
  router.post('/user', requireScope('admin:provision_users'), async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = await users.create({ username: stringField(f, 'username', 256), email: stringField(f, 'email', 320),
      password: optionalString(f, 'password', 1024) ?? '' }, requestContext(ctx));
  });
  router.post('/user/:id/reset', requireScope('admin:reset_passwords'), async (ctx) => {
    const password = optionalString(jsonFields(ctx), 'new_password', 1024) ?? '';
    if (!password) throw new HttpError(400, 'New password is required');
    ctx.body = { success: true, message: `${await users.resetPassword(ctx.params.id ?? '', password, requestContext(ctx))}.` };
  });
  router.post('/user/:id/deactivate', requireScope('admin:deactivate_users'), async (ctx) => {
    ctx.body = { success: true, message: await users.deactivate(ctx.params.id ?? '', requestContext(ctx)) };
  });
  router.get('/user/:id', requireScope('admin:read_user'), async (ctx) => {
    ctx.body = await users.get(ctx.params.id ?? '');
  });
  router.get('/users', requireScope('admin:list_users'), async (ctx) => {
    const page = await users.list({ limit: queryInt(ctx, 'limit', 50, 1, 1000), offset: queryInt(ctx, 'offset', 0, 0, 1e9), includeInactive: false });
    ctx.set('X-Total-Count', String(page.total));
    ctx.body = page.items;
  });
}
