import { index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { time } from './columns.ts';
import { incidents, incidentUpdates } from './incidents.ts';
import { requests } from './requests.ts';

/** Each reporter told each message once (see db/schema/incident-notices.ts). */
export const incidentNotices = pgTable(
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
