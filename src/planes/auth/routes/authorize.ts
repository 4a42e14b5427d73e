import type Router from '@koa/router';
import type { Context } from 'koa';
import { AuthorizationRequestError, type AuthorizationService } from '../../../services/authorization.js';
import { InvalidCredentials } from '../../../services/errors.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { fieldsOf, stringField } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { requestContext } from '../request-context.js';

/** Every credential failure of a login step is the original's 400 `Invalid credentials` (never 403). */
async function asLoginStep<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof InvalidCredentials) throw badRequest('Invalid credentials');
    throw err;
  }
}

/** `max_age` (OIDC Core §3.1.2.1): a non-negative integer, 0 when absent. */
function maxAgeOf(fields: Record<string, unknown>): number {
  const raw = fields.max_age;
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = typeof raw === 'number' ? raw : /^\d{1,9}$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
  // Bounded (10 years) so a session expiry computed from it is always a valid date.
  if (!Number.isInteger(n) || n < 0 || n > 315_360_000) throw badRequest("Field 'max_age' must be an integer from 0 to 315360000");
  return n;
}

/**
 * The headless authorization-code flow (auth-api.md §3): POST /authorize → POST /login/password →
 * (POST /login/totp) → POST /login/finalize, plus GET /auth-session/{jti} for login pages.
 * Bodies may be form or JSON (contract.md: accept both).
 */
export function authorizeRoutes(router: Router, authorization: AuthorizationService): void {
  router.post('/authorize', noStore(), async function authorize(ctx: Context) {
    const f = fieldsOf(ctx);
    try {
      const { renewed: _renewed, ...answer } = await authorization.authorize({
        clientId: stringField(f, 'client_id', 256), redirectUri: stringField(f, 'redirect_uri', 2048),
        codeChallenge: stringField(f, 'code_challenge', 256), codeChallengeMethod: stringField(f, 'code_challenge_method', 32),
        scope: stringField(f, 'scope', 2048), nonce: stringField(f, 'nonce', 512), state: stringField(f, 'state', 2048),
        maxAge: maxAgeOf(f),
      }, requestContext(ctx));
      ctx.body = answer;
    } catch (err) {
      if (err instanceof AuthorizationRequestError) throw badRequest(err.message);
      throw err;
    }
  });

  router.post('/login/password', noStore(), async function loginPassword(ctx: Context) {
    const f = fieldsOf(ctx);
    const jti = stringField(f, 'jti', 64);
    const username = stringField(f, 'username', 256);
    const password = typeof f.password === 'string' && f.password.length <= 1024 ? f.password : '';
    if (!jti || !username || !password) throw badRequest('Missing required fields');
    ctx.body = await asLoginStep(authorization.password(jti, username, password, stringField(f, 'redirect_uri', 2048),
      requestContext(ctx)));
  });

  router.post('/login/totp', noStore(), async function loginTotp(ctx: Context) {
    const f = fieldsOf(ctx);
    const jti = stringField(f, 'jti', 64);
    const code = stringField(f, 'totp_code', 16);
    if (!jti || !code) throw badRequest('Missing required fields');
    ctx.body = await asLoginStep(authorization.totp(jti, code, stringField(f, 'redirect_uri', 2048), requestContext(ctx)));
  });

  router.get('/auth-session/:jti', noStore(), async function authSession(ctx: Context) {
    const jti = String(ctx.params.jti ?? '').slice(0, 64);
    if (!jti) throw badRequest('Missing jti');
    const view = await authorization.view(jti);
    if (!view) throw notFound('Session not found or expired');
    ctx.body = view;
  });

  router.post('/login/finalize', noStore(), async function finalize(ctx: Context) {
    const jti = stringField(fieldsOf(ctx), 'jti', 64);
    try {
      if (!jti) throw new InvalidCredentials();
      ctx.redirect((await authorization.finalize(jti, requestContext(ctx))).location);
    } catch (err) {
      if (!(err instanceof InvalidCredentials)) throw err;
      // The original answers a bare JSON string here.
      ctx.status = 400;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify('Invalid credentials');
    }
  });
}
