import { Worker } from 'node:worker_threads';
import { keyPragmas, pageSizeOf, type Db } from './open.js';

export interface CheckpointerOptions {
  readonly file: string;
  readonly key: string | null;
  /** How often the worker copies committed frames into the database file. */
  readonly intervalMs: number;
  /** The worker failed; the main connection checkpoints again as SQLite does by default. */
  readonly onError: (err: Error) => void;
}

export interface Checkpointer {
  /** Resolves once the worker is ready (or has failed and the main connection took over). */
  readonly ready: Promise<void>;
  /** Stops the worker and closes its connection; the main connection checkpoints again. */
  stop(): Promise<void>;
}

/** SQLite's default: after every commit that leaves the WAL at this many pages or more. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/**
 * While the worker runs, the main connection still checkpoints when the WAL reaches this many pages
 * (10 MiB with 1 KiB pages, 40 MiB with 4 KiB): by then the worker has copied nearly all of them,
 * and only a checkpoint by the writer between two of its own commits lets the WAL start over from
 * its beginning instead of growing.
 * A long WAL also means fewer copies: a page changed by many commits is copied once per pass.
 */
const BACKSTOP_PAGES = 10_000;

/**
 * Checkpoints on a worker thread. SQLite3 Multiple Ciphers encrypts at the file layer, so a
 * checkpoint decrypts every frame it reads from the WAL and encrypts it again for the database
 * file: done by the writing connection after its commits, that was a fifth of the main thread's
 * time on the refresh path (docs/performance.md). A checkpoint by another connection leaves the
 * writer's page cache valid (a commit by another connection would not).
 */
export function startCheckpointer(db: Db, options: CheckpointerOptions): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), {
    workerData: { file: options.file, pragmas: keyPragmas(options.key, pageSizeOf(db)), intervalMs: options.intervalMs },
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  let stopping = false;
  let failed = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    void exited.then(() => resolve());
  });

  /** The serving connection checkpoints after its own commits again, as SQLite does by default. */
  function handBack(): void {
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }
  function takeOver(err: Error): void {
    if (failed || stopping) return;
    failed = true;
    handBack();
    options.onError(err);
  }
  worker.on('error', (err) => takeOver(err));
  worker.once('exit', (code) => takeOver(new Error(`the checkpoint worker exited (code ${code})`)));

  return {
    ready,
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.postMessage('stop');
      }
      await exited;
      handBack();
    },
  };
}
