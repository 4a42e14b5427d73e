import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, type AuditEntry } from './types.js';

export interface TotpRow {
  id: string;
  userId: string;
  clientId: string;
  secret: string;
  isEnabled: boolean;
  lastUsedStep: number;
}

interface TotpDbRow { id: string; user_id: string; client_id: string; totp_secret: string; is_enabled: number; last_used_step: number }

const toTotp = (r: TotpDbRow): TotpRow => ({
  id: r.id, userId: r.user_id, clientId: r.client_id, secret: r.totp_secret, isEnabled: bool(r.is_enabled),
  lastUsedStep: r.last_used_step,
});

/** TOTP enrolment per (user, client internal id). */
export function createTotpStore(ctx: StoreContext, audit: AuditStore) {
  return {
    async get(userId: string, clientId: string): Promise<TotpRow | null> {
      const r = ctx.sql('SELECT * FROM user_totp WHERE user_id = ? AND client_id = ?').get(userId, clientId) as TotpDbRow | undefined;
      return r ? toTotp(r) : null;
    },

    /** Enrols (or re-enrols, replacing the old secret) — not enabled until a code is verified. */
    async enrol(userId: string, clientId: string, secret: string, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        ctx.sql('DELETE FROM user_totp WHERE user_id = ? AND client_id = ?').run(userId, clientId);
        ctx.sql('INSERT INTO user_totp (id, user_id, client_id, totp_secret, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(randomUUID(), userId, clientId, secret, ctx.nowIso());
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    /**
     * Records an accepted code's time step (and enables TOTP when `enable`), only if the step is
     * newer than the last accepted one: a code can be used once. Returns false on a replay.
     */
    async acceptStep(userId: string, clientId: string, step: number, enable: boolean, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql(`UPDATE user_totp SET last_used_step = ?, is_enabled = CASE WHEN ? THEN 1 ELSE is_enabled END
          WHERE user_id = ? AND client_id = ? AND last_used_step < ?`).run(step, enable ? 1 : 0, userId, clientId, step);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async disable(userId: string, clientId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM user_totp WHERE user_id = ? AND client_id = ?').run(userId, clientId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },
  };
}

export type TotpStore = ReturnType<typeof createTotpStore>;
