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
