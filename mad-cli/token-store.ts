import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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

function writePrivate(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its old mode on write
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
