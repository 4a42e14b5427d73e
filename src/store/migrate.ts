import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './open.js';

export interface Migration {
  readonly num: number;
  readonly name: string;
  readonly sql: string;
}

export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The numbered `NNNN_name.sql` files shipped with this build, in order. */
export function bundledMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ num: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(dir + f, 'utf8') }));
}

export function schemaVersion(db: Db): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    num INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT max(num) AS num FROM schema_migrations').get() as { num: number | null };
  return row.num ?? 0;
}

/**
 * Applies pending migrations, one transaction per step, recorded in schema_migrations.
 * A database migrated by a newer microauthd is refused rather than guessed at.
 */
export function migrate(db: Db, migrations: readonly Migration[] = bundledMigrations()): number[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.num ?? 0;
  if (current > latest) {
    throw new DatabaseTooNewError(
      `database schema version ${current} is newer than this microauthd supports (${latest}); upgrade microauthd`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (num, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.num <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.num, m.name, new Date().toISOString());
    })();
    applied.push(m.num);
  }
  return applied;
}
