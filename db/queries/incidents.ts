import { and, asc, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { BothLanguages, incidents, incidentUpdates } from '../schema.ts';
import type { Tx } from '../store.ts';
import { chunked } from './incident-reports.ts';
import { first } from './rows.ts';

// Incidents: one fault many people report, its messages and who was told
// what (bot/incidents/ decides; this reads and writes). The reports linked to
// them are incident-reports.ts's.

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentUpdateRow = typeof incidentUpdates.$inferSelect;
export type IncidentStatus = IncidentRow['status'];
export type IncidentMessage = BothLanguages<string>;
export const LIVE_INCIDENT: readonly IncidentStatus[] = ['proposed', 'open'];

/** Every place key a key lies in, itself last: "a/b/c" → a, a/b, a/b/c. */
export const areaAndAbove = (area: string): string[] => area.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));

export interface NewIncident {
  readonly service: string;
  readonly area: string;
  readonly areaLabel: string;
  readonly message: IncidentMessage | null;
  readonly status: 'proposed' | 'open';
  readonly source: IncidentRow['source'];
  readonly sourceKey?: string;
  readonly openedBy?: number;
  readonly at: Date;
}

/** A new incident; undefined when one is already proposed or open for that service and area (or raised by that key). */
export async function insertIncident(tx: Tx, i: NewIncident): Promise<IncidentRow | undefined> {
  const open = i.status === 'open';
  return first(
    await tx.orm
      .insert(tx.t.incidents)
      .values({
        service: i.service,
        area: i.area,
        areaLabel: i.areaLabel,
        message: i.message,
        status: i.status,
        source: i.source,
        sourceKey: i.sourceKey ?? null,
        openedBy: i.openedBy ?? null,
        createdAt: i.at,
        openedAt: open ? i.at : null,
        updatedAt: i.at,
      })
      .onConflictDoNothing()
      .returning(),
  );
}

/** The incident proposed or open for exactly this service and area. */
export async function liveIncident(tx: Tx, service: string, area: string): Promise<IncidentRow | undefined> {
  const { incidents: i } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(i)
      .where(and(eq(i.service, service), eq(i.area, area), inArray(i.status, [...LIVE_INCIDENT]))),
  );
}

export async function incidentById(tx: Tx, id: number): Promise<IncidentRow | undefined> {
  return first(await tx.orm.select().from(tx.t.incidents).where(eq(tx.t.incidents.id, id)));
}

/**
 * An incident about to be changed, held until the transaction ends: SQLite
 * has one writer; on PostgreSQL the row is locked, so two officers (or two
 * instances) resolving it at once take turns and the second finds it resolved.
 */
export async function incidentToChange(tx: Tx, id: number): Promise<IncidentRow | undefined> {
  if (tx.dialect !== 'postgres') return incidentById(tx, id);
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { incidents: i } = tx.t as unknown as typeof pgSchema;
  const row: IncidentRow | undefined = first(await orm.select().from(i).where(eq(i.id, id)).for('update'));
  return row;
}

/** Moves an incident on, only from the status the caller read. */
export async function moveIncident(tx: Tx, id: number, from: IncidentStatus, set: { status: IncidentStatus; at: Date; by?: number; message?: IncidentMessage }): Promise<IncidentRow | undefined> {
  const { incidents: i } = tx.t;
  const opening = set.status === 'open';
  return first(
    await tx.orm
      .update(i)
      .set({
        status: set.status,
        updatedAt: set.at,
        ...(opening ? { openedAt: set.at, openedBy: set.by ?? null } : { closedAt: set.at, closedBy: set.by ?? null }),
        ...(set.message ? { message: set.message } : {}),
      })
      .where(and(eq(i.id, id), eq(i.status, from)))
      .returning(),
  );
}

export interface IncidentListRow {
  readonly incident: IncidentRow;
  /** Reports linked to it, and how many of them are still open. */
  readonly requests: number;
  readonly openRequests: number;
}

