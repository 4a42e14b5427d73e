import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { loadConfig, ConfigError } from '../../../src/config/index.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty working directory (so no stray ./mad.conf is picked up). */
export function tempCwd(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mad-config-'));
  made.push(dir);
  return dir;
}

/** Writes `name` (default mad.conf) into `dir` and returns its path. */
export function writeConf(dir: string, text: string, name = 'mad.conf'): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

export type Env = Record<string, string | undefined>;

export function load(argv: string[] = [], env: Env = {}, cwd: string = tempCwd()): ReturnType<typeof loadConfig> {
  return loadConfig({ argv, env, cwd });
}

/** The ConfigError's messages, failing the test if loading succeeds. */
export function loadErrors(argv: string[] = [], env: Env = {}, cwd: string = tempCwd()): readonly string[] {
  try {
    load(argv, env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) return e.errors;
    throw e;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}
