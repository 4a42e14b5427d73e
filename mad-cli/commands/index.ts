/**
 * Every `mad` command and the options every command accepts, in one importable place: bin.ts builds the parser
 * from them, and test/unit/mad-cli/docs.test.ts checks docs/cli.md against them.
 */
import type { CommandModule, Options } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { auditlogCommands } from './auditlog.js';
import { clientCommands } from './client.js';
import { keyCommands, pingCommand, tokenCommand, versionCommand } from './misc.js';
import { permissionCommands } from './permission.js';
import { roleCommands } from './role.js';
import { scopeCommands } from './scope.js';
import { sessionCommands } from './session.js';
import { refreshtokenCommands, sessionctlCommands } from './sessions.js';
import { userCommands } from './user.js';

export const GLOBAL_OPTIONS = {
  'admin-url': { type: 'string', describe: 'Admin API base URL (else MAD_ADMIN_URL, ~/.mad_url, http://localhost:9041)', global: true },
  'admin-token': { type: 'string', describe: 'Admin bearer token (else MAD_ADMIN_TOKEN, ~/.mad_token)', global: true },
  json: { type: 'boolean', describe: 'Print one compact JSON document on stdout', global: true },
  format: { choices: ['table', 'json', 'csv'] as const, describe: 'Output format for lists', global: true },
  quiet: { alias: 'q', type: 'boolean', describe: 'Print only the id of what was created or listed', global: true },
  config: { type: 'boolean', default: true, describe: 'Use ~/.mad_token and ~/.mad_url (--no-config: neither)', global: true },
} as const satisfies Record<string, Options>;

/** The top-level commands, in the order `mad --help` lists them. */
export const COMMANDS: readonly CommandModule<GlobalArgs, never>[] = [
  sessionCommands, userCommands, sessionctlCommands, refreshtokenCommands, roleCommands, permissionCommands, scopeCommands,
  clientCommands, auditlogCommands, pingCommand, versionCommand, keyCommands, tokenCommand,
] as never[];
