import { and, eq, isNull, sql } from 'drizzle-orm';
import { encodedAs } from './prepared.ts';
import type { Tx } from '../store.ts';

// The privacy notice (PDPA 2022) is given once a person, on whichever channel
// answers them first: the moment is kept on their row, which every channel's
// identities lead to.

/** Remembers that the person has been given the notice (the first time only). */
export async function markNoticeShown(tx: Tx, personId: number, at: Date): Promise<void> {
  const update = tx.prepared('mark_notice_shown', ({ orm, t: { people } }) =>
    orm
      .update(people)
      .set({ noticeShownAt: encodedAs('at', people.noticeShownAt) })
      .where(and(eq(people.id, sql.placeholder('personId')), isNull(people.noticeShownAt))),
  );
  await update.execute({ personId, at });
}
