import type { Context } from 'koa';
import type { ParsedBody } from './body.js';
import { badRequest } from './errors.js';

// C0 control characters and DEL never belong in a field; tab, line feed and carriage return only in
// the free-text fields that may span lines (security.md: every field has a character rule).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\t\n\r]/;
const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['desc', 'description']);

/** 400 naming the field when `value` holds a character no field of that name may hold. */
export function checkCharacters(name: string, value: string): void {
  if (CONTROL.test(value) || (!MULTILINE_FIELDS.has(name) && LINE_BREAK.test(value))) {
    throw badRequest(`Field '${name}' contains a control character`);
  }
}

/** The parsed body (see body.ts). */
export const bodyOf = (ctx: Context): ParsedBody => ctx.state.body as ParsedBody;

function objectOf(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Request body must be an object');
  return value as Record<string, unknown>;
}

/**
 * Form-or-JSON routes (the auth plane's form routes, `/introspect`, `/revoke`, client flags): the
 * body's fields (form fields are strings; JSON values keep their type); no body reads as `{}`.
 */
export function fieldsOf(ctx: Context): Record<string, unknown> {
  const { value } = bodyOf(ctx);
  return value === undefined ? {} : objectOf(value);
}

/**
 * The rule for JSON routes (docs/admin-api.md "Request bodies"), with `jsonFields` below: a form
 * body is 400, like every other unsupported content type (body.ts) and malformed JSON (contract.md:
 * 400 with a message, where the original answered an empty 415). Returns the JSON value, of any type
 * (`undefined` without a body), for the routes whose body is a bare string or array.
 */
export function jsonValue(ctx: Context): unknown {
  const body = bodyOf(ctx);
  if (body.kind === 'form') throw badRequest('Unsupported content type; expected application/json');
  return body.value;
}

/**
 * A JSON object body (see jsonValue). No body is 400 `Invalid payload` (the original's message for
 * a null body) unless the route documents its body as optional; an array, string, number or `null`
 * is 400 `Request body must be an object`.
 */
export function jsonFields(ctx: Context, options: { optional?: boolean } = {}): Record<string, unknown> {
  const value = jsonValue(ctx);
  if (value !== undefined) return objectOf(value);
  if (options.optional) return {};
  throw badRequest('Invalid payload');
}

/** A string field, trimmed; '' when absent. Non-string values are a 400 naming the field. */
export function stringField(fields: Record<string, unknown>, name: string, maxLength = 4096): string {
  const v = fields[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw badRequest(`Field '${name}' must be a string`);
  if (v.length > maxLength) throw badRequest(`Field '${name}' is too long (max ${maxLength})`);
  checkCharacters(name, v);
  return v.trim();
}

export function requireForm(ctx: Context, message = 'Expected an application/x-www-form-urlencoded body'): Record<string, unknown> {
  const body = bodyOf(ctx);
  if (body.kind !== 'form') throw badRequest(message);
  return fieldsOf(ctx);
}

/** A string field that may be absent (undefined) or null (null); any other type is a 400. */
export function optionalString(fields: Record<string, unknown>, name: string, maxLength = 4096): string | null | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw badRequest(`Field '${name}' must be a string`);
  if (v.length > maxLength) throw badRequest(`Field '${name}' is too long (max ${maxLength})`);
  checkCharacters(name, v);
  return v;
}

/** A boolean field (JSON true/false, or "true"/"false" from a form) that may be absent. */
export function optionalBool(fields: Record<string, unknown>, name: string): boolean | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest(`Field '${name}' must be true or false`);
}

/** An array of strings (ids), at most `max` entries. */
export function stringArray(fields: Record<string, unknown>, name: string, max = 1000): string[] {
  const v = fields[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length > 200) || v.length > max) {
    throw badRequest(`Field '${name}' must be an array of ids`);
  }
  for (const id of v as string[]) checkCharacters(name, id);
  return v as string[];
}

/** Integer query parameter within bounds (defaults when absent). */
export function queryInt(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`Query parameter '${name}' must be an integer from ${min} to ${max}`);
  return n;
}
