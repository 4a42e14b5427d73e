/**
 * Collects raw option values from the environment and from the config file.
 * Nothing is typed here; load.ts parses every collected value the same way.
 */
import { readFileSync, statSync } from 'node:fs';
import { OPTIONS, envName, optionDef, type OptionDef } from './schema.js';
import { parseConfigFile } from './config-file.js';
import type { RawValue } from './argv.js';

interface Collected {
  readonly values: Map<string, RawValue>;
  readonly errors: string[];
  readonly warnings: string[];
}

// `MAD_*` names read by `mad` (the admin CLI), not by the server: not worth a warning.
const CLI_ONLY_ENV = new Set(['ADMIN_URL', 'ADMIN_TOKEN']);

/**
 * `<prefix><KEY_UPPER_UNDERSCORED>` for every option. (The original stripped the
 * prefix and then looked up the prefixed name, so only MAD_CONFIG ever worked.)
 */
export function readEnv(prefix: string, env: Readonly<Record<string, string | undefined>>): Collected {
  const values = new Map<string, RawValue>();
  const known = new Set<string>();
  for (const def of OPTIONS as readonly OptionDef[]) {
    const name = envName(prefix, def.key);
    known.add(name);
    const raw = env[name];
    if (raw !== undefined) values.set(def.key, { raw, source: name });
  }
  const warnings = Object.keys(env)
    .filter((n) => prefix !== '' && n.startsWith(prefix) && !known.has(n) && !CLI_ONLY_ENV.has(n.slice(prefix.length)))
    .sort()
    .map((n) => `${n} is set but is not a microauthd option (ignored)`);
  return { values, errors: [], warnings };
}

/**
 * Reads `key = value` lines. `effectivePrefix` is only used to tell whether an
 * `env-var-prefix` line in the file disagrees with the one in force: the prefix
 * must be known before the file is found, so the file cannot change it.
 */
export function readConfigFile(path: string, explicitSource: string | null, effectivePrefix: string): Collected & { used: boolean } {
  const values = new Map<string, RawValue>();
  const errors: string[] = [];
  const warnings: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A missing default mad.conf is normal; a missing file the operator named is a mistake.
    if (code === 'ENOENT' && explicitSource === null) return { values, errors, warnings, used: false };
    const why = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(e)})`;
    errors.push(`config: ${path}: ${why}${explicitSource === null ? '' : ` [${explicitSource}]`}`);
    return { values, errors, warnings, used: false };
  }

  const { entries, problems } = parseConfigFile(text);
  for (const p of problems) (p.fatal ? errors : warnings).push(`${path} line ${p.line}: ${p.message}`);

  for (const { key, value, line } of entries) {
    const at = `${path} line ${line}`;
    const def = optionDef(key);
    if (def === undefined) {
      warnings.push(`${at}: unknown key ${JSON.stringify(key)} (ignored)`);
    } else if (key === 'config') {
      warnings.push(`${at}: config cannot be set inside a config file (ignored)`);
    } else if (key === 'env-var-prefix') {
      if (value !== effectivePrefix) {
        warnings.push(`${at}: env-var-prefix ${JSON.stringify(value)} is ignored (in force: ${JSON.stringify(effectivePrefix)}); use --env-var-prefix`);
      }
    } else {
      const earlier = values.get(key);
      if (earlier !== undefined) warnings.push(`${at}: ${key} is set again (earlier: ${earlier.source}); the last one wins`);
      values.set(key, { raw: value, source: `${key} (${at})` });
    }
  }
  warnings.push(...permissionWarnings(path, values));
  return { values, errors, warnings, used: true };
}

/** A file holding secrets should not be readable by other users. */
function permissionWarnings(path: string, values: ReadonlyMap<string, RawValue>): string[] {
  if (process.platform === 'win32') return [];
  const secrets = [...values.keys()].filter((k) => optionDef(k)?.secret === true && values.get(k)?.raw !== '');
  if (secrets.length === 0) return [];
  const mode = statSync(path).mode;
  if ((mode & 0o077) === 0) return [];
  return [`${path} holds secrets (${secrets.join(', ')}) but is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`];
}
