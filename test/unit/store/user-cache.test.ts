import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import { openDatabase } from '../../../src/store/index.js';
import { freshStoreWithUser, UNIT_DB_KEY, type TempStore } from '../../helpers/store.js';

let temp: TempStore;
let store: Store;
let userId: string;

freshStoreWithUser('hal', 'h@example.com', (s) => { ({ temp, store, userId } = s); });

const names = async (id: string) => {
  const c = await store.users.claimsOf(id);
  return { roles: c.roles.map((r) => r.name), scopes: c.scopes.map((s) => s.name) };
};

describe('user and claims caches (store/users.ts): read from memory, never stale', () => {
  it('a user read after any write to the row sees the write, and callers get their own copy', async () => {
    expect((await store.users.getById(userId))?.isActive).toBe(true);
    await store.users.setActive(userId, false);
    expect((await store.users.getById(userId))?.isActive).toBe(false);
    await store.users.update(userId, { email: 'new@example.com', isActive: true });
    const u = (await store.users.getById(userId))!;
    expect([u.email, u.isActive]).toEqual(['new@example.com', true]);
    u.email = 'changed-by-caller';
    expect((await store.users.getById(userId))?.email).toBe('new@example.com');
    await store.users.recordFailedLogin(userId, { windowSeconds: 60, maxFailures: 1, lockoutSeconds: 60 });
    expect((await store.users.getById(userId))?.lockoutUntil).not.toBeNull();
    await store.users.delete(userId);
    expect(await store.users.getById(userId)).toBeNull();
  });

  it('role and scope names follow assignments and renames at once', async () => {
    const role = await store.roles.create('auditor', '');
    const scope = await store.scopes.create('reports:read', '');
    expect(await names(userId)).toEqual({ roles: [], scopes: [] });
    await store.roles.assign(userId, role.id);
    await store.scopes.assignToUser(userId, [scope.id]);
    expect(await names(userId)).toEqual({ roles: ['auditor'], scopes: ['reports:read'] });
    await store.roles.update(role.id, { name: 'auditor2' });
    expect((await names(userId)).roles).toEqual(['auditor2']);
    await store.scopes.removeFromUser(userId, scope.id);
    expect((await names(userId)).scopes).toEqual([]);
    await store.roles.unassign(userId, role.id);
    expect((await names(userId)).roles).toEqual([]);
    // What callers get is shared and read-only.
    expect(Object.isFrozen((await store.users.claimsOf(userId)).roles)).toBe(true);
  });

  it('a write by another connection (the CLI, another process) empties them', async () => {
    const role = await store.roles.create('ops', '');
    expect((await store.users.getById(userId))?.email).toBe('h@example.com');
    expect((await names(userId)).roles).toEqual([]);
    const other = openDatabase({ file: temp.file, key: UNIT_DB_KEY, synchronous: 'NORMAL' });
    try {
      other.prepare('UPDATE users SET email = ? WHERE id = ?').run('other@example.com', userId);
      other.prepare('INSERT INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)')
        .run(crypto.randomUUID(), userId, role.id, new Date().toISOString());
    } finally {
      other.close();
    }
    // The other connection's commit is noticed at the first lookup of the next event-loop turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.users.getById(userId))?.email).toBe('other@example.com');
    expect((await names(userId)).roles).toEqual(['ops']);
  });
});
