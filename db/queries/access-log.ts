import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '../store.ts';

/** What staff did with a person's data (PDPA 2022): opened a request or a conversation, exported or erased a person. */
export const ACCESS_ACTIONS = ['view_request', 'view_conversation', 'export_person', 'erase_person'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessEntry {
  readonly id: number;
  readonly at: Date;
  readonly staffId: number;
  readonly staffName: string | null;
  readonly action: string;
  readonly requestId: number | null;
  readonly reference: string | null;
  readonly personId: number | null;
}

/** One line of the access log, in the caller's transaction (only ids: the log itself holds nothing personal). */
export async function recordAccess(tx: Tx, a: { staffId: number; action: AccessAction; at: Date; requestId?: number | null; personId?: number | null }): Promise<void> {
  await tx.orm.insert(tx.t.accessLog).values({ staffId: a.staffId, at: a.at, action: a.action, requestId: a.requestId ?? null, personId: a.personId ?? null });
}

/** The log between `from` (included) and `to` (excluded), oldest first, with the officer's name and the request's reference. */
export async function accessBetween(tx: Tx, from: Date, to: Date, limit: number): Promise<AccessEntry[]> {
  const { accessLog: l, staff, requests } = tx.t;
  return tx.orm
    .select({ id: l.id, at: l.at, staffId: l.staffId, staffName: staff.name, action: l.action, requestId: l.requestId, reference: requests.reference, personId: l.personId })
    .from(l)
    .leftJoin(staff, eq(staff.id, l.staffId))
    .leftJoin(requests, eq(requests.id, l.requestId))
    .where(and(gte(l.at, from), lt(l.at, to)))
    .orderBy(asc(l.at), asc(l.id))
    .limit(limit);
}
