import type Router from '@koa/router';
import type { TotpEnrolmentService } from '../../../services/totp-enrolment.js';
import { jsonFields, optionalString } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { requestContext } from '../request-context.js';
import { message } from './admin-input.js';


/** TOTP enrolment (routes 83–85). The body's `user_id` is ignored on generate: the route decides. */
export function userTotpRoutes(router: Router, totp: TotpEnrolmentService): void {
  router.post('/users/totp/verify', async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = message(await totp.verify(optionalString(f, 'user_id', 100) ?? '', optionalString(f, 'client_id', 200) ?? '',
      optionalString(f, 'code', 16) ?? '', requestContext(ctx)));
  });
  // The answer carries the TOTP seed (otpauth URI, QR): never cached.
  router.post('/users/:id/totp/generate', noStore(), async (ctx) => {
    const f = jsonFields(ctx);
    ctx.body = await totp.generate(ctx.params.id ?? '', optionalString(f, 'client_id', 200) ?? '',
      optionalString(f, 'qr_output_path', 1024) ?? '.', requestContext(ctx));
  });
  router.post('/users/:userId/:clientId/disable-totp', async (ctx) => {
    ctx.body = message(await totp.disable(ctx.params.userId ?? '', ctx.params.clientId ?? '', requestContext(ctx)));
  });
}
