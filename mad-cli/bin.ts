#!/usr/bin/env node
/**
 * mad — the microauthd command line. Talks to the admin API only, through bindings/typescript.
 * Exit codes: 0 success, 1 API or connection failure, 2 usage error.
 */
import yargs from 'yargs';
import { EXIT_USAGE } from './errors.js';
import { normalizeBooleans } from './options.js';
import { keyCommands, pingCommand, tokenCommand, versionCommand } from './commands/misc.js';
import { auditlogCommands } from './commands/auditlog.js';
import { clientCommands } from './commands/client.js';
import { permissionCommands } from './commands/permission.js';
import { roleCommands } from './commands/role.js';
import { scopeCommands } from './commands/scope.js';
import { sessionCommands } from './commands/session.js';
import { refreshtokenCommands, sessionctlCommands } from './commands/sessions.js';
import { userCommands } from './commands/user.js';
import { VERSION } from './version.js';

/** --json or --format json on the command line (yargs has not parsed it when a usage error stops it). */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  return own.some((a, i) => a === '--json' || a === '--json=true' || a === '--format=json' || (a === '--format' && own[i + 1] === 'json'));
}

export async function run(args: string[]): Promise<void> {
  args = normalizeBooleans(args);
  await yargs(args)
    .scriptName('mad')
    .usage('mad - microauthd CLI\n\nUsage: mad <command> <subcommand> [options]')
    .option('admin-url', { type: 'string', describe: 'Admin API base URL (else MAD_ADMIN_URL, ~/.mad_url, http://localhost:9041)', global: true })
    .option('admin-token', { type: 'string', describe: 'Admin bearer token (else MAD_ADMIN_TOKEN, ~/.mad_token)', global: true })
    .option('json', { type: 'boolean', describe: 'Print one compact JSON document on stdout', global: true })
    .option('format', { choices: ['table', 'json', 'csv'] as const, describe: 'Output format for lists', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print only the id of what was created or listed', global: true })
    .option('config', { type: 'boolean', default: true, describe: 'Use ~/.mad_token and ~/.mad_url (--no-config: neither)', global: true })
    .command(sessionCommands)
    .command(userCommands)
    .command(sessionctlCommands)
    .command(refreshtokenCommands)
    .command(roleCommands)
    .command(permissionCommands)
    .command(scopeCommands)
    .command(clientCommands)
    .command(auditlogCommands)
    .command(pingCommand as never)
    .command(versionCommand as never)
    .command(keyCommands)
    .command(tokenCommand as never)
    .demandCommand(1, 'Pick a command (see mad --help).')
    .strict()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // YError: yargs' own validation (an option's coerce refused the value); anything else is a bug.
      if (err && err.name !== 'YError') throw err;
      if (!msg) msg = err?.message ?? 'Invalid usage.';
      process.stderr.write(`${msg}\nRun 'mad --help' for usage.\n`);
      if (wantsJson(args)) process.stdout.write(`${JSON.stringify({ success: false, message: msg })}\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

await run(process.argv.slice(2));
