import type { StoreContext } from './context.js';

/** Deletes of short-lived login state that scheduled maintenance runs (see services/maintenance.ts). */
export function createHousekeepingStore(ctx: StoreContext) {
  return {
    /** Browser logins in progress and authorization codes past their expiry: they can never be used. */
    async purgeExpiredLoginState(now: Date): Promise<{ authSessions: number; codes: number }> {
      const at = now.toISOString();
      return ctx.db.transaction(() => ({
        authSessions: ctx.sql('DELETE FROM auth_sessions WHERE expires_at < ?').run(at).changes,
        codes: ctx.sql('DELETE FROM authorization_codes WHERE expires_at < ?').run(at).changes,
      })).immediate();
    },
  };
}

export type HousekeepingStore = ReturnType<typeof createHousekeepingStore>;
