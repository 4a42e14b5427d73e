import type { Context, Middleware } from 'koa';
import type { Logger } from '../../log.js';
import { HttpError } from './errors.js';

/** Turns a thrown error into this plane's wire shape. */
export type ErrorSerializer = (err: unknown, ctx: Context) => { status: number; body: unknown; headers?: Record<string, string> } | null;

/**
 * The single place a plane turns errors into responses. Serializers are tried in order; an error
 * none of them claims is a bug: it is logged with the request id and answered with a fixed
 * message, never a stack trace or SQL.
 */
export function errorHandler(log: Logger, serializers: readonly ErrorSerializer[]): Middleware {
  return async function handleErrors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { success: false, message: 'Not found' };
      } else if (ctx.status === 405 && (ctx.body === undefined || typeof ctx.body === 'string')) {
        ctx.body = { success: false, message: 'Method not allowed' };
      }
    } catch (err) {
      for (const serialize of serializers) {
        const out = serialize(err, ctx);
        if (!out) continue;
        ctx.status = out.status;
        ctx.body = out.body;
        for (const [k, v] of Object.entries(out.headers ?? {})) ctx.set(k, v);
        return;
      }
      log.error({ err, reqId: ctx.state.requestId, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { success: false, message: 'Internal server error' };
    }
  };
}

/** `{"success":false,"message":…}`: the envelope both planes use for non-OAuth errors. */
export const messageEnvelope: ErrorSerializer = (err) => {
  if (err instanceof HttpError) return { status: err.status, body: { success: false, message: err.message }, headers: { ...err.headers } };
  // Koa/http-errors thrown by the framework itself (e.g. ctx.throw, router 405/501).
  const e = err as { status?: number; expose?: boolean; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return { status: e.status, body: { success: false, message: e.message ?? 'Bad request' } };
  }
  return null;
};
