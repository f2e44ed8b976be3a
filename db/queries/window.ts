import { getTableName, sql } from 'drizzle-orm';
import type * as schema from '../schema.ts';
import type { Tx } from '../store.ts';
import { encodedAs } from './prepared.ts';
import { first } from './rows.ts';

/** The tables that count hits of a key in a fixed window (the per-person flood limit, the per-address limit). */
type WindowTable = typeof schema.rateWindows | typeof schema.addressWindows;

export interface WindowHit {
  readonly key: string;
  readonly at: Date;
  readonly windowMs: number;
}

/**
 * Counts one hit of `key` in its fixed window, opening a new window when the
 * last one has passed: one upsert, whose row lock orders instances on
 * PostgreSQL. Returns the window's count after this hit and when it began.
 */
export async function countInWindow(tx: Tx, w: WindowTable, h: WindowHit): Promise<{ count: number; windowStart: Date }> {
  const upsert = tx.prepared(`count_in_window_${getTableName(w)}`, ({ orm }) => {
    const live = sql`${w.windowStart} > ${encodedAs('since', w.windowStart)}`;
    return orm
      .insert(w as typeof schema.addressWindows)
      .values({ key: sql.placeholder('key'), windowStart: sql.placeholder('at'), count: 1 })
      .onConflictDoUpdate({
        target: w.key,
        set: { count: sql`case when ${live} then ${w.count} + 1 else 1 end`, windowStart: sql`case when ${live} then ${w.windowStart} else ${encodedAs('at', w.windowStart)} end` },
      })
      .returning({ count: w.count, windowStart: w.windowStart });
  });
  const values = { key: h.key, at: h.at, since: new Date(h.at.getTime() - h.windowMs) };
  const row = first(await upsert.execute(values));
  // An upsert always returns its row; the fallback only satisfies the type.
  return row ?? { count: 1, windowStart: h.at };
}
