import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { countInWindow } from './window.ts';

/**
 * Counts one message of `key` in its window and says what it is: `allowed`
 * within the limit; over it, `notify` for the first (once a window), else
 * `silent`. The window counts it (window.ts), unless the message's arrival
 * counted it already (`counted`, arrival.ts); one conditional update claims the notice.
 */
export async function hitRateWindow(tx: Tx, h: { key: string; at: Date; limit: number; windowMs: number; counted?: number | undefined }): Promise<'allowed' | 'notify' | 'silent'> {
  const { rateWindows: w } = tx.t;
  const cutoff = new Date(h.at.getTime() - h.windowMs);
  const count = h.counted ?? (await countInWindow(tx, w, h)).count;
  if (count <= h.limit) return 'allowed';
  const claimed = await tx.orm
    .update(w)
    .set({ noticeAt: h.at })
    .where(and(eq(w.key, h.key), or(isNull(w.noticeAt), lte(w.noticeAt, cutoff))))
    .returning({ key: w.key });
  return claimed.length > 0 ? 'notify' : 'silent';
}
