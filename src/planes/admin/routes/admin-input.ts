import type { Context } from 'koa';
import { badRequest } from '../../shared/errors.js';
import { checkCharacters } from '../../shared/input.js';

// JSON bodies: jsonFields/jsonValue in ../../shared/input.ts (one rule for every JSON route).

/** An optional non-negative integer query parameter, capped at `max`. */
export function intQuery(ctx: Context, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = ctx.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw badRequest(`Query parameter '${name}' must be a non-negative integer`);
  return Math.min(Number(raw), max);
}

export function stringQuery(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 256) throw badRequest(`Query parameter '${name}' is not valid`);
  return raw;
}

export function boolField(fields: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = fields[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest(`Field '${name}' must be a boolean`);
}

/**
 * An optional string field, trimmed; null reads as absent. (shared/input.ts `optionalString` keeps
 * null, for fields where null means "clear", and does not trim.)
 */
export function optionalTrimmed(fields: Record<string, unknown>, name: string, max = 4096): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`Field '${name}' must be a string`);
  if (v.length > max) throw badRequest(`Field '${name}' is too long (max ${max})`);
  checkCharacters(name, v);
  return v.trim();
}

/** Lists answer the bare array and the total in X-Total-Count (contract.md). */
export function sendPage<T>(ctx: Context, page: { items: T[]; total: number }): void {
  ctx.set('X-Total-Count', String(page.total));
  ctx.body = page.items;
}

/** A whole list (no paging): its length is the total. */
export function sendList<T>(ctx: Context, items: T[]): void {
  sendPage(ctx, { items, total: items.length });
}

export const message = (text: string) => ({ success: true, message: text });
