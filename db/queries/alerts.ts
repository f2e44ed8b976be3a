import { and, asc, eq, gte, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { alerts } from '../schema.ts';
import type { Tx } from '../store.ts';
import { chunked } from './incident-reports.ts';
import { OPEN_STATUSES } from './requests.ts';
import { first, type Person } from './rows.ts';

// Monitoring alerts (Prometheus Alertmanager's webhook) and what they raised:
// a request, or an incident; and people's reports joined to an alert's
// request (bot/alerts/ decides; this reads and writes).

export type AlertRow = typeof alerts.$inferSelect;

/** How the monitoring system is known as the "person" its requests are filed for: no phone, no chat. */
export const MONITORING_CHANNEL = 'monitoring';

export interface NewAlert {
  readonly fingerprint: string;
  readonly startsAt: Date;
  readonly name: string;
  readonly severity: string | undefined;
  readonly receiver: string;
  readonly service: string;
  readonly area: string | undefined;
  readonly at: Date;
}

/** A firing alert, claimed: undefined when one of that fingerprint is firing already (another notification, or another instance, meanwhile). */
export async function insertFiringAlert(tx: Tx, a: NewAlert): Promise<AlertRow | undefined> {
  return first(
    await tx.orm
      .insert(tx.t.alerts)
      .values({
        fingerprint: a.fingerprint,
        startsAt: a.startsAt,
        name: a.name,
        severity: a.severity ?? null,
        receiver: a.receiver,
        status: 'firing',
        service: a.service,
        area: a.area ?? null,
        createdAt: a.at,
      })
      .onConflictDoNothing()
      .returning(),
  );
}

/** The alert of this fingerprint that is firing, if any, with the reference of the request it raised. */
export async function firingAlert(tx: Tx, fingerprint: string): Promise<{ alert: AlertRow; reference: string | null } | undefined> {
  const { alerts: a, requests: r } = tx.t;
  return first(
    await tx.orm
      .select({ alert: a, reference: r.reference })
      .from(a)
      .leftJoin(r, eq(r.id, a.requestId))
      .where(and(eq(a.fingerprint, fingerprint), eq(a.status, 'firing'))),
  );
}

/** The occurrence of this fingerprint that began at `startsAt` (a resolved one notified again). */
export async function alertOccurrence(tx: Tx, fingerprint: string, startsAt: Date): Promise<AlertRow | undefined> {
  const { alerts: a } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(a)
      .where(and(eq(a.fingerprint, fingerprint), eq(a.startsAt, startsAt))),
  );
}

/** Records what the alert raised. */
export async function setAlertRaised(tx: Tx, id: number, raised: { requestId: number } | { incidentId: number; ownsIncident: boolean }): Promise<void> {
  await tx.orm.update(tx.t.alerts).set(raised).where(eq(tx.t.alerts.id, id));
}

/** Marks a firing alert resolved; undefined when it was not firing any more (resolved meanwhile). */
export async function resolveAlert(tx: Tx, id: number, at: Date): Promise<AlertRow | undefined> {
  const { alerts: a } = tx.t;
  return first(
    await tx.orm
      .update(a)
      .set({ status: 'resolved', resolvedAt: at })
      .where(and(eq(a.id, id), eq(a.status, 'firing')))
      .returning(),
  );
}

/**
 * The monitoring system's "person" for a receiver (one per Alertmanager
 * receiver, known by an identity on the `monitoring` channel): its name says
 * what it is; it has no phone and no chat, so nothing is ever sent to it.
 */
