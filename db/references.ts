import { sql } from 'drizzle-orm';
import { prepared } from './queries/prepared.ts';
import { first } from './queries/rows.ts';
import type { Tx } from './store.ts';

export function formatReference(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * The next reference of a prefix and year, e.g. ICT-2026-000123. Call it in
 * the transaction that creates the request: the counter only ever goes up, so
 * a committed reference is never handed out again (on PostgreSQL the row lock
 * makes concurrent instances wait their turn for the next number).
 */
export async function nextReference(tx: Tx, prefix: string, year: number): Promise<string> {
  const row = tx.sqlite
    ? prepared(tx.sqlite).nextReference.all({ prefix, year })[0]
    : first(
        await tx
          .prepared('next_reference', ({ orm, t: { referenceCounters: c } }) =>
            orm
              .insert(c)
              .values({ prefix: sql.placeholder('prefix'), year: sql.placeholder('year'), last: 1 })
              .onConflictDoUpdate({ target: [c.prefix, c.year], set: { last: sql`${c.last} + 1` } })
              .returning({ last: c.last }),
          )
          .execute({ prefix, year }),
      );
  if (!row) throw new Error('the reference counter returned nothing');
  return formatReference(prefix, year, row.last);
}
