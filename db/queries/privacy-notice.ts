import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../store.ts';

// The privacy notice (PDPA 2022) is given once a person, on whichever channel
// answers them first: the moment is kept on their row, which every channel's
// identities lead to.

/** Remembers that the person has been given the notice (the first time only). */
export async function markNoticeShown(tx: Tx, personId: number, at: Date): Promise<void> {
  const { people } = tx.t;
  await tx.orm
    .update(people)
    .set({ noticeShownAt: at })
    .where(and(eq(people.id, personId), isNull(people.noticeShownAt)));
}
