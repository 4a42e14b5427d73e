import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
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

/**
 * The body as one buffer, at most `limit` bytes. Plain stream events rather than `for await`: the
 * async iterator costs several promise hops per request on every POST.
 * Past the limit we stop collecting and answer 413; the rest of the body is discarded and the
 * connection closed after the answer. A client that goes away mid-body gets a 400 it never reads.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.resume(); // keep discarding what is still coming, so the 413 can be written
        reject(new HttpError(413, `Request body exceeds ${limit} bytes`, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    // The request stream fails or closes early only when the client aborts: its error, not ours.
    function onAbort(): void {
      stop();
      reject(badRequest('Request body incomplete'));
    }
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** The body kind a Content-Type names (its parameters ignored), or false for anything else. */
export function bodyKindOf(contentType: string | undefined): BodyKind | false {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json') return 'json';
  // Structured syntax suffix (RFC 6839), e.g. application/merge-patch+json.
  const slash = type.indexOf('/');
  return slash > 0 && type.endsWith('+json') && !/[\s/]/.test(type.slice(slash + 1)) ? 'json' : false;
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
    if (hasBody && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const kind = bodyKindOf(ctx.req.headers['content-type']);
      if (!kind || !options.accept.includes(kind)) {
        throw badRequest(`Unsupported content type; expected ${options.accept.map(mime).join(' or ')}`);
      }
      const bytes = await readLimited(ctx.req, options.limit);
      // Reject bytes that are not valid UTF-8 instead of silently mangling them.
      if (!isUtf8(bytes)) throw badRequest('Request body is not valid UTF-8');
      const text = bytes.toString('utf8');
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
