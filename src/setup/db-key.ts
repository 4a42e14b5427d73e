import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface DbKeyOptions {
  dbFile: string;
  dbPass: string;
  noDbPass: boolean;
  /** '' = `<db-file>.key` */
  dbKeyFile: string;
}

export interface ResolvedDbKey {
  key: string | null;
  /** Set when this start generated a new key file (first run, no key given). */
  generatedKeyFile: string | null;
}

export class DbKeyError extends Error {
  override readonly name = 'DbKeyError';
}

/**
 * Where the SQLCipher key comes from: --db-pass / MAD_DB_PASS, else the key file. On the very
 * first run with neither, a random 256-bit key is written to a 0600 key file beside the database.
 */
export function resolveDatabaseKey(o: DbKeyOptions): ResolvedDbKey {
  if (o.noDbPass) return { key: null, generatedKeyFile: null };
  if (o.dbPass) return { key: o.dbPass, generatedKeyFile: null };
  const keyFile = o.dbKeyFile || `${o.dbFile}.key`;
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile, 'utf8').trim();
    if (!key) throw new DbKeyError(`database key file ${keyFile} is empty`);
    return { key, generatedKeyFile: null };
  }
  if (existsSync(o.dbFile)) {
    throw new DbKeyError(`database ${o.dbFile} exists but no key was given: set MAD_DB_PASS, --db-pass or --db-key-file`);
  }
  const key = randomBytes(32).toString('base64url');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, generatedKeyFile: keyFile };
}
