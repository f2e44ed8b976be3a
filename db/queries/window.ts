import { getTableName, type SQL, sql } from 'drizzle-orm';
import type * as schema from '../schema.ts';
import type { Orm, Tx } from '../store.ts';
import { encodedAs } from './prepared.ts';
import { first } from './rows.ts';

/** The tables that count hits of a key in a fixed window (the per-person flood limit, the per-address limit). */
export type WindowTable = typeof schema.rateWindows | typeof schema.addressWindows;

export interface WindowHit {
  readonly key: string;
  readonly at: Date;
  readonly windowMs: number;
}

/**
 * The upsert that counts one hit of the placeholder `key` at `at` in its fixed
 * window, opening a new window when the last began before `since`; its row
 * lock orders instances on PostgreSQL. `only`: a condition for counting a key
 * already counted before (arrival's: not a redelivery).
 */
export function windowUpsert(orm: Orm, w: WindowTable, only?: SQL) {
  const live = sql`${w.windowStart} > ${encodedAs('since', w.windowStart)}`;
  return orm
    .insert(w as typeof schema.addressWindows)
    .values({ key: sql.placeholder('key'), windowStart: sql.placeholder('at'), count: 1 })
    .onConflictDoUpdate({
      target: w.key,
      set: { count: sql`case when ${live} then ${w.count} + 1 else 1 end`, windowStart: sql`case when ${live} then ${w.windowStart} else ${encodedAs('at', w.windowStart)} end` },
      ...(only ? { setWhere: only } : {}),
    })
    .returning({ count: w.count, windowStart: w.windowStart });
}

/** The values of windowUpsert's placeholders for `h`. */
export const windowValues = (h: WindowHit) => ({ key: h.key, at: h.at, since: new Date(h.at.getTime() - h.windowMs) });

/**
 * Counts one hit of `key` in its fixed window, opening a new window when the
 * last one has passed: one upsert. Returns the window's count after this hit and when it began.
 */
export async function countInWindow(tx: Tx, w: WindowTable, h: WindowHit): Promise<{ count: number; windowStart: Date }> {
  const upsert = tx.prepared(`count_in_window_${getTableName(w)}`, ({ orm }) => windowUpsert(orm, w));
  const row = first(await upsert.execute(windowValues(h)));
  // An upsert always returns its row; the fallback only satisfies the type.
  return row ?? { count: 1, windowStart: h.at };
}
