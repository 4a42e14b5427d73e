/**
 * Command-line flags via yargs (strict: an unknown flag is an error).
 *
 * Every option is declared to yargs as a *string* so that all three sources
 * share one typed parser (parse-value.ts) and the same error messages. For
 * booleans that means: `--x` alone is true, `--x false` / `--x=no` work, and
 * `--no-x` is declared explicitly. yargs' own boolean-negation is off because
 * `no-db-pass` is itself an option name: `--no-db-pass` means no-db-pass=true.
 */
import yargs from 'yargs';
import { OPTIONS, negationOf, type OptionDef } from './schema.js';
import { parseBool } from './parse-value.js';

export interface RawValue {
  readonly raw: string;
  readonly source: string; // how to name it in messages, e.g. `--auth-port` or `MAD_AUTH_PORT`
}


export function parseArgv(argv: readonly string[]): { flags: Map<string, RawValue>; errors: string[] } {
  const errors: string[] = [];
  const declared: Record<string, { type: 'string'; hidden?: boolean }> = {};
  for (const def of OPTIONS as readonly OptionDef[]) {
    declared[def.key] = { type: 'string' };
    const neg = negationOf(def);
    if (neg !== undefined) declared[neg] = { type: 'string', hidden: true };
  }

  const parsed = yargs([...argv])
    .parserConfiguration({
      'boolean-negation': false,
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': false, // a repeated flag: the last one wins
    })
    .options(declared)
    .strictOptions() // positionals are reported below, with a clearer message
    .help(false)
    .version(false)
    .exitProcess(false)
    // Collect instead of printing/exiting; yargs then still returns what it parsed.
    .fail((msg: string | null, err: Error | undefined) => {
      errors.push(...describeFailure(msg ?? err?.message ?? 'invalid command line'));
    })
    .parseSync() as Record<string, unknown>;

  const positional = Array.isArray(parsed['_']) ? (parsed['_'] as unknown[]) : [];
  for (const p of positional) errors.push(`unexpected argument ${JSON.stringify(String(p))} (options are written --key value)`);

  const flags = new Map<string, RawValue>();
  for (const def of OPTIONS as readonly OptionDef[]) {
    const plain = parsed[def.key];
    const negKey = negationOf(def);
    const negated = negKey === undefined ? undefined : parsed[negKey];
    if (typeof plain === 'string' && typeof negated === 'string') {
      errors.push(`--${def.key} and --${negKey} are both given`);
      continue;
    }
    if (typeof plain === 'string') {
      // A bare boolean flag (`--enable-pkce`) means true.
      const raw = def.type === 'bool' && plain === '' ? 'true' : plain;
      flags.set(def.key, { raw, source: `--${def.key}` });
    } else if (typeof negated === 'string') {
      const b = negated === '' ? true : parseBool(negated);
      if (b === undefined) errors.push(`--${negKey}: ${JSON.stringify(negated)} is not a boolean`);
      else flags.set(def.key, { raw: String(!b), source: `--${negKey}` });
    }
  }
  return { flags, errors };
}

/** yargs says `Unknown arguments: a, b`; we name each flag the way it was typed. */
function describeFailure(msg: string): string[] {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (m?.[1] === undefined) return [msg];
  return m[1].split(', ').map((name) => `unknown option ${name.length === 1 ? '-' : '--'}${name}`);
}
