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
 * thread that stops HTTP for as long as the engine thread's batch holds the
 * lock; here the main thread serves others meanwhile.
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
