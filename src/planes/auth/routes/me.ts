import type Router from '@koa/router';
import type { JWTPayload } from 'jose';

const scopesOf = (claims: JWTPayload): string[] =>
  typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];

/** Self-service views of the presented token (bearer-protected by the caller's router). */
export function meRoutes(router: Router): void {
  router.get('/whoami', (ctx) => {
    const claims = ctx.state.token as JWTPayload;
    ctx.body = { message: `Hello, ${claims.sub ?? ''}` };
  });
  router.get('/me', (ctx) => {
    const claims = ctx.state.token as JWTPayload;
    ctx.body = {
      sub: claims.sub ?? 'unknown',
      email: typeof claims.email === 'string' ? claims.email : null,
      roles: Array.isArray(claims.roles) ? claims.roles : [],
      scopes: scopesOf(claims),
    };
  });
}
