import type { Store } from '../store/index.js';
import type { AuditRow } from '../store/types.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface AuditLogResponse {
  id: string; actor_id: string | null; action: string; secondary: string | null; target: string | null;
  timestamp: string; ip_address: string | null; user_agent: string | null; outcome: string;
}

const toWire = (r: AuditRow): AuditLogResponse => ({
  id: r.id, actor_id: r.actorId, action: r.action, secondary: r.secondary, target: r.target, timestamp: r.timestamp,
  ip_address: r.ipAddress, user_agent: r.userAgent, outcome: r.outcome,
});

export const AUDIT_LIMIT_DEFAULT = 100;
export const AUDIT_LIMIT_MAX = 1000;

export function createAuditAdminService(deps: { store: Pick<Store, 'audit'>; now: () => Date }) {
  return {
    async list(f: { userId?: string; action?: string; limit?: number; offset?: number }): Promise<{ items: AuditLogResponse[]; total: number }> {
      const { rows, total } = await deps.store.audit.list({ actorId: f.userId, action: f.action,
        limit: Math.min(f.limit ?? AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX), offset: f.offset ?? 0 });
      return { items: rows.map(toWire), total };
    },

    async get(id: string): Promise<AuditLogResponse> {
      const r = await deps.store.audit.get(id);
      if (!r) throw new NotFound('Audit log not found');
      return toWire(r);
    },

    async purge(olderThanDays: number, rc: RequestContext): Promise<number> {
      if (!Number.isInteger(olderThanDays) || olderThanDays <= 0) throw new InvalidInput('olderThanDays must be greater than 0');
      if (olderThanDays > 36_500) throw new InvalidInput('olderThanDays must be at most 36500'); // keeps the cutoff a valid date
      const cutoff = new Date(deps.now().getTime() - olderThanDays * 86_400_000);
      return deps.store.audit.purgeOlderThan(cutoff, { ...rc, action: 'audit_logs_purged', secondary: String(olderThanDays) });
    },

    async verify(): Promise<{ ok: boolean; checked: number; broken_at: number | null }> {
      const v = await deps.store.audit.verify();
      return { ok: v.ok, checked: v.checked, broken_at: v.brokenAt };
    },
  };
}

export type AuditAdminService = ReturnType<typeof createAuditAdminService>;
