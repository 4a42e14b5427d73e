import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { MadApiError } from '../bindings/typescript/index.js';
import { createCli, type Cli, type GlobalArgs } from './context.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';

export type Handler<A> = (argv: ArgumentsCamelCase<A & GlobalArgs>, cli: Cli) => Promise<void>;

/**
 * Declares a subcommand whose handler gets a ready Cli. Failures end here: a server error shows
 * the server's message (stderr, or the JSON error on stdout with --json) and exits 1; a usage
 * error exits 2.
 */
export function command<A>(
  name: string,
  describe: string,
  builder: (y: Argv<GlobalArgs>) => Argv<A & GlobalArgs>,
  handler: Handler<A>,
): CommandModule<GlobalArgs, A & GlobalArgs> {
  return {
    command: name,
    describe,
    builder,
    handler: async (argv) => {
      const cli = createCli(argv);
      try {
        await handler(argv, cli);
      } catch (err) {
        reportFailure(err, cli);
      }
    },
  };
}

export function reportFailure(err: unknown, cli: Cli): void {
  const usage = err instanceof UsageError;
  const message = err instanceof Error ? err.message : String(err);
  if (cli.out.asJson) cli.out.json({ success: false, message });
  else process.stderr.write(`${usage ? '' : 'Error: '}${message}${err instanceof MadApiError && err.status ? ` (HTTP ${err.status})` : ''}\n`);
  process.exitCode = usage ? EXIT_USAGE : EXIT_FAILURE;
}

/** A parent command (`mad user`); `subcommands` keeps its children reachable for the docs check (yargs ignores the field). */
export interface Group extends CommandModule<GlobalArgs, GlobalArgs> {
  subcommands: readonly CommandModule<GlobalArgs, never>[];
}

/** Groups subcommands under a parent (`mad user …`); `mad user` alone prints help and exits 2. */
export function group(name: string, describe: string, subcommands: CommandModule<GlobalArgs, never>[]): Group {
  return {
    command: name,
    describe,
    subcommands,
    builder: (y) => {
      for (const c of subcommands) y.command(c as CommandModule<GlobalArgs, GlobalArgs>);
      return y.demandCommand(1, `Pick a '${name}' subcommand (see mad ${name} --help).`);
    },
    handler: () => {},
  };
}
