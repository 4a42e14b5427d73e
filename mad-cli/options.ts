import type { Argv } from 'yargs';
import type { GlobalArgs } from './context.js';

export type Y = Argv<GlobalArgs>;

/** Declares required string options (`--id`, `--user-id`, …) in one go. */
export const required = (...names: string[]) => (y: Y): never => {
  let out: Argv = y;
  for (const n of names) out = out.option(n, { type: 'string', demandOption: true });
  return out as never;
};

/** Required options plus optional ones. */
export const options = (req: string[], opt: string[]) => (y: Y): never => {
  let out: Argv = required(...req)(y);
  for (const n of opt) out = out.option(n, { type: 'string' });
  return out as never;
};

export const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * An integer option (`--older-than`, `--limit`, `--days`, `--gen-password`): only digits are accepted, so
 * `--older-than abc`, `-1`, `1.5` or `1e3` is a usage error (exit 2) before anything is sent.
 */
export const intOption = (name: string, extra: { describe?: string; demandOption?: boolean } = {}) => ({
  ...extra,
  type: 'string' as const,
  requiresArg: true,
  coerce: (value: unknown): number => {
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new Error(`--${name} must be a non-negative integer, not '${Array.isArray(value) ? value.join(' ') : String(value)}'.`);
    }
    return Number(text);
  },
});

/** Every boolean option of mad; `--flag True` / `--flag FALSE` are accepted in any case, as the original does. */
export const BOOLEAN_OPTIONS = new Set(['enable', 'is-active', 'expired', 'revoked', 'inactive', 'password-stdin', 'json', 'quiet', 'q', 'config']);

/** Lower-cases `True`/`False` given to a boolean option (`--enable False`, `--is-active=TRUE`), since the parser only knows `true`/`false`. */
export function normalizeBooleans(args: string[]): string[] {
  const out: string[] = [];
  let flag: string | undefined;
  for (const arg of args) {
    if (arg === '--') {
      flag = undefined;
      out.push(arg);
      continue;
    }
    if (flag !== undefined && /^(true|false)$/i.test(arg)) {
      out.push(arg.toLowerCase());
      flag = undefined;
      continue;
    }
    const m = /^(--?)([^=]+)(?:=(.*))?$/.exec(arg);
    flag = undefined;
    if (m && BOOLEAN_OPTIONS.has(m[2] ?? '')) {
      if (m[3] === undefined) flag = m[2];
      else if (/^(true|false)$/i.test(m[3])) {
        out.push(`${m[1]}${m[2]}=${m[3].toLowerCase()}`);
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}
