import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { Tx } from '../store.ts';
import { OPEN_STATUSES, type RequestRow } from './requests.ts';
import { first } from './rows.ts';

export async function requestByReference(tx: Tx, reference: string): Promise<RequestRow | undefined> {
  return first(await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)));
}

/**
 * A request about to be changed, held until the transaction ends. SQLite runs
 * one writer at a time, so what is read stays true; on PostgreSQL the row is
 * locked (FOR UPDATE), so a status move is checked against the status it
 * replaces, never one another officer or the SLA sweep changed meanwhile.
 */
export async function requestToChange(tx: Tx, reference: string): Promise<RequestRow | undefined> {
  if (tx.dialect !== 'postgres') return requestByReference(tx, reference);
  // tx.orm is drizzle over the PostgreSQL schema here (db/store.ts); only its builder has FOR UPDATE.
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { requests } = tx.t as unknown as typeof pgSchema;
  const row: RequestRow | undefined = first(await orm.select().from(requests).where(eq(requests.reference, reference)).for('update'));
  return row;
}

/** The customer's chat and language for a request, to tell them of a change. */
export async function customerOf(tx: Tx, request: RequestRow) {
  const { people, conversations } = tx.t;
  const person = first(await tx.orm.select({ locale: people.locale }).from(people).where(eq(people.id, request.personId)));
  const chat = request.conversationId === null ? undefined : first(await tx.orm.select().from(conversations).where(eq(conversations.id, request.conversationId)));
  return { locale: person?.locale ?? 'sw', chat };
}

/** Writes the request's new SLA and status fields. */
export async function updateRequest(
  tx: Tx,
  id: number,
  set: Partial<Pick<RequestRow, 'status' | 'dueAt' | 'resolvedAt' | 'pausedSince' | 'pausedMs' | 'slaNextAt' | 'rating' | 'ratingComment' | 'updatedAt'>>,
): Promise<void> {
  await tx.orm.update(tx.t.requests).set(set).where(eq(tx.t.requests.id, id));
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
export async function listRequests(tx: Tx, f: RequestFilter): Promise<RequestRow[]> {
  const { requests } = tx.t;
  const where: SQL[] = [];
  if (f.status) where.push(eq(requests.status, f.status));
  if (f.service) where.push(eq(requests.service, f.service));
  // A request waiting for the customer has its clock stopped: it is not late while it waits.
  if (f.breached) where.push(inArray(requests.status, [...OPEN_STATUSES]), isNull(requests.pausedSince), isNotNull(requests.dueAt), lte(requests.dueAt, f.now));
  return tx.orm
    .select()
    .from(requests)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(requests.id))
    .limit(f.limit ?? 200);
}

export async function eventsOf(tx: Tx, requestId: number) {
  const { requestEvents } = tx.t;
  return tx.orm.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(requestEvents.at, requestEvents.id);
}

/** The latest request filed from a conversation (staff actions are audited on it). */
export async function latestRequestOfConversation(tx: Tx, conversationId: number): Promise<{ id: number } | undefined> {
  const { requests } = tx.t;
  return first(await tx.orm.select({ id: requests.id }).from(requests).where(eq(requests.conversationId, conversationId)).orderBy(desc(requests.id)).limit(1));
}

/** Per service this month: open, breached now, resolved, and resolved on time. */
export async function monthlyByService(tx: Tx, monthStart: Date, now: Date) {
  const { requests } = tx.t;
  const open = inArray(requests.status, [...OPEN_STATUSES]);
  const done = inArray(requests.status, ['resolved', 'closed']);
  const count = (when: SQL) => sql<number>`sum(case when ${when} then 1 else 0 end)`.mapWith(Number);
  return tx.orm
    .select({
      service: requests.service,
      total: sql<number>`count(*)`.mapWith(Number),
      open: count(open),
      breached: count(and(open, isNull(requests.pausedSince), lte(requests.dueAt, now)) as SQL),
      resolved: count(done),
      onTime: count(sql`${done} and (${requests.dueAt} is null or ${requests.resolvedAt} <= ${requests.dueAt})`),
    })
    .from(requests)
    .where(gte(requests.createdAt, monthStart))
    .groupBy(requests.service);
}
