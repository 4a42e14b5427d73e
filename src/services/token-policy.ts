import type { ClientFeature } from '../store/clients.js';

export interface LifetimeDefaults {
  /** `token-expiration` */
  accessSeconds: number;
  /** `refresh-token-expiration` */
  refreshSeconds: number;
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/** An enabled flag's options as whole seconds, or null when unset, disabled or not a number. */
function secondsOf(feature: ClientFeature | undefined): number | null {
  if (!feature?.isEnabled || !/^\s*\d{1,9}\s*$/.test(feature.options)) return null;
  return Number(feature.options);
}

/** The longest a refresh token can live, whatever the configuration or a client's flag says (seconds). */
export const MAX_REFRESH_SECONDS = 31_536_000;

/**
 * Per-client lifetimes: the `TOKEN_EXPIRATION` / `REFRESH_TOKEN_EXPIRATION` flags (options = integer
 * seconds) override the configuration, clamped to the same bounds the configuration accepts.
 */
export function lifetimesFor(features: ReadonlyMap<string, ClientFeature>, defaults: LifetimeDefaults) {
  const access = secondsOf(features.get('TOKEN_EXPIRATION'));
  const refresh = secondsOf(features.get('REFRESH_TOKEN_EXPIRATION'));
  return {
    accessSeconds: access === null ? defaults.accessSeconds : clamp(access, 60, 86400),
    refreshSeconds: refresh === null ? defaults.refreshSeconds : clamp(refresh, 300, MAX_REFRESH_SECONDS),
  };
}

/** TOTP is demanded on the password grant only when the client enables it (`ENABLE_TOTP`). */
export const totpEnabledFor = (features: ReadonlyMap<string, ClientFeature>): boolean =>
  features.get('ENABLE_TOTP')?.isEnabled === true;
