import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { ALERT_STATUSES } from './enums.ts';
import { incidents } from './incidents.ts';
import { requests } from './requests.ts';

/**
 * A monitoring system's alert (Prometheus Alertmanager's webhook, POST
 * /api/alerts): one row per occurrence, its fingerprint and when it began,
 * and what it raised: a request on its charter line (filed as the monitoring
 * "person"), or an incident of its service in its area. At most one row of a
 * fingerprint is firing, so a repeated notification, or the same alert from a
 * second Alertmanager, raises nothing new.
 */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fingerprint: text('fingerprint').notNull(),
    /** When the alert says the fault began: a resolved occurrence notified again is known by it. */
    startsAt: time('starts_at').notNull(),
    /** Its `alertname` label, and `severity` when it has one. */
    name: text('name').notNull(),
    severity: text('severity'),
    /** The Alertmanager receiver that sent it. */
    receiver: text('receiver').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    service: text('service').notNull(),
    /** The place key of an alert that named an area (it raised an incident). */
    area: text('area'),
    requestId: integer('request_id').references(() => requests.id),
    incidentId: integer('incident_id').references(() => incidents.id),
    /** Whether this alert opened (or confirmed) the incident, and so resolves it; not one staff had open already. */
    ownsIncident: integer('owns_incident', { mode: 'boolean' }).notNull().default(false),
    createdAt: time('created_at').notNull(),
    resolvedAt: time('resolved_at'),
  },
  (t) => [
    uniqueIndex('alerts_firing').on(t.fingerprint).where(sql`status = 'firing'`),
    index('alerts_occurrence').on(t.fingerprint, t.startsAt),
    index('alerts_firing_service').on(t.service).where(sql`status = 'firing'`),
  ],
);

/**
 * People's reports of a service joined to the request a firing alert raised
 * on it (a report in an area joins the alert's incident instead): each
 * reporter hears that the fault is known, and when it is mended. A report
 * joins one alert at most.
 */
export const alertReports = sqliteTable(
  'alert_reports',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id),
    at: time('at').notNull(),
  },
  (t) => [index('alert_reports_alert').on(t.alertId)],
);
