import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { nextReference } from '../references.ts';
import { jsonOrNull, msOrNull, prepared } from './prepared.ts';
import { requestEvents, requests } from '../schema.ts';

export type { RequestRow } from './rows.ts';
import type { RequestRow } from './rows.ts';
export const OPEN_STATUSES = ['received', 'in_progress', 'waiting_for_customer'] as const;

export interface NewRequest {
  readonly personId: number;
  readonly conversationId: number;
  readonly service: string;
  readonly charterLine: number;
  readonly variant?: string;
  readonly details: Record<string, string>;
  readonly dueAt?: Date;
  /** When the SLA watch first looks at it (the warning), computed by the caller from the charter. */
  readonly slaNextAt?: Date;
  readonly prefix: string;
  readonly year: number;
  readonly at: Date;
  readonly actor: string;
}

/** Files a request with the next reference and its first audit event. */
export function createRequest(tx: Tx, r: NewRequest): RequestRow {
  const reference = nextReference(tx, r.prefix, r.year);
  const row = prepared(tx).insertRequest.get({
    reference,
    personId: r.personId,
    conversationId: r.conversationId,
    service: r.service,
    charterLine: r.charterLine,
    variant: r.variant ?? null,
    details: r.details,
    at: r.at,
    dueAtMs: msOrNull(r.dueAt),
    slaNextAtMs: msOrNull(r.slaNextAt),
  });
  if (!row) throw new Error('the new request was not returned');
  addEvent(tx, { requestId: row.id, at: r.at, actor: r.actor, kind: 'created', data: { dueAt: r.dueAt?.toISOString() ?? null } });
  return row;
}

export function addEvent(tx: Tx, e: { requestId: number; at: Date; actor: string; kind: string; note?: string; data?: unknown }): void {
  prepared(tx).insertEvent.run({ requestId: e.requestId, at: e.at, actor: e.actor, kind: e.kind, note: e.note ?? null, dataJson: jsonOrNull(e.data) });
}

/** A request of this person by reference: another person's reference is not found. */
export function findOwnRequest(tx: Tx, personId: number, reference: string): RequestRow | undefined {
  return prepared(tx).ownRequest.get({ reference, personId });
}

export function openRequestsOf(tx: Tx, personId: number, limit = 10): RequestRow[] {
  return tx
    .select()
    .from(requests)
    .where(and(eq(requests.personId, personId), inArray(requests.status, [...OPEN_STATUSES])))
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(limit)
    .all();
}

export function latestRequestOf(tx: Tx, personId: number): RequestRow | undefined {
  return tx.select().from(requests).where(eq(requests.personId, personId)).orderBy(desc(requests.id)).limit(1).get();
}

export function setStatus(tx: Tx, r: { requestId: number; status: RequestRow['status']; at: Date; actor: string; note?: string }): void {
  tx.update(requests)
    .set({ status: r.status, updatedAt: r.at })
    .where(eq(requests.id, r.requestId))
    .run();
  addEvent(tx, { requestId: r.requestId, at: r.at, actor: r.actor, kind: 'status', note: r.note, data: { status: r.status } });
}

export function countRequestsByServiceAndStatus(tx: Tx) {
  return tx
    .select({ service: requests.service, status: requests.status, count: sql<number>`count(*)` })
    .from(requests)
    .groupBy(requests.service, requests.status)
    .all();
}
