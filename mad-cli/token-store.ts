import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** `~/.mad_token` and `~/.mad_url` (the original's files), written 0600. HOME decides where `~` is. */
export interface TokenStore {
  readToken(): string | undefined;
  readUrl(): string | undefined;
  save(token: string, url: string): void;
  clearToken(): boolean;
}

const home = (): string => process.env.HOME || homedir();

function readTrimmed(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const value = readFileSync(file, 'utf8').trim();
  return value || undefined;
}

/**
 * Writes a new 0600 file beside the target and renames it over the target: the content never sits in a file
 * with a wider mode (an existing file keeps its mode on write), and a symlink or hard link at the target is
 * replaced, not written through.
 */
function writePrivate(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' }); // created new: mode is 0600 minus the umask, never wider
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function fileTokenStore(): TokenStore {
  const tokenFile = () => join(home(), '.mad_token');
  const urlFile = () => join(home(), '.mad_url');
  return {
    readToken: () => readTrimmed(tokenFile()),
    readUrl: () => readTrimmed(urlFile()),
    save(token, url) {
      writePrivate(tokenFile(), `${token}\n`);
      writePrivate(urlFile(), `${url}\n`);
    },
    clearToken() {
      const existed = existsSync(tokenFile());
      rmSync(tokenFile(), { force: true });
      return existed;
    },
  };
}

/** `--no-config`: neither read nor write the files. */
export const noTokenStore: TokenStore = {
  readToken: () => undefined,
  readUrl: () => undefined,
  save: () => {},
  clearToken: () => false,
};
