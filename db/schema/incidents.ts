import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { type BothLanguages, INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_UPDATE_KINDS } from './enums.ts';
import { staff } from './staff.ts';

// Incidents (one outage, many reporters) and what their reporters are told.
// Each reporter's notice, which names a request, is in incident-notices.ts, so
// that requests.ts can point here without a cycle.

/**
 * One fault many people report (a power cut in a ward): a service in an area.
 * Its reports are linked to it (requests.incident_id) and each reporter hears
 * its messages once. At most one incident is proposed or open for a service
 * and area at a time.
 */
export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    service: text('service').notNull(),
    /** A place key; reports whose area is it or lies under it belong here. */
    area: text('area').notNull(),
    /** The area as people read it ("Sinza, Kinondoni, Dar es Salaam"), fixed when the incident was raised. */
    areaLabel: text('area_label').notNull(),
    /** The opening message in both languages; null while only proposed. */
    message: text('message', { mode: 'json' }).$type<BothLanguages<string>>(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    source: text('source', { enum: INCIDENT_SOURCES }).notNull(),
    /** What raised it, where that has its own id (a monitoring alert's fingerprint): raised once per key. */
    sourceKey: text('source_key'),
    openedBy: integer('opened_by').references(() => staff.id),
    closedBy: integer('closed_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    openedAt: time('opened_at'),
    /** When it was resolved or dismissed. */
    closedAt: time('closed_at'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_live').on(t.service, t.area).where(sql`status in ('proposed', 'open')`),
    index('incidents_status').on(t.status, t.service),
    uniqueIndex('incidents_source_key').on(t.sourceKey),
  ],
);

/** What an incident's reporters were told, in order: its opening, each update, its resolution. */
export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    kind: text('kind', { enum: INCIDENT_UPDATE_KINDS }).notNull(),
    message: text('message', { mode: 'json' }).notNull().$type<BothLanguages<string>>(),
    staffId: integer('staff_id').references(() => staff.id),
    at: time('at').notNull(),
  },
  (t) => [index('incident_updates_incident').on(t.incidentId, t.id), uniqueIndex('incident_updates_once').on(t.incidentId, t.kind).where(sql`kind <> 'update'`)],
);
