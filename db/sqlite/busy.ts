import { setTimeout as sleep } from 'node:timers/promises';

/** SQLite's word for a lock another connection holds. */
export const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
};

export interface WhenFreeOptions {
  /** How long to keep trying before the busy error is thrown, in ms. */
  readonly deadlineMs?: number;
}

/**
 * Runs a write on a connection that does not wait for locks (busy_timeout 0),
 * trying again on SQLITE_BUSY after a few milliseconds of timer instead.
 * SQLite's own busy handler sleeps in the thread, and on the server's main
 * thread that stops HTTP for as long as another connection (a backup, a
 * script, a second server on the file) holds the lock; here the main thread
 * serves others meanwhile. The pauses grow as SQLite's own handler's do, 1 ms
 * doubling to 20 ms: a poll for a lock held for milliseconds, not the retry
 * of a failed call that bot/backoff.ts paces (db/ imports nothing of bot/).
 */
export async function whenFree<T>(write: () => T, options: WhenFreeOptions = {}): Promise<T> {
  const deadline = performance.now() + (options.deadlineMs ?? 5_000);
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
    }
    await sleep(wait);
  }
}
