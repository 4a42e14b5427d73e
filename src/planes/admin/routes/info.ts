import type Router from '@koa/router';
import { VERSION_RESPONSE } from '../../../version.js';

export function infoRoutes(router: Router): void {
  router.get('/ping', (ctx) => {
    ctx.body = { message: 'pong from admin' };
  });
  router.get('/version', (ctx) => {
    ctx.body = VERSION_RESPONSE;
  });
}
