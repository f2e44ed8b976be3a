import { eq } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import type { RequestRow } from './rows.ts';

// What staff actions of the desk write on a request besides its status:
// starting a clock that waited for an event or a date, and its owner.

/** A waiting clock started: its due time, the SLA watch's next step, and the time not charged. */
export async function startClock(tx: Tx, id: number, set: Pick<RequestRow, 'dueAt' | 'pausedMs' | 'pausedSince' | 'slaStage' | 'slaNextAt' | 'updatedAt'>): Promise<void> {
  await tx.orm.update(tx.t.requests).set(set).where(eq(tx.t.requests.id, id));
}

/** The officer who owns a request now (null: back in its team's queue). */
export async function setAssignee(tx: Tx, id: number, assigneeId: number | null, at: Date): Promise<void> {
  await tx.orm.update(tx.t.requests).set({ assigneeId, updatedAt: at }).where(eq(tx.t.requests.id, id));
}
