import { isUtf8 } from 'node:buffer';
import type { Middleware } from 'koa';
import { badRequest, HttpError } from './errors.js';

export type BodyKind = 'form' | 'json';

export interface ParsedBody {
  kind: BodyKind | 'none';
  /** JSON value (any type) or, for forms, an object of the first value of each field. */
  value: unknown;
  /** Form fields that appeared more than once (RFC 6749 §3.1: parameters MUST NOT repeat). */
  duplicates: string[];
}

async function readLimited(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new HttpError(413, `Request body exceeds ${limit} bytes`);
    chunks.push(buf);
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  // Reject bytes that are not valid UTF-8 instead of silently mangling them.
  if (!isUtf8(body)) throw badRequest('Request body is not valid UTF-8');
  return body.toString('utf8');
}

function parseForm(text: string): { value: Record<string, string>; duplicates: string[] } {
  const value: Record<string, string> = Object.create(null) as Record<string, string>;
  const duplicates: string[] = [];
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in value) duplicates.push(k);
    else value[k] = v;
  }
  return { value, duplicates };
}

/**
 * Reads the body of POST/PUT/DELETE requests into ctx.state.body, enforcing the size limit and
 * accepting only the listed content types. GET/HEAD and empty bodies parse as `none`.
 */
export function parseBody(options: { limit: number; accept: readonly BodyKind[] }): Middleware {
  return async function readBody(ctx, next) {
    const declared = Number(ctx.get('Content-Length') || '0');
    if (declared > options.limit) throw new HttpError(413, `Request body exceeds ${options.limit} bytes`);
    const hasBody = ctx.req.headers['transfer-encoding'] !== undefined || declared > 0;
    let parsed: ParsedBody = { kind: 'none', value: undefined, duplicates: [] };
    if (hasBody && !['GET', 'HEAD'].includes(ctx.method)) {
      const kind: BodyKind | false = ctx.is('application/x-www-form-urlencoded') ? 'form'
        : ctx.is('application/json', '+json') ? 'json' : false;
      if (!kind || !options.accept.includes(kind)) {
        throw new HttpError(415, `Unsupported content type; expected ${options.accept.map(mime).join(' or ')}`);
      }
      const text = await readLimited(ctx.req, options.limit);
      if (kind === 'form') {
        parsed = { kind, ...parseForm(text) };
      } else if (text.trim() !== '') {
        try {
          parsed = { kind, value: JSON.parse(text) as unknown, duplicates: [] };
        } catch {
          throw badRequest('Malformed JSON body');
        }
      }
    }
    ctx.state.body = parsed;
    await next();
  };
}

const mime = (k: BodyKind): string => (k === 'form' ? 'application/x-www-form-urlencoded' : 'application/json');
