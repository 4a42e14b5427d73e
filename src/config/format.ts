import { OPTIONS, camelKey, type Config, type OptionDef, type OptionValue } from './schema.js';

export const MASK = '********';

/** One value in config-file syntax, quoted when the file parser would otherwise alter it. */
export function formatValue(v: OptionValue): string {
  const s = Array.isArray(v) ? v.join(',') : String(v);
  return /[#;"]|^\s|\s$/.test(s) ? `"${s}"` : s;
}

/**
 * `key = value` lines in schema order, for --print-effective-config. Unlike the
 * original (which printed DbPass in clear), non-empty secrets are masked. The
 * output is valid config-file syntax, secrets aside.
 */
export function formatEffectiveConfig(config: Config): string {
  const byCamel = config as unknown as Readonly<Record<string, OptionValue>>;
  return (OPTIONS as readonly OptionDef[])
    .map((def) => {
      const v = byCamel[camelKey(def.key)] ?? def.default;
      const shown = def.secret === true && v !== '' ? MASK : formatValue(v);
      return `${def.key} = ${shown}`;
    })
    .join('\n');
}
