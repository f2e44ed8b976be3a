import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { formatReference, referenceHead } from '../references.ts';
import type { Tx } from '../store.ts';
import { encoded, jsonOrNull, msOrNull, prepared } from './prepared.ts';
import { first, type RequestRow } from './rows.ts';

export type { RequestRow } from './rows.ts';
export const OPEN_STATUSES = ['received', 'in_progress', 'waiting_for_customer'] as const;

export interface NewRequest {
  readonly personId: number;
  readonly conversationId: number | null;
  readonly service: string;
  readonly charterLine: number;
  readonly variant?: string;
  readonly details: Record<string, string>;
  readonly dueAt?: Date;
  /** When the SLA watch first looks at it (the warning), computed by the caller from the charter. */
  readonly slaNextAt?: Date;
  /** The team its service goes to (teams.yml), when the institution keeps teams. */
  readonly team?: string;
  /** Where the fault is, a place key (bot/places), when the report named one. */
  readonly area?: string;
  readonly prefix: string;
  readonly year: number;
  readonly at: Date;
  readonly actor: string;
}

/** Files a request with the next reference and its first audit event. */
export async function createRequest(tx: Tx, r: NewRequest): Promise<RequestRow> {
  if (!tx.sqlite) return createRequestAtOnce(tx, r);
  // The counter only ever goes up; on SQLite the one connection makes filings take turns anyway.
  const last = prepared(tx.sqlite).nextReference.get({ prefix: r.prefix, year: r.year });
  if (last === undefined) throw new Error('the reference counter returned nothing');
  const reference = formatReference(r.prefix, r.year, last);
  const row = prepared(tx.sqlite).insertRequest.get({
    reference,
    personId: r.personId,
    conversationId: r.conversationId ?? null,
    service: r.service,
    charterLine: r.charterLine,
    variant: r.variant ?? null,
    details: r.details,
    at: r.at,
    dueAtMs: msOrNull(r.dueAt),
    slaNextAtMs: msOrNull(r.slaNextAt),
    team: r.team ?? null,
    area: r.area ?? null,
  });
  if (!row) throw new Error('the new request was not returned');
  await addEvent(tx, { requestId: row.id, at: r.at, actor: r.actor, kind: 'created', data: createdData(r) });
  return row;
}

const createdData = (r: NewRequest) => ({ dueAt: r.dueAt?.toISOString() ?? null });

/**
 * createRequest on PostgreSQL: the counter, the request and its event in one
 * statement (data-modifying WITHs). The counter row stays locked from this
 * statement to COMMIT and every filing of every instance queues on it, so
 * each round trip less under the lock is a shorter queue (BENCHMARKS.md, the backends).
 */
async function createRequestAtOnce(tx: Tx, r: NewRequest): Promise<RequestRow> {
  const insert = tx.prepared('file_request', ({ orm, t: { referenceCounters: c, requests, requestEvents } }) => {
    const counter = orm.$with('counter').as(
      orm
        .insert(c)
        .values({ prefix: sql.placeholder('prefix'), year: sql.placeholder('year'), last: 1 })
        .onConflictDoUpdate({ target: [c.prefix, c.year], set: { last: sql`${c.last} + 1` } })
        .returning({ last: c.last }) as never,
    );
    // formatReference's shape: the number padded to six digits, never cut.
    const reference = sql`(select ${sql.placeholder('head')}::text || lpad(last::text, greatest(6, length(last::text)), '0') from ${counter})`;
    const filed = orm.$with('filed').as(
      orm
        .insert(requests)
        .values({
          reference,
          personId: sql.placeholder('personId'),
          conversationId: sql.placeholder('conversationId'),
          service: sql.placeholder('service'),
          charterLine: sql.placeholder('charterLine'),
          variant: sql.placeholder('variant'),
          details: sql.placeholder('details'),
          status: 'received',
          createdAt: sql.placeholder('at'),
          dueAt: encoded('dueAt'),
          slaNextAt: encoded('slaNextAt'),
          team: sql.placeholder('team'),
          area: sql.placeholder('area'),
          updatedAt: sql.placeholder('at'),
        })
        .returning() as never,
    );
    // Runs though nothing reads it; its foreign key is checked at the statement's end, when the request is there.
    const created = orm.$with('created').as(
      orm.insert(requestEvents).values({
        requestId: sql`(select id from ${filed})`,
        at: sql.placeholder('at'),
        actor: sql.placeholder('actor'),
        kind: 'created',
        data: encoded('data'),
      }) as never,
    );
    // (The SQLite-typed builders are cast: this is PostgreSQL's statement, its rows are the requests'.)
    return orm
      .with(counter, filed, created)
      .select()
      .from(filed as unknown as typeof requests);
  });
  const row = first(
    await insert.execute({
      prefix: r.prefix,
      year: r.year,
      head: referenceHead(r.prefix, r.year),
      personId: r.personId,
      conversationId: r.conversationId,
      service: r.service,
      charterLine: r.charterLine,
      variant: r.variant ?? null,
      details: r.details,
      at: r.at,
      dueAt: r.dueAt ?? null,
      slaNextAt: r.slaNextAt ?? null,
      team: r.team ?? null,
      area: r.area ?? null,
      actor: r.actor,
      data: jsonOrNull(createdData(r)),
    }),
  );
  if (!row) throw new Error('the new request was not returned');
  return row;
}

