import { and, asc, eq, gte, inArray, isNotNull, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { OPEN_STATUSES, type RequestRow } from './requests.ts';

// The reports of incidents: linking the open reports of a service in an area,
// who reported them and where they are told, resolving them together, and the
// recent unlinked ones a proposal counts (bot/incidents/ decides).

/** Rows one statement takes (ids in a list, values of an insert). */
const CHUNK = 500;
export const chunked = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** The column holds `area` or a key under it (LIKE's own characters taken literally). */
function inArea(column: AnyColumn, area: string): SQL {
  const below = `${area.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
  return or(eq(column, area), sql`${column} like ${below} escape '\\'`) as SQL;
}

/** Links the open, unlinked reports of a service in an area to an incident; their ids. */
export async function linkOpenReports(tx: Tx, l: { incidentId: number; service: string; area: string; at: Date }): Promise<number[]> {
  const { requests: r } = tx.t;
  const rows = await tx.orm
    .update(r)
    .set({ incidentId: l.incidentId, incidentLinkedAt: l.at })
    .where(and(eq(r.service, l.service), isNotNull(r.area), inArea(r.area, l.area), inArray(r.status, [...OPEN_STATUSES]), isNull(r.incidentId)))
    .returning({ id: r.id });
  return rows.map((x) => x.id);
}

/** Links one report (a new one, at filing), unless it is linked already. */
export async function linkReport(tx: Tx, requestId: number, incidentId: number, at: Date): Promise<boolean> {
  const { requests: r } = tx.t;
  const rows = await tx.orm
    .update(r)
    .set({ incidentId, incidentLinkedAt: at })
    .where(and(eq(r.id, requestId), isNull(r.incidentId)))
    .returning({ id: r.id });
  return rows.length > 0;
}

/** The open reports of a service in an area no incident has yet (what a proposal would link). */
export async function unlinkedReports(tx: Tx, service: string, area: string, limit: number): Promise<RequestRow[]> {
  const { requests: r } = tx.t;
  return tx.orm
    .select()
    .from(r)
    .where(and(eq(r.service, service), isNotNull(r.area), inArea(r.area, area), inArray(r.status, [...OPEN_STATUSES]), isNull(r.incidentId)))
    .orderBy(asc(r.createdAt), asc(r.id))
    .limit(limit);
}

/** A linked report and where its reporter is: their language, and their chat (none for one staff filed without a conversation). */
export interface Reporter {
  readonly request: RequestRow;
  readonly locale: 'sw' | 'en';
  readonly chat?: { readonly conversationId: number; readonly channel: string; readonly chatId: string };
}

/** The reports with these ids, each with its reporter's language and chat. */
export async function reportersOf(tx: Tx, ids: readonly number[]): Promise<Reporter[]> {
  const { requests: r, people: p, conversations: c } = tx.t;
  const out: Reporter[] = [];
  for (const part of chunked(ids)) {
    const rows = await tx.orm
      .select({ request: r, locale: p.locale, conversationId: c.id, channel: c.channel, chatId: c.chatId })
      .from(r)
      .innerJoin(p, eq(p.id, r.personId))
      .leftJoin(c, eq(c.id, r.conversationId))
      .where(inArray(r.id, part))
      .orderBy(asc(r.id));
    for (const x of rows)
      out.push({
        request: x.request,
        locale: x.locale,
        ...(x.conversationId !== null && x.channel !== null && x.chatId !== null ? { chat: { conversationId: x.conversationId, channel: x.channel, chatId: x.chatId } } : {}),
      });
  }
  return out;
}

/** The ids of an incident's linked reports that are still open. */
export async function openLinkedIds(tx: Tx, incidentId: number): Promise<number[]> {
  const { requests: r } = tx.t;
  const rows = await tx.orm
    .select({ id: r.id })
    .from(r)
    .where(and(eq(r.incidentId, incidentId), inArray(r.status, [...OPEN_STATUSES])))
    .orderBy(asc(r.id));
  return rows.map((x) => x.id);
}

/** Audit events of many requests at once (the rows addEvent writes). */
export async function addEvents(tx: Tx, events: readonly { requestId: number; at: Date; actor: string; kind: string; note?: string; data?: unknown }[]): Promise<void> {
  for (const part of chunked(events))
    await tx.orm.insert(tx.t.requestEvents).values(part.map((e) => ({ requestId: e.requestId, at: e.at, actor: e.actor, kind: e.kind, note: e.note ?? null, data: e.data ?? null })));
}

/**
 * Resolves an incident's open linked reports whose clock is running (not
 * waiting for the customer), as a status change does: resolved now, no SLA
 * step ahead. Their ids; those waiting for the customer are the caller's.
 */
export async function resolveRunning(tx: Tx, incidentId: number, at: Date): Promise<number[]> {
  const { requests: r } = tx.t;
  const rows = await tx.orm
    .update(r)
    .set({ status: 'resolved', resolvedAt: at, slaNextAt: null, updatedAt: at })
    .where(and(eq(r.incidentId, incidentId), inArray(r.status, [...OPEN_STATUSES]), isNull(r.pausedSince)))
    .returning({ id: r.id });
  return rows.map((x) => x.id);
}

/** An incident's linked reports as staff list them, in the order they were linked. */
export async function linkedReports(tx: Tx, incidentId: number) {
  const { requests: r, conversations: c } = tx.t;
  return tx.orm
    .select({ reference: r.reference, status: r.status, channel: c.channel, linkedAt: r.incidentLinkedAt, createdAt: r.createdAt, area: r.area })
    .from(r)
    .leftJoin(c, eq(c.id, r.conversationId))
    .where(eq(r.incidentId, incidentId))
    .orderBy(asc(r.incidentLinkedAt), asc(r.id));
}

/** Open reports with an area that no incident has, filed since `since` (the proposal sweep's reading; a seek on requests_area_recent). */
export async function recentUnlinked(tx: Tx, since: Date): Promise<{ id: number; service: string; area: string; createdAt: Date }[]> {
  const { requests: r } = tx.t;
  const rows = await tx.orm
    .select({ id: r.id, service: r.service, area: r.area, createdAt: r.createdAt })
    .from(r)
    .where(and(isNotNull(r.area), isNull(r.incidentId), gte(r.createdAt, since), inArray(r.status, [...OPEN_STATUSES])));
  return rows.flatMap((x) => (x.area === null ? [] : [{ id: x.id, service: x.service, area: x.area, createdAt: x.createdAt }]));
}
