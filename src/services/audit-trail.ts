import type { Store } from '../store/index.js';
import type { AuditEntry } from '../store/types.js';

/** Called when a record that was not waited for could not be written (it is then lost). */
export type AuditFailure = (err: unknown) => void;

/**
 * Records an event that changes nothing (a machine token issued, a token introspected) without
 * holding the response for its commit. Such records are collected for up to 50 ms
 * (`DEFERRED_AUDIT_MS`) and committed together, so a hundred records share one commit's page
 * encryption; a process crash inside that window loses them (a clean shutdown writes them).
 * Waiting for each record cost a third of a client_credentials request's CPU, committing them turn
 * by turn ≈ 70–140 µs per request (docs/performance.md). Records that go with a change (sessions,
 * refresh tokens, admin writes, failed logins) are still written in the change's own transaction,
 * before the answer.
 */
export function recordAfterResponse(store: Pick<Store, 'audit'>, entry: AuditEntry, onFailure: AuditFailure): void {
  const batch = store.audit.appendDeferred(entry);
  // Records waiting together share their batch's promise: a failed batch is reported once (to the
  // handler of its first record), and no record adds a handler of its own.
  if (watchedBatches.has(batch)) return;
  watchedBatches.add(batch);
  batch.catch(onFailure);
}

const watchedBatches = new WeakSet<Promise<void>>();
