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
