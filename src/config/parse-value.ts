/**
 * Turns one raw string (from a flag, an env var or the config file) into the
 * option's typed value. Every source goes through here, so `--auth-port abc`,
 * `MAD_AUTH_PORT=abc` and `auth-port = abc` fail the same way, and the message
 * names where the bad value came from. (The original silently fell back to the
 * next source when an int did not parse.)
 */
import type { OptionDef, OptionValue } from './schema.js';

export type Parsed = { readonly ok: true; readonly value: OptionValue } | { readonly ok: false; readonly error: string };

// More lenient than the original, which accepted only exactly `1`, `true`, `yes`.
const TRUE_WORDS = new Set(['true', 'yes', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'off']);

export function parseBool(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Comma-separated, trimmed, empty entries dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `source` is how the user wrote it: `--auth-port`, `MAD_AUTH_PORT`, `auth-port (mad.conf line 3)`. */
export function parseValue(def: OptionDef, raw: string, source: string): Parsed {
  // Secrets are strings and never fail to parse, so no message below can leak one.
  const shown = JSON.stringify(raw);
  switch (def.type) {
    case 'string':
      return { ok: true, value: raw };
    case 'list':
      return { ok: true, value: parseList(raw) };
    case 'int': {
      const t = raw.trim();
      const n = Number(t);
      if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(n)) {
        return { ok: false, error: `${source}: ${shown} is not an integer` };
      }
      return { ok: true, value: n };
    }
    case 'bool': {
      const b = parseBool(raw);
      if (b === undefined) {
        return { ok: false, error: `${source}: ${shown} is not a boolean (use true/false, yes/no, on/off or 1/0)` };
      }
      return { ok: true, value: b };
    }
    case 'enum': {
      const wanted = raw.trim().toLowerCase();
      // Case-insensitive match, canonical spelling kept (`normal` -> `NORMAL`).
      const hit = def.enumValues.find((v) => v.toLowerCase() === wanted);
      if (hit === undefined) {
        return { ok: false, error: `${source}: ${shown} is not one of ${def.enumValues.join(', ')}` };
      }
      return { ok: true, value: hit };
    }
  }
}
