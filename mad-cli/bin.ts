#!/usr/bin/env node
/**
 * mad — the microauthd command line. Talks to the admin API only, through bindings/typescript.
 * Exit codes: 0 success, 1 API or connection failure, 2 usage error.
 */
import yargs, { type Arguments } from 'yargs';
import { EXIT_USAGE, UsageError } from './errors.js';
import { normalizeBooleans } from './options.js';
import { COMMANDS, GLOBAL_OPTIONS } from './commands/index.js';
import { VERSION } from './version.js';

/** --json or --format json on the command line (yargs has not parsed it when a usage error stops it). */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  return own.some((a, i) => a === '--json' || a === '--json=true' || a === '--format=json' || (a === '--format' && own[i + 1] === 'json'));
}

/**
 * yargs turns a repeated option into an array (`--email a --email b`), which a command would then send as a JSON
 * array or join into a path (`--id a --id b` → `/users/a,b`): only the options declared as lists (`--scope-id`,
 * `--set`) may be repeated; any other repeated is a usage error, found before anything is sent.
 */
function singleValues(argv: Arguments, options: { key: Record<string, boolean>; array: string[] }): true {
  for (const name of Object.keys(options.key)) {
    if (Array.isArray(argv[name]) && !options.array.includes(name)) throw new UsageError(`--${name} was given more than once; it takes one value.`);
  }
  return true;
}

export async function run(args: string[]): Promise<void> {
  args = normalizeBooleans(args);
  await yargs(args)
    .scriptName('mad')
    .usage('mad - microauthd CLI\n\nUsage: mad <command> <subcommand> [options]')
    .options(GLOBAL_OPTIONS)
    .command([...COMMANDS])
    .check(singleValues as never)
    .demandCommand(1, 'Pick a command (see mad --help).')
    .strict()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // YError: yargs' own validation (an option's coerce refused the value); UsageError: singleValues; anything else is a bug.
      if (err && err.name !== 'YError' && !(err instanceof UsageError)) throw err;
      if (!msg) msg = err?.message ?? 'Invalid usage.';
      process.stderr.write(`${msg}\nRun 'mad --help' for usage.\n`);
      if (wantsJson(args)) process.stdout.write(`${JSON.stringify({ success: false, message: msg })}\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

await run(process.argv.slice(2));
