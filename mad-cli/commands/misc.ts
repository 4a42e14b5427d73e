import { decodeJwt, decodeProtectedHeader } from 'jose';
import { command, group } from '../command.js';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import { VERSION } from '../version.js';

export const pingCommand = command('ping', 'Check that the admin API answers', (y) => y as never, async (_argv, cli) => {
  const res = await cli.anonymousClient().ping();
  cli.out.result(res, () => res.message);
});

export const versionCommand = command('version', 'Show the versions of mad and of the server', (y) => y as never, async (_argv, cli) => {
  let server: { name: string; version: string } | null = null;
  try {
    server = await cli.anonymousClient().version();
  } catch (err) {
    cli.out.warn(`Server not reachable: ${(err as Error).message}`);
  }
  cli.out.result({ mad: VERSION, server }, () => [`mad ${VERSION}`, server ? `server ${server.name} ${server.version}` : 'server unreachable']);
  // mad's own version is still printed, but a script must see the connection failure (contract.md: exit 1).
  if (!server) process.exitCode = EXIT_FAILURE;
});

interface PlaneArgs { plane: 'auth' | 'admin' }
const planeOption = (y: Parameters<Parameters<typeof command>[2]>[0]) =>
  y.option('plane', { choices: ['auth', 'admin'] as const, default: 'auth' as const, describe: 'Which plane\'s signing keys' }) as never;

const keyList = command<PlaneArgs>('list', 'List a plane\'s signing keys (current, standby, retired)', planeOption, async (argv, cli) => {
  const keys = await cli.client().listKeys(argv.plane);
  cli.out.list(keys, [
    { header: 'Kid', value: (k) => k.kid }, { header: 'Alg', value: (k) => k.alg }, { header: 'Status', value: (k) => k.status },
    { header: 'Created', value: (k) => k.created_at }, { header: 'Published until', value: (k) => k.publish_until ?? '' },
  ], '(no keys)');
});

const keyRotate = command<PlaneArgs>('rotate', 'Rotate a plane\'s signing keys (standby becomes current)', planeOption, async (argv, cli) => {
  const keys = await cli.client().rotateKeys(argv.plane);
  const current = keys.find((k) => k.status === 'current');
  cli.out.result(keys, () => `Rotated ${argv.plane} keys; current key is now ${current?.kid ?? '?'}.`, current?.kid);
});

export const keyCommands = group('key', 'Signing keys of each plane', [keyList, keyRotate] as never[]);

interface TokenArgs { token: string }
export const tokenCommand = command<TokenArgs>('token', 'Decode a JWT locally (no network, no verification)',
  (y) => y.option('token', { type: 'string', demandOption: true, describe: 'The JWT to decode' }) as never,
  async (argv, cli) => {
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(argv.token) as Record<string, unknown>;
      payload = decodeJwt(argv.token) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`Not a JWT: ${(err as Error).message}`);
    }
    const signature = argv.token.split('.')[2] ?? '';
    const lines = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    cli.out.result({ header, payload, signature }, () => ['=== Header ===', ...lines(header), '', '=== Payload ===', ...lines(payload), '',
      '=== Signature ===', signature]);
  });
