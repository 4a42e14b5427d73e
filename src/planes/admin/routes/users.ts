import type Router from '@koa/router';
import type { UserService, UserUpdate } from '../../../services/users.js';
import { badRequest } from '../../shared/errors.js';
import { jsonFields, optionalBool, optionalString, queryInt, stringField } from '../../shared/input.js';
import { requestContext } from '../request-context.js';
import { message, sendPage } from './admin-input.js';


/** Users (admin-api.md routes 3–13), with the contract's fixes: paging, partial PUT, real activate. */
export function userRoutes(router: Router, users: UserService): void {
  router.post('/users', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = await users.create({ username: stringField(f, 'username', 256), email: stringField(f, 'email', 320),
      password: optionalString(f, 'password', 1024) ?? '' }, requestContext(ctx));
  });

  router.get('/users', async (ctx) => {
    const page = await users.list({ limit: queryInt(ctx, 'limit', 50, 1, 1000), offset: queryInt(ctx, 'offset', 0, 0, 1e9),
      includeInactive: ctx.query.include_inactive === 'true' });
    sendPage(ctx, page);
  });

  router.get('/users/id-by-name/:username', async (ctx) => {
    ctx.body = JSON.stringify(await users.idByName(ctx.params.username ?? ''));
    ctx.type = 'application/json';
  });

  router.get('/users/:id', async (ctx) => {
    ctx.body = await users.get(ctx.params.id ?? '');
  });

  router.put('/users/:id', async (ctx) => {
    const f = jsonFields(ctx);
    const id = ctx.params.id ?? '';
    const bodyId = optionalString(f, 'id', 100);
    // contract.md: the route id decides; a different body id is a mistake, not a redirect.
    if (bodyId && bodyId !== id) throw badRequest('Body id does not match the route id');
    const change: UserUpdate = {};
    const username = optionalString(f, 'username', 256);
    const email = optionalString(f, 'email', 320);
    const isActive = optionalBool(f, 'is_active');
    const emailVerified = optionalBool(f, 'email_verified');
    if (typeof username === 'string') change.username = username;
    if (typeof email === 'string') change.email = email;
    if (isActive !== undefined) change.is_active = isActive;
    if (emailVerified !== undefined) change.email_verified = emailVerified;
    if ('lockout_until' in f) change.lockout_until = optionalString(f, 'lockout_until', 64) ?? null;
    ctx.body = await users.update(id, change, requestContext(ctx));
  });

  router.post('/users/:id/verify-email', async (ctx) => {
    ctx.body = message(await users.verifyEmail(ctx.params.id ?? '', requestContext(ctx)));
  });
  router.post('/users/deactivate/:id', async (ctx) => {
    ctx.body = message(await users.deactivate(ctx.params.id ?? '', requestContext(ctx)));
  });
  router.post('/users/:id/activate', async (ctx) => {
    ctx.body = message(await users.activate(ctx.params.id ?? '', requestContext(ctx)));
  });
  router.delete('/users/:id', async (ctx) => {
    ctx.body = message(await users.delete(ctx.params.id ?? '', requestContext(ctx)));
  });
  router.post('/users/:id/reset', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = message(await users.resetPassword(ctx.params.id ?? '', optionalString(f, 'new_password', 1024) ?? '', requestContext(ctx)));
  });
  router.post('/users/:id/set-lockout', async (ctx) => {
    const f = jsonFields(ctx);
    // reference/admin-api.md: an omitted lockout_until was 0001-01-01 (a past date), i.e. it clears; so do null and absent.
    ctx.body = message(await users.setLockout(ctx.params.id ?? '', optionalString(f, 'lockout_until', 64) ?? null, requestContext(ctx)));
  });
}
