import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the database file on a thread of its own, so the
 * thread that answers people never does it: with SQLite's automatic
 * checkpoints, a COMMIT that crossed 1,000 WAL pages copied them all before
 * it returned, which held the event loop (BENCHMARKS.md: the SLA sweep of
 * 10,000 breaches, 1,088 → ~714 ms with the copying elsewhere). A PASSIVE
 * checkpoint never blocks the writer; its pages are fsynced as synchronous=FULL says.
 */
export interface CheckpointerOptions {
  /** How often the thread checkpoints what the WAL holds. */
  readonly everyMs?: number;
}

/**
 * The thread's whole program: plain CommonJS, so it needs no TypeScript
 * loader (a worker run through tsx costs tens of MB). A checkpoint that fails
 * (the file read-only, the disk full, a reader in the way) is tried again at
 * the next tick; the main connection's own automatic checkpoint, at a far
 * larger WAL, stays as the safety net.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
  db.pragma('synchronous = FULL');
} catch {
  parentPort.postMessage('unavailable');
}
const checkpoint = () => {
  try { db?.pragma('wal_checkpoint(PASSIVE)'); } catch {}
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db?.close();
  parentPort.postMessage('stopped');
});
`;

export interface Checkpointer {
  /** Checkpoints once more and ends the thread. */
  stop(): Promise<void>;
}

/** Starts the thread for the database at `path` (WAL mode, opened already). */
export function startCheckpointer(path: string, options: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(PROGRAM, { eval: true, workerData: { path, driver, everyMs: options.everyMs ?? 200 }, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  worker.unref();
  // The thread failing must not take the server down: the main connection's automatic checkpoint still runs.
  worker.on('error', () => undefined);
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('exit', done);
        worker.on('message', (m) => {
          if (m === 'stopped') void worker.terminate().then(done, done);
        });
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
