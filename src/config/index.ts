/**
 * microauthd configuration: one schema (schema.ts), three sources merged with
 * flags > env > file > defaults (load.ts), validated all at once and deep-frozen
 * (validate.ts). docs/configuration.md is generated from the same schema.
 */
export { loadConfig, type LoadOptions, type LoadResult } from './load.js';
export { ConfigError } from './errors.js';
export { issuerFor } from './issuer.js';
export { formatEffectiveConfig } from './format.js';
export { renderConfigDocs } from './docs.js';
export { OPTIONS, GROUPS, type Config, type Plane, type OptionDef, type OptionKey, type Group } from './schema.js';
