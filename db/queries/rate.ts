import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

/**
 * Counts one message of `key` in its window and says what it is: `allowed`
 * within the limit; over it, `notify` for the first (once a window), else
 * `silent`. One upsert counts (its row lock orders instances); one
 * conditional update claims the notice.
 */
export async function hitRateWindow(tx: Tx, h: { key: string; at: Date; limit: number; windowMs: number }): Promise<'allowed' | 'notify' | 'silent'> {
  const { rateWindows: w } = tx.t;
  const cutoff = new Date(h.at.getTime() - h.windowMs);
  const expired = lte(w.windowStart, cutoff);
  const row = first(
    await tx.orm
      .insert(w)
      .values({ key: h.key, windowStart: h.at, count: 1 })
      .onConflictDoUpdate({
        target: w.key,
        set: {
          count: sql`case when ${expired} then 1 else ${w.count} + 1 end`,
          windowStart: sql`case when ${expired} then ${sql.param(h.at, w.windowStart)} else ${w.windowStart} end`,
        },
      })
      .returning({ count: w.count }),
  );
  if (!row || row.count <= h.limit) return 'allowed';
  const claimed = await tx.orm
    .update(w)
    .set({ noticeAt: h.at })
    .where(and(eq(w.key, h.key), or(isNull(w.noticeAt), lte(w.noticeAt, cutoff))))
    .returning({ key: w.key });
  return claimed.length > 0 ? 'notify' : 'silent';
}
