import type { StoreContext } from './context.js';

/** Small key/value facts about the installation (setup time, audit anchor). */
export function createMetaStore(ctx: StoreContext) {
  return {
    async get(key: string): Promise<string | null> {
      return (ctx.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
    },
    async set(key: string, value: string): Promise<void> {
      ctx.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(key, value);
    },
  };
}

export type MetaStore = ReturnType<typeof createMetaStore>;
