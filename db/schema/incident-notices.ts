import { index, integer, primaryKey, sqliteTable } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { incidents, incidentUpdates } from './incidents.ts';
import { requests } from './requests.ts';

/**
 * Each reporter told each message once: a row per message and request, written
 * in the transaction that queues the message; a retry, a restart or a second
 * instance finds the row and sends nothing.
 */
export const incidentNotices = sqliteTable(
  'incident_notices',
  {
    updateId: integer('update_id')
      .notNull()
      .references(() => incidentUpdates.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: time('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.updateId, t.requestId] }), index('incident_notices_request').on(t.requestId)],
);
