import type { Store } from '../store/index.js';
import type { AuditEntry } from '../store/types.js';

/** Called when a record that was not waited for could not be written (it is then lost). */
export type AuditFailure = (err: unknown) => void;

/**
 * Records an event that changes nothing (a machine token issued, a token introspected) without
 * holding the response for its commit. The record joins the group commit of this same turn of the
 * event loop, which runs right after the response is handed to the socket; a process crash inside
 * that sub-millisecond window can lose it. Waiting cost a third of a client_credentials request's
 * CPU (docs/performance.md). Records that go with a change (sessions, refresh tokens, admin writes,
 * failed logins) are still written in the change's own transaction, before the answer.
 */
export function recordAfterResponse(store: Pick<Store, 'audit'>, entry: AuditEntry, onFailure: AuditFailure): void {
  store.audit.append(entry).catch(onFailure);
}
