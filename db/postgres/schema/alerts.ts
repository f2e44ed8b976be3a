import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ALERT_STATUSES } from '../../schema/enums.ts';
import { time } from './columns.ts';
import { incidents } from './incidents.ts';
import { requests } from './requests.ts';

/** A monitoring system's alert, one row per occurrence, and what it raised (see db/schema/alerts.ts). */
export const alerts = pgTable(
  'alerts',
  {
    id: serial('id').primaryKey(),
    fingerprint: text('fingerprint').notNull(),
    startsAt: time('starts_at').notNull(),
    name: text('name').notNull(),
    severity: text('severity'),
    receiver: text('receiver').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    service: text('service').notNull(),
    area: text('area'),
    requestId: integer('request_id').references(() => requests.id),
    incidentId: integer('incident_id').references(() => incidents.id),
    ownsIncident: boolean('owns_incident').notNull().default(false),
    createdAt: time('created_at').notNull(),
    resolvedAt: time('resolved_at'),
  },
  (t) => [
    uniqueIndex('alerts_firing').on(t.fingerprint).where(sql`status = 'firing'`),
    index('alerts_occurrence').on(t.fingerprint, t.startsAt),
    index('alerts_firing_service').on(t.service).where(sql`status = 'firing'`),
  ],
);

/** People's reports joined to the request a firing alert raised (see db/schema/alerts.ts). */
export const alertReports = pgTable(
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
