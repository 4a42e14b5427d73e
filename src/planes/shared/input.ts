import type { Context } from 'koa';
import type { ParsedBody } from './body.js';
import { badRequest } from './errors.js';

/** The parsed body (see body.ts). */
export const bodyOf = (ctx: Context): ParsedBody => ctx.state.body as ParsedBody;

/** Body fields as an object of values (form fields are strings; JSON values keep their type). */
export function fieldsOf(ctx: Context): Record<string, unknown> {
  const { value } = bodyOf(ctx);
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Request body must be an object');
  return value as Record<string, unknown>;
}

/** A string field, trimmed; '' when absent. Non-string values are a 400 naming the field. */
export function stringField(fields: Record<string, unknown>, name: string, maxLength = 4096): string {
  const v = fields[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw badRequest(`Field '${name}' must be a string`);
  if (v.length > maxLength) throw badRequest(`Field '${name}' is too long (max ${maxLength})`);
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
  return v as string[];
}

/** JSON request bodies only (the admin API's resources), with the original's 415 for other types. */
export function jsonFields(ctx: Context): Record<string, unknown> {
  const body = bodyOf(ctx);
  if (body.kind === 'none') return {};
  return fieldsOf(ctx);
}

/** Integer query parameter within bounds (defaults when absent). */
export function queryInt(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`Query parameter '${name}' must be an integer from ${min} to ${max}`);
  return n;
}
