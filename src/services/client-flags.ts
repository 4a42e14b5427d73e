import type { Store } from '../store/index.js';
import type { ClientService } from './clients.js';
import { InvalidInput } from './errors.js';
import type { RequestContext } from './request-context.js';

/** The per-client feature flags of the original (case-insensitive in the path). */
export const FEATURE_FLAGS = ['ENABLE_TOTP', 'TOTP_ISSUER', 'TOKEN_EXPIRATION', 'REFRESH_TOKEN_EXPIRATION',
  'SESSION_BASED_AUTH', 'SESSION_BASED_MAX_AGE', 'ALLOW_CONFIDENTIAL_WITHOUT_PKCE'] as const;
const NO_OPTIONS = new Set(['ENABLE_TOTP', 'SESSION_BASED_AUTH', 'ALLOW_CONFIDENTIAL_WITHOUT_PKCE']);

function canonical(flag: string): string {
  const f = flag.toUpperCase();
  if (!(FEATURE_FLAGS as readonly string[]).includes(f)) throw new InvalidInput('Unknown feature flag');
  return f;
}

/** Flags are found by internal client id or identifier (contract.md). */
export function createClientFlagService(deps: { store: Pick<Store, 'clients'>; clients: ClientService }) {
  const client = async (key: string) => {
    if (!key) throw new InvalidInput('Missing client_id');
    return deps.clients.resolve(key);
  };
  return {
    /** Sets on/off; the flag's options are kept (the original wiped them). */
    async set(flagAsTyped: string, clientKey: string, enabled: boolean, rc: RequestContext): Promise<void> {
      const flag = canonical(flagAsTyped);
      const c = await client(clientKey);
      await deps.store.clients.setFeature(c.id, flag, enabled, { ...rc, action: 'client_feature_set', target: c.id,
        secondary: `${flag}=${enabled}` });
    },

    async setOptions(flagAsTyped: string, clientKey: string, options: string, rc: RequestContext): Promise<void> {
      const flag = canonical(flagAsTyped);
      if (NO_OPTIONS.has(flag)) throw new InvalidInput('This feature has no extended options');
      const c = await client(clientKey);
      await deps.store.clients.setFeatureOptions(c.id, flag, options, { ...rc, action: 'client_feature_options_set',
        target: c.id, secondary: flag });
    },

    async get(flagAsTyped: string, clientKey: string): Promise<{ enabled: boolean; options: string }> {
      const flag = canonical(flagAsTyped);
      const c = await client(clientKey);
      const f = await deps.store.clients.getFeature(c.id, flag);
      return { enabled: f?.isEnabled ?? false, options: f?.options ?? '' };
    },
  };
}

export type ClientFlagService = ReturnType<typeof createClientFlagService>;
