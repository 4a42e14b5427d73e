import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AdminTokenService } from '../../../services/admin-tokens.js';
import { badRequest } from '../../shared/errors.js';
import { bodyOf, stringField } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { requestContext } from '../request-context.js';

/** Admin login: form `username`, `password`, `client_id` (all required, as in the original). */
export function tokenRoutes(router: Router, tokens: AdminTokenService): void {
  router.post('/token', noStore(), async function issueAdminToken(ctx: Context) {
    const body = bodyOf(ctx);
    const fields = body.kind === 'form' || body.kind === 'json' ? (body.value as Record<string, unknown>) : {};
    if (body.kind !== 'form' || body.duplicates.length) throw badRequest('Invalid credentials');
    const username = stringField(fields, 'username', 256);
    const password = typeof fields.password === 'string' ? fields.password : '';
    const clientId = stringField(fields, 'client_id', 256);
    if (!username || !password || !clientId || password.length > 1024) throw badRequest('Invalid credentials');
    ctx.body = await tokens.issue({ username, password, clientId }, requestContext(ctx));
  });
}
