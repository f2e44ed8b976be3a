import { asc, eq, inArray } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { notices } from '../schema.ts';
import type { Tx } from '../store.ts';

// The notices table is what complaints were before they were tracked as
// requests: nothing writes it any more. Its complaint rows are read once, at
// start-up, to be filed as complaints (bot/engine/legacy-complaints.ts), and
// then deleted; hand-off wishes moved to the handoffs table in a migration.

export type LegacyComplaint = typeof notices.$inferSelect;

/**
 * The complaint rows still waiting to be converted, oldest first. On
 * PostgreSQL they are locked as read (FOR UPDATE): of two instances starting
 * at once, the second waits for the first to commit, and then finds them gone.
 */
export async function legacyComplaints(tx: Tx): Promise<LegacyComplaint[]> {
  if (tx.dialect !== 'postgres') {
    const { notices: n } = tx.t;
    return tx.orm.select().from(n).where(eq(n.kind, 'complaint')).orderBy(asc(n.id));
  }
  // tx.orm is drizzle over the PostgreSQL schema here (db/store.ts); only its builder has FOR UPDATE.
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { notices: n } = tx.t as unknown as typeof pgSchema;
  const rows: LegacyComplaint[] = await orm.select().from(n).where(eq(n.kind, 'complaint')).orderBy(asc(n.id)).for('update');
  return rows;
}

export async function deleteNotices(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.orm.delete(tx.t.notices).where(inArray(tx.t.notices.id, [...ids]));
}

/** Whether any complaint row is left to convert (a plain read: a read-only database answers it too). */
export async function hasLegacyComplaints(tx: Tx): Promise<boolean> {
  const { notices: n } = tx.t;
  return (await tx.orm.select({ id: n.id }).from(n).where(eq(n.kind, 'complaint')).limit(1)).length > 0;
}
