/**
 * loadConfig: flags > environment > config file > schema defaults, per option.
 *
 * Order of work:
 *  1. flags (yargs, strict);
 *  2. the env prefix (flag, else MAD_ENV_VAR_PREFIX, else MAD_) – needed to read env;
 *  3. env values, then the config file (`--config`, else <prefix>CONFIG, else ./mad.conf);
 *  4. EVERY raw value from every source is parsed, even ones a higher source
 *     overrides, so a broken file is reported rather than hidden;
 *  5. validation table; then one ConfigError with all errors, or a frozen Config.
 * Nothing here prints or exits: the caller (main.ts) decides.
 */
import { resolve } from 'node:path';
import { OPTIONS, DEFAULT_ENV_PREFIX, camelKey, envName, type Config, type OptionDef, type OptionValue } from './schema.js';
import { parseArgv, type RawValue } from './argv.js';
import { readConfigFile, readEnv } from './sources.js';
import { parseValue } from './parse-value.js';
import { validate, deepFreeze } from './validate.js';
import { ConfigError } from './errors.js';

export interface LoadOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface LoadResult {
  config: Config;
  warnings: string[];
  printEffectiveConfig: boolean;
  /** Absolute path of the config file read, or null when none was. */
  configFileUsed: string | null;
  /** Option keys given explicitly by flag, env or file (not defaulted). */
  explicit: ReadonlySet<string>;
}

export function loadConfig(opts: LoadOptions): LoadResult {
  const errors: string[] = [];
  const warnings: string[] = [];

  const argv = parseArgv(opts.argv);
  errors.push(...argv.errors);

  const prefixEnvName = envName(DEFAULT_ENV_PREFIX, 'env-var-prefix');
  const prefixRaw = argv.flags.get('env-var-prefix') ?? envRaw(opts.env, prefixEnvName);
  const prefix = prefixRaw?.raw ?? DEFAULT_ENV_PREFIX;

  const env = readEnv(prefix, opts.env);
  warnings.push(...env.warnings);
  // MAD_ENV_VAR_PREFIX is read under the default prefix even when it changes the prefix.
  if (prefixRaw !== undefined && !argv.flags.has('env-var-prefix')) env.values.set('env-var-prefix', prefixRaw);

  const configRaw = argv.flags.get('config') ?? env.values.get('config');
  const configPath = resolve(opts.cwd, configRaw?.raw ?? 'mad.conf');
  const file = readConfigFile(configPath, configRaw?.source ?? null, prefix);
  errors.push(...file.errors);
  warnings.push(...file.warnings);

  const layers: ReadonlyArray<ReadonlyMap<string, RawValue>> = [argv.flags, env.values, file.values];
  const values: Record<string, OptionValue> = {};
  const sources = new Map<string, string>();
  const unparsed = new Set<string>();
  for (const def of OPTIONS as readonly OptionDef[]) {
    values[def.key] = def.default;
    let chosen = false;
    for (const layer of layers) {
      const given = layer.get(def.key);
      if (given === undefined) continue;
      const parsed = parseValue(def, given.raw, given.source);
      if (!parsed.ok) {
        errors.push(parsed.error);
        unparsed.add(def.key);
      } else if (!chosen) {
        values[def.key] = parsed.value;
        sources.set(def.key, given.source);
      }
      chosen = true; // a higher layer that failed to parse still shadows the lower ones
    }
    const v = values[def.key];
    if (def.path === true && typeof v === 'string' && v !== '') values[def.key] = resolve(opts.cwd, v);
  }

  const config = toConfig(values);
  const checked = validate(values, config, { sources, fromCli: new Set(argv.flags.keys()), unparsed });
  errors.push(...checked.errors);
  warnings.push(...checked.warnings);
  if (errors.length > 0) throw new ConfigError(errors);

  const explicit = new Set(layers.flatMap((l) => [...l.keys()]));
  return {
    config: deepFreeze(derive(config)),
    warnings,
    printEffectiveConfig: config.printEffectiveConfig,
    configFileUsed: file.used ? configPath : null,
    explicit,
  };
}

function envRaw(env: LoadOptions['env'], name: string): RawValue | undefined {
  const raw = env[name];
  return raw === undefined ? undefined : { raw, source: name };
}

function toConfig(values: Readonly<Record<string, OptionValue>>): Config {
  const out: Record<string, OptionValue> = {};
  for (const [key, v] of Object.entries(values)) out[camelKey(key)] = v;
  return out as Config;
}

/**
 * Options documented as overriding others are folded in here, so consumers read
 * one property and --print-effective-config shows what really applies.
 */
function derive(c: Config): Config {
  return {
    ...c,
    enableTokenRefresh: c.enableTokenRefresh && !c.disableTokenRefresh,
    noPrompt: c.noPrompt || c.docker,
    // Stored in the exact form browsers send in `Origin` (lower-case host, no default port).
    corsOrigins: c.corsOrigins.map((o) => new URL(o).origin),
  };
}
