import { and, desc, eq, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, people, requestEvents, requests } from '../schema.ts';
import { OPEN_STATUSES, type RequestRow } from './requests.ts';

export function requestByReference(tx: Tx, reference: string): RequestRow | undefined {
  return tx.select().from(requests).where(eq(requests.reference, reference)).get();
}

/** The customer's chat and language for a request, to tell them of a change. */
export function customerOf(tx: Tx, request: RequestRow) {
  const person = tx.select({ locale: people.locale }).from(people).where(eq(people.id, request.personId)).get();
  const chat = request.conversationId === null ? undefined : tx.select().from(conversations).where(eq(conversations.id, request.conversationId)).get();
  return { locale: person?.locale ?? 'sw', chat };
}

/** Writes the request's new SLA and status fields. */
export function updateRequest(tx: Tx, id: number, set: Partial<Pick<RequestRow, 'status' | 'dueAt' | 'resolvedAt' | 'pausedSince' | 'pausedMs' | 'slaNextAt' | 'rating' | 'ratingComment' | 'updatedAt'>>): void {
  tx.update(requests).set(set).where(eq(requests.id, id)).run();
}

export interface RequestFilter {
  readonly status?: RequestRow['status'];
  readonly service?: string;
  /** Only requests past their due time and still open. */
  readonly breached?: boolean;
  readonly now: Date;
  readonly limit?: number;
}

/** Requests for staff, newest first, filtered. */
export function listRequests(tx: Tx, f: RequestFilter): RequestRow[] {
  const where: SQL[] = [];
  if (f.status) where.push(eq(requests.status, f.status));
  if (f.service) where.push(eq(requests.service, f.service));
  // A request waiting for the customer has its clock stopped: it is not late while it waits.
  if (f.breached) where.push(inArray(requests.status, [...OPEN_STATUSES]), isNull(requests.pausedSince), isNotNull(requests.dueAt), lte(requests.dueAt, f.now));
  return tx
    .select()
    .from(requests)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(requests.id))
    .limit(f.limit ?? 200)
    .all();
}

export function eventsOf(tx: Tx, requestId: number) {
  return tx.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(requestEvents.at, requestEvents.id).all();
}

/** Per service this month: open, breached now, resolved, and resolved on time. */
export function monthlyByService(tx: Tx, monthStart: Date, now: Date) {
  const open = sql`${requests.status} in ('received','in_progress','waiting_for_customer')`;
  const done = sql`${requests.status} in ('resolved','closed')`;
  return tx
    .select({
      service: requests.service,
      total: sql<number>`count(*)`,
      open: sql<number>`sum(case when ${open} then 1 else 0 end)`,
      breached: sql<number>`sum(case when ${open} and ${requests.pausedSince} is null and ${requests.dueAt} <= ${now.getTime()} then 1 else 0 end)`,
      resolved: sql<number>`sum(case when ${done} then 1 else 0 end)`,
      onTime: sql<number>`sum(case when ${done} and (${requests.dueAt} is null or ${requests.resolvedAt} <= ${requests.dueAt}) then 1 else 0 end)`,
    })
    .from(requests)
    .where(sql`${requests.createdAt} >= ${monthStart.getTime()}`)
    .groupBy(requests.service)
    .all();
}
