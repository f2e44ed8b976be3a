import { asc, eq } from 'drizzle-orm';
import type { cannedReplies } from '../schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

export type CannedRow = typeof cannedReplies.$inferSelect;
export type CannedText = Pick<CannedRow, 'title' | 'textSw' | 'textEn'>;

export async function listCanned(tx: Tx): Promise<CannedRow[]> {
  const { cannedReplies } = tx.t;
  return tx.orm.select().from(cannedReplies).orderBy(asc(cannedReplies.title), asc(cannedReplies.id));
}

export async function cannedById(tx: Tx, id: number): Promise<CannedRow | undefined> {
  return first(await tx.orm.select().from(tx.t.cannedReplies).where(eq(tx.t.cannedReplies.id, id)));
}

export async function insertCanned(tx: Tx, c: CannedText & { staffId: number; at: Date }): Promise<CannedRow> {
  const row = first(await tx.orm.insert(tx.t.cannedReplies).values({ title: c.title, textSw: c.textSw, textEn: c.textEn, updatedBy: c.staffId, updatedAt: c.at }).returning());
  if (!row) throw new Error('the new canned reply was not returned');
  return row;
}

/** Changes what is given; the row, or undefined when there is no such reply. */
export async function updateCanned(tx: Tx, id: number, c: Partial<CannedText> & { staffId: number; at: Date }): Promise<CannedRow | undefined> {
  const { cannedReplies } = tx.t;
  const set = { ...(c.title === undefined ? {} : { title: c.title }), ...(c.textSw === undefined ? {} : { textSw: c.textSw }), ...(c.textEn === undefined ? {} : { textEn: c.textEn }) };
  return first(
    await tx.orm
      .update(cannedReplies)
      .set({ ...set, updatedBy: c.staffId, updatedAt: c.at })
      .where(eq(cannedReplies.id, id))
      .returning(),
  );
}

/** Whether there was such a reply to delete. */
export async function deleteCanned(tx: Tx, id: number): Promise<boolean> {
  const gone = await tx.orm.delete(tx.t.cannedReplies).where(eq(tx.t.cannedReplies.id, id)).returning({ id: tx.t.cannedReplies.id });
  return gone.length > 0;
}