export async function monitoringPerson(tx: Tx, m: { receiver: string; name: string; locale: 'sw' | 'en'; at: Date }): Promise<Person> {
  const { people: p, identities: i } = tx.t;
  const find = async () =>
    first(
      await tx.orm
        .select({ person: p })
        .from(i)
        .innerJoin(p, eq(p.id, i.personId))
        .where(and(eq(i.channel, MONITORING_CHANNEL), eq(i.externalId, m.receiver))),
    )?.person;
  const known = await find();
  if (known) return known;
  const person = first(await tx.orm.insert(p).values({ locale: m.locale, name: m.name, createdAt: m.at }).returning());
  if (!person) throw new Error('the monitoring person was not returned');
  const linked = await tx.orm.insert(i).values({ channel: MONITORING_CHANNEL, externalId: m.receiver, personId: person.id }).onConflictDoNothing().returning();
  if (linked.length > 0) return person;
  // Another instance made it meanwhile (PostgreSQL: the insert waited for its commit): theirs is the one.
  await tx.orm.delete(p).where(eq(p.id, person.id));
  const theirs = await find();
  if (!theirs) throw new Error(`the monitoring person of ${m.receiver} neither made nor found`);
  return theirs;
}

/** The firing alert whose request a new report of `service` joins: its request still open, the first raised. */
export async function firingAlertOnService(tx: Tx, service: string): Promise<{ alert: AlertRow; reference: string } | undefined> {
  // Every filing asks this: prepared once per connection.
  const select = tx.prepared('firing_alert_on_service', ({ orm, t: { alerts: a, requests: r } }) =>
    orm
      .select({ alert: a, reference: r.reference })
      .from(a)
      .innerJoin(r, eq(r.id, a.requestId))
      .where(and(eq(a.service, sql.placeholder('service')), eq(a.status, 'firing'), inArray(r.status, [...OPEN_STATUSES])))
      // No LIMIT: a service has a firing alert or two at most, and SQLite ran this three times slower with
      // `limit ?` (drizzle binds it) than without, in a loop on an empty table (25 against 7 µs).
      .orderBy(asc(a.id)),
  );
  return first(await select.execute({ service }));
}

/** The firing alerts that raised a request still open, first raised first, with its reference. */
export async function raisedFiringAlerts(tx: Tx): Promise<{ alert: AlertRow; reference: string }[]> {
  const { alerts: a, requests: r } = tx.t;
  return tx.orm
    .select({ alert: a, reference: r.reference })
    .from(a)
    .innerJoin(r, eq(r.id, a.requestId))
    .where(and(eq(a.status, 'firing'), inArray(r.status, [...OPEN_STATUSES])))
    .orderBy(asc(a.id));
}

/** Joins reports to an alert; the ids of those that joined now (a report joins one alert, once). */
export async function joinAlert(tx: Tx, alertId: number, requestIds: readonly number[], at: Date): Promise<number[]> {
  const joined: number[] = [];
  for (const part of chunked(requestIds)) {
    const rows = await tx.orm
      .insert(tx.t.alertReports)
      .values(part.map((requestId) => ({ requestId, alertId, at })))
      .onConflictDoNothing()
      .returning({ requestId: tx.t.alertReports.requestId });
    joined.push(...rows.map((x) => x.requestId));
  }
  return joined;
}

/**
 * People's open reports of a service filed since `since` (when the alert says
 * the fault began) that nothing holds yet: no incident, no alert, and not an
 * alert's own request.
 */
export async function unjoinedReportsSince(tx: Tx, service: string, since: Date): Promise<number[]> {
  const { requests: r, alerts: a, alertReports: j } = tx.t;
  const rows = await tx.orm
    .select({ id: r.id })
    .from(r)
    .where(
      and(
        eq(r.service, service),
        inArray(r.status, [...OPEN_STATUSES]),
        gte(r.createdAt, since),
        isNull(r.incidentId),
        notExists(tx.orm.select({ one: sql`1` }).from(j).where(eq(j.requestId, r.id))),
        notExists(tx.orm.select({ one: sql`1` }).from(a).where(eq(a.requestId, r.id))),
      ),
    )
    .orderBy(asc(r.id));
  return rows.map((x) => x.id);
}

/** The reports joined to an alert that are still open. */
export async function openJoinedReports(tx: Tx, alertId: number): Promise<number[]> {
  const { requests: r, alertReports: j } = tx.t;
  const rows = await tx.orm
    .select({ id: r.id })
    .from(j)
    .innerJoin(r, eq(r.id, j.requestId))
    .where(and(eq(j.alertId, alertId), inArray(r.status, [...OPEN_STATUSES])))
    .orderBy(asc(r.id));
  return rows.map((x) => x.id);
}