/** Incidents of these statuses, the newest first, with their reports counted. */
export async function listIncidents(tx: Tx, statuses: readonly IncidentStatus[], limit: number): Promise<IncidentListRow[]> {
  const { incidents: i, requests: r } = tx.t;
  const open = sql`sum(case when ${r.status} in ('received', 'in_progress', 'waiting_for_customer') then 1 else 0 end)`;
  const rows = await tx.orm
    .select({ incident: i, requests: sql<number>`count(${r.id})`.mapWith(Number), openRequests: sql<number>`coalesce(${open}, 0)`.mapWith(Number) })
    .from(i)
    .leftJoin(r, eq(r.incidentId, i.id))
    .where(inArray(i.status, [...statuses]))
    .groupBy(i.id)
    .orderBy(desc(i.createdAt), desc(i.id))
    .limit(limit);
  return rows;
}

/** A message to the incident's reporters; undefined when its opening or resolution is written already. */
export async function addIncidentUpdate(
  tx: Tx,
  u: { incidentId: number; kind: IncidentUpdateRow['kind']; message: IncidentMessage; staffId?: number; at: Date },
): Promise<IncidentUpdateRow | undefined> {
  return first(
    await tx.orm
      .insert(tx.t.incidentUpdates)
      .values({ incidentId: u.incidentId, kind: u.kind, message: u.message, staffId: u.staffId ?? null, at: u.at })
      .onConflictDoNothing()
      .returning(),
  );
}

export async function updatesOf(tx: Tx, incidentId: number): Promise<(IncidentUpdateRow & { staffName: string | null })[]> {
  const { incidentUpdates: u, staff: s } = tx.t;
  const rows = await tx.orm.select({ u, staffName: s.name }).from(u).leftJoin(s, eq(s.id, u.staffId)).where(eq(u.incidentId, incidentId)).orderBy(asc(u.id));
  return rows.map(({ u, staffName }) => ({ ...u, staffName }));
}

/** What a reporter joining now is told: the latest of the opening and the updates. */
export async function latestNews(tx: Tx, incidentId: number): Promise<IncidentUpdateRow | undefined> {
  const { incidentUpdates: u } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(u)
      .where(and(eq(u.incidentId, incidentId), inArray(u.kind, ['opened', 'update'])))
      .orderBy(desc(u.id))
      .limit(1),
  );
}

/** Every open incident (few at a time: one a fault). */
export async function openIncidents(tx: Tx): Promise<IncidentRow[]> {
  const { incidents: i } = tx.t;
  return tx.orm.select().from(i).where(eq(i.status, 'open')).orderBy(asc(i.id));
}

/** The open incident of a service a report in `area` belongs to: the one of the nearest area around it. */
export async function openIncidentFor(tx: Tx, service: string, area: string): Promise<IncidentRow | undefined> {
  const { incidents: i } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(i)
      .where(and(eq(i.service, service), eq(i.status, 'open'), inArray(i.area, areaAndAbove(area))))
      .orderBy(desc(sql`length(${i.area})`))
      .limit(1),
  );
}

/**
 * Records that these reports' reporters are told this message; returns those
 * not told it before. The row is the promise of exactly once: only the
 * transaction that wrote it queues the message.
 */
export async function markTold(tx: Tx, n: { updateId: number; incidentId: number; requestIds: readonly number[]; at: Date }): Promise<Set<number>> {
  const told = new Set<number>();
  for (const part of chunked(n.requestIds)) {
    const rows = await tx.orm
      .insert(tx.t.incidentNotices)
      .values(part.map((requestId) => ({ updateId: n.updateId, requestId, incidentId: n.incidentId, at: n.at })))
      .onConflictDoNothing()
      .returning({ requestId: tx.t.incidentNotices.requestId });
    for (const x of rows) told.add(x.requestId);
  }
  return told;
}

/** When the last incident of this service and area was dismissed or resolved: reports before it count no more towards a proposal. */
export async function lastClosed(tx: Tx, service: string, area: string): Promise<Date | undefined> {
  const { incidents: i } = tx.t;
  const row = first(
    await tx.orm
      .select({ at: max(i.closedAt) })
      .from(i)
      .where(and(eq(i.service, service), eq(i.area, area), inArray(i.status, ['dismissed', 'resolved']))),
  );
  return row?.at ?? undefined;
}
