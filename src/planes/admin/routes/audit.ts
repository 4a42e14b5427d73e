import type Router from '@koa/router';
import type { AuditAdminService } from '../../../services/audit-admin.js';
import { AUDIT_LIMIT_MAX } from '../../../services/audit-admin.js';
import { requestContext } from '../request-context.js';
import { jsonFields } from '../../shared/input.js';
import { intQuery, message, sendPage, stringQuery } from './admin-input.js';
import { badRequest } from '../../shared/errors.js';

/** Audit log (reference 79–81) and the new chain check. */
export function auditRoutes(router: Router, audit: AuditAdminService): void {
  router.get('/audit-logs', async (ctx) => {
    const userId = stringQuery(ctx, 'userId');
    const action = stringQuery(ctx, 'action');
    const limit = intQuery(ctx, 'limit', AUDIT_LIMIT_MAX);
    const offset = intQuery(ctx, 'offset');
    sendPage(ctx, await audit.list({ ...(userId !== undefined ? { userId } : {}), ...(action !== undefined ? { action } : {}),
      ...(limit !== undefined ? { limit } : {}), ...(offset !== undefined ? { offset } : {}) }));
  });
  router.get('/audit-logs/verify', async (ctx) => {
    ctx.body = await audit.verify();
  });
  router.post('/audit-logs/purge', async (ctx) => {
    const days = jsonFields(ctx).older_than_days;
    if (typeof days !== 'number' || !Number.isInteger(days)) throw badRequest("Field 'older_than_days' must be an integer");
    const n = await audit.purge(days, requestContext(ctx));
    ctx.body = message(`Purged ${n} audit log(s).`);
  });
  router.get('/audit-logs/:id', async (ctx) => {
    ctx.body = await audit.get(ctx.params.id ?? '');
  });
}
