import type { KeyManager } from '../crypto/keyring.js';
import type { Store } from '../store/index.js';
import type { Plane } from '../store/types.js';
import { MAX_REFRESH_SECONDS } from './token-policy.js';

export interface MaintenancePolicy {
  /** Sessions expired or revoked more than N days ago are deleted; 0 = off. */
  tokenPurgeDays: number;
  refreshTokenPurgeDays: number;
  /** Audit records older than N days are deleted (the chain anchor moves); 0 = keep forever. */
  auditLogRetentionDays: number;
  /** Rotate a plane's keys when its current key is older than N days; 0 = off. */
  keyRotationDays: number;
}

export interface MaintenanceReport {
  sessions: number;
  refreshTokens: number;
  auditLogs: number;
  denylist: number;
  /** Revoked refresh families forgotten once none of their tokens can still be alive. */
  revokedFamilies: number;
  authSessions: number;
  codes: number;
  rotated: Plane[];
}

const DAY = 86_400_000;
/**
 * How long a revoked family is remembered: no token joins a family once it is revoked and none
 * lives longer than MAX_REFRESH_SECONDS, so after that every token of the family has expired and is
 * refused anyway. The 30 days spare a clock that ran ahead when a token was issued.
 */
export const REVOKED_FAMILY_MEMORY_MS = MAX_REFRESH_SECONDS * 1000 + 30 * DAY;

/**
 * The hourly housekeeping task. `runOnce(now)` does one pass and is what the timer calls, so tests
 * can run it with any clock. `start()` schedules it with an unref'd interval; `stop()` clears it.
 */
export function createMaintenance(deps: {
  store: Pick<Store, 'sessions' | 'refreshTokens' | 'audit' | 'denylist' | 'housekeeping'>;
  keys: readonly KeyManager<Plane>[];
  policy: MaintenancePolicy;
  now: () => Date;
  onError?: (err: unknown) => void;
}) {
  const { store, policy } = deps;
  let timer: NodeJS.Timeout | null = null;
  const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
  const system = { actorId: 'system' as string | null };

  async function runOnce(now: Date = deps.now()): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { sessions: 0, refreshTokens: 0, auditLogs: 0, denylist: 0, revokedFamilies: 0, authSessions: 0, codes: 0,
      rotated: [] };
    if (policy.tokenPurgeDays > 0) {
      report.sessions = await store.sessions.purge({ olderThan: ago(now, policy.tokenPurgeDays), purgeExpired: true, purgeRevoked: true });
    }
    if (policy.refreshTokenPurgeDays > 0) {
      report.refreshTokens = await store.refreshTokens.purge({ olderThan: ago(now, policy.refreshTokenPurgeDays), purgeExpired: true, purgeRevoked: true });
    }
    if (policy.auditLogRetentionDays > 0) {
      report.auditLogs = await store.audit.purgeOlderThan(ago(now, policy.auditLogRetentionDays));
      if (report.auditLogs > 0) {
        await store.audit.append({ ...system, action: 'audit_logs_purged', secondary: `retention ${policy.auditLogRetentionDays}d: ${report.auditLogs}` });
      }
    }
    report.denylist = await store.denylist.purgeExpired();
    report.revokedFamilies = await store.refreshTokens.forgetRevokedFamilies(new Date(now.getTime() - REVOKED_FAMILY_MEMORY_MS));
    const login = await store.housekeeping.purgeExpiredLoginState(now);
    report.authSessions = login.authSessions;
    report.codes = login.codes;
    for (const manager of deps.keys) {
      // Another process may have rotated, and retired keys drop out of JWKS when their window ends.
      await manager.reload();
      if (policy.keyRotationDays <= 0) continue;
      const current = manager.list().find((k) => k.status === 'current');
      const since = current ? Date.parse(current.activated_at ?? current.created_at) : NaN;
      if (Number.isFinite(since) && now.getTime() - since >= policy.keyRotationDays * DAY) {
        await manager.rotate({ ...system, action: 'signing_key_rotated', target: manager.plane, secondary: 'scheduled' });
        report.rotated.push(manager.plane);
      }
    }
    return report;
  }

  return {
    runOnce,
    start(intervalMs = 3_600_000): void {
      if (timer) return;
      timer = setInterval(() => {
        runOnce().catch((err: unknown) => deps.onError?.(err));
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type Maintenance = ReturnType<typeof createMaintenance>;
