import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAfterResponse } from '../../../src/services/audit-trail.js';
import { openTempStore, type TempStore } from '../../helpers/store.js';

let t: TempStore;
beforeEach(() => {
  t = openTempStore();
});
afterEach(() => t.close());

/**
 * Waits for the batch the records just queued are in: a probe record (another actor) joins it and
 * settles with it, after the handlers the records attached (promise reactions run in order).
 */
async function commitWaitingRecords(): Promise<void> {
  await t.store.audit.appendDeferred({ actorId: 'probe', action: 'probe' }).catch(() => undefined);
}

describe('records written after the response', () => {
  it('are committed together, in order, with an intact chain', async () => {
    const failures: unknown[] = [];
    for (const n of [1, 2, 3]) recordAfterResponse(t.store, { actorId: 'svc', action: `deferred-${n}` }, (e) => failures.push(e));
    expect((await t.store.audit.list({ actorId: 'svc' })).total).toBe(0); // still waiting
    await commitWaitingRecords();
    const { rows } = await t.store.audit.list({ actorId: 'svc' });
    expect(rows.map((r) => r.action).reverse()).toEqual(['deferred-1', 'deferred-2', 'deferred-3']);
    expect((await t.store.audit.verify()).ok).toBe(true);
    expect(failures).toEqual([]);
  });

  it('report a batch that could not be written once, and the next batch on its own', async () => {
    t.db.exec("CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_logs BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const failures: unknown[] = [];
    const onFailure = (e: unknown): void => { failures.push(e); };
    for (const n of [1, 2, 3]) recordAfterResponse(t.store, { actorId: 'svc', action: `lost-${n}` }, onFailure);
    await commitWaitingRecords();
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain('disk says no');

    recordAfterResponse(t.store, { actorId: 'svc', action: 'lost-4' }, onFailure);
    await commitWaitingRecords();
    expect(failures).toHaveLength(2);

    t.db.exec('DROP TRIGGER refuse_audit');
    recordAfterResponse(t.store, { actorId: 'svc', action: 'kept' }, onFailure);
    await commitWaitingRecords();
    expect(failures).toHaveLength(2);
    expect((await t.store.audit.list({ actorId: 'svc' })).rows.map((r) => r.action)).toEqual(['kept']);
  });
});
