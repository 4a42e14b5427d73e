import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { start, type RunningServer } from '../../src/main.js';
import { createStore, openDatabase, type Store } from '../../src/store/index.js';
import { tempDir } from './tmp.js';

export const ADMIN_USERNAME = 'root';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Cheap but real argon2id: tests may lower the cost through config, never bypass it. */
export const FAST_ARGON2 = ['--argon2id-time', '1', '--argon2id-memory', '1024', '--argon2id-parallelism', '1'];

export interface TestServer extends RunningServer {
  dir: string;
  dbFile: string;
  config: Config;
  /** A second connection to the same SQLCipher file, for arranging and checking rows; `now` is its clock (default: the real one). */
  store(now?: () => Date): Store;
  close(): Promise<void>;
}

/**
 * Starts the real server (both planes, loopback, ephemeral ports) on a new SQLCipher file.
 * `args` are extra command-line flags, exactly as an operator would pass them.
 */
export async function startTestServer(args: string[] = [], options: { log?: Logger } = {}): Promise<TestServer> {
  const { dir, cleanup } = tempDir();
  const dbFile = join(dir, 'mad.db3');
  const { config } = loadConfig({
    argv: ['--db-file', dbFile, '--auth-port', '0', '--admin-port', '0', '--no-prompt', '--log-level', 'silent',
      '--admin-username', ADMIN_USERNAME, '--admin-password', ADMIN_PASSWORD, '--auth-domain', '127.0.0.1',
      '--auth-domain-no-ssl', ...FAST_ARGON2, ...args],
    env: {},
    cwd: dir,
  });
  const server = await start(config, { log: options.log ?? createLogger({ level: 'silent' }), say: () => {} });
  const stores: Store[] = [];
  return {
    ...server,
    dir,
    dbFile,
    config,
    store(now?: () => Date) {
      const key = config.dbPass || readKey(dbFile);
      const s = createStore(openDatabase({ file: dbFile, key, synchronous: 'NORMAL' }), now);
      stores.push(s);
      return s;
    },
    async close() {
      for (const s of stores) s.close();
      await server.stop();
      cleanup();
    },
  };
}

function readKey(dbFile: string): string {
  return readFileSync(`${dbFile}.key`, 'utf8').trim();
}
