// The checkpoint worker (see checkpointer.ts): its own connection to the database copies committed
// WAL frames into the database file, so the main thread does not decrypt and re-encrypt them.
// Plain JavaScript: a worker thread needs a file Node can run as is, from src/ (tests) and dist/.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';

const { file, pragmas, intervalMs } = workerData;
const db = new Database(file);
for (const pragma of pragmas) db.pragma(pragma);
// A wrong key only shows on the first read: fail now, so the main connection takes over at once.
db.prepare('SELECT count(*) FROM sqlite_master').get();
// PASSIVE never waits for readers or the writer; what cannot be copied now is copied next time.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
