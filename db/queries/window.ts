import { gt, sql } from 'drizzle-orm';
import type * as schema from '../schema.ts';
import type { Tx } from '../store.ts';
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
  const live = gt(w.windowStart, new Date(h.at.getTime() - h.windowMs));
  const row = first(
    await tx.orm
      .insert(w as typeof schema.addressWindows)
      .values({ key: h.key, windowStart: h.at, count: 1 })
      .onConflictDoUpdate({
        target: w.key,
        set: { count: sql`case when ${live} then ${w.count} + 1 else 1 end`, windowStart: sql`case when ${live} then ${w.windowStart} else ${sql.param(h.at, w.windowStart)} end` },
      })
      .returning({ count: w.count, windowStart: w.windowStart }),
  );
  // An upsert always returns its row; the fallback only satisfies the type.
  return row ?? { count: 1, windowStart: h.at };
}