export async function addEvent(tx: Tx, e: { requestId: number; at: Date; actor: string; kind: string; note?: string; data?: unknown }): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).insertEvent.run({ requestId: e.requestId, at: e.at, actor: e.actor, kind: e.kind, note: e.note ?? null, dataJson: jsonOrNull(e.data) });
  const insert = tx.prepared('insert_event', ({ orm, t }) =>
    orm.insert(t.requestEvents).values({
      requestId: sql.placeholder('requestId'),
      at: sql.placeholder('at'),
      actor: sql.placeholder('actor'),
      kind: sql.placeholder('kind'),
      note: sql.placeholder('note'),
      data: encoded('data'),
    }),
  );
  await insert.execute({ requestId: e.requestId, at: e.at, actor: e.actor, kind: e.kind, note: e.note ?? null, data: jsonOrNull(e.data) });
}

/** A request of this person by reference: another person's reference is not found. */
export async function findOwnRequest(tx: Tx, personId: number, reference: string): Promise<RequestRow | undefined> {
  if (tx.sqlite) return prepared(tx.sqlite).ownRequest.get({ reference, personId });
  const select = tx.prepared('own_request', ({ orm, t: { requests } }) =>
    orm
      .select()
      .from(requests)
      .where(and(eq(requests.reference, sql.placeholder('reference')), eq(requests.personId, sql.placeholder('personId')))),
  );
  return first(await select.execute({ reference, personId }));
}

/**
 * Any request by its reference (the unique index), whoever made it: a
 * reference alone tells its status from any channel or device. Who may act
 * on it is the caller's to decide (findOwnRequest, a phone proved).
 */
export async function requestByReference(tx: Tx, reference: string): Promise<RequestRow | undefined> {
  // Every status question asks this: prepared once per connection.
  const select = tx.prepared('request_by_reference', ({ orm, t: { requests } }) =>
    orm
      .select()
      .from(requests)
      .where(eq(requests.reference, sql.placeholder('reference'))),
  );
  return first(await select.execute({ reference }));
}

export async function openRequestsOf(tx: Tx, personId: number, limit = 10): Promise<RequestRow[]> {
  const { requests } = tx.t;
  return tx.orm
    .select()
    .from(requests)
    .where(and(eq(requests.personId, personId), inArray(requests.status, [...OPEN_STATUSES])))
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(limit);
}

export async function latestRequestOf(tx: Tx, personId: number): Promise<RequestRow | undefined> {
  const { requests } = tx.t;
  return first(await tx.orm.select().from(requests).where(eq(requests.personId, personId)).orderBy(desc(requests.id)).limit(1));
}

export async function setStatus(tx: Tx, r: { requestId: number; status: RequestRow['status']; at: Date; actor: string; note?: string }): Promise<void> {
  const { requests } = tx.t;
  await tx.orm.update(requests).set({ status: r.status, updatedAt: r.at }).where(eq(requests.id, r.requestId));
  await addEvent(tx, { requestId: r.requestId, at: r.at, actor: r.actor, kind: 'status', note: r.note, data: { status: r.status } });
}

export async function countRequestsByServiceAndStatus(tx: Tx) {
  const { requests } = tx.t;
  return tx.orm
    .select({ service: requests.service, status: requests.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(requests)
    .groupBy(requests.service, requests.status);
}

/** A complaint's link to the request it is about. */
export async function setAboutRequest(tx: Tx, requestId: number, aboutRequestId: number): Promise<void> {
  const { requests } = tx.t;
  await tx.orm.update(requests).set({ aboutRequestId }).where(eq(requests.id, requestId));
}

export async function requestById(tx: Tx, id: number): Promise<RequestRow | undefined> {
  const { requests } = tx.t;
  return first(await tx.orm.select().from(requests).where(eq(requests.id, id)));
}

/** This person's latest request of a service (their latest complaint, say) by when it was made, whatever its status. */
export async function latestOfService(tx: Tx, personId: number, service: string): Promise<RequestRow | undefined> {
  const { requests } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(requests)
      .where(and(eq(requests.personId, personId), eq(requests.service, service)))
      .orderBy(desc(requests.createdAt), desc(requests.id))
      .limit(1),
  );
}

/** A request filed already settled (a complaint staff had dealt with before complaints were tracked): closed, with no SLA step ahead. */
export async function fileAsClosed(tx: Tx, r: { requestId: number; at: Date; actor: string; note: string }): Promise<void> {
  const { requests } = tx.t;
  await tx.orm.update(requests).set({ status: 'closed', slaStage: 'done', slaNextAt: null, updatedAt: r.at }).where(eq(requests.id, r.requestId));
  await addEvent(tx, { requestId: r.requestId, at: r.at, actor: r.actor, kind: 'status', note: r.note, data: { status: 'closed' } });
}
