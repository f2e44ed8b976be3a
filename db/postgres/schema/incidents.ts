import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { type BothLanguages, INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_UPDATE_KINDS } from '../../schema/enums.ts';
import { time } from './columns.ts';
import { staff } from './staff.ts';

// Incidents and what their reporters are told; each reporter's notice is in
// incident-notices.ts, so that requests.ts can point here without a cycle.

/** One fault many people report: a service in an area (see db/schema/incidents.ts). */
export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    service: text('service').notNull(),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    message: jsonb('message').$type<BothLanguages<string>>(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    source: text('source', { enum: INCIDENT_SOURCES }).notNull(),
    sourceKey: text('source_key'),
    openedBy: integer('opened_by').references(() => staff.id),
    closedBy: integer('closed_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    openedAt: time('opened_at'),
    closedAt: time('closed_at'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_live').on(t.service, t.area).where(sql`status in ('proposed', 'open')`),
    index('incidents_status').on(t.status, t.service),
    uniqueIndex('incidents_source_key').on(t.sourceKey),
  ],
);

/** What an incident's reporters were told, in order (see db/schema/incidents.ts). */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    kind: text('kind', { enum: INCIDENT_UPDATE_KINDS }).notNull(),
    message: jsonb('message').notNull().$type<BothLanguages<string>>(),
    staffId: integer('staff_id').references(() => staff.id),
    at: time('at').notNull(),
  },
  (t) => [index('incident_updates_incident').on(t.incidentId, t.id), uniqueIndex('incident_updates_once').on(t.incidentId, t.kind).where(sql`kind <> 'update'`)],
);
