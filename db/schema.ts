// The SQLite schema, one module a feature in db/schema/ (db/postgres/schema.ts
// is its PostgreSQL twin). drizzle-kit reads this file (drizzle.config.ts), and
// the rest of the code imports the tables from it, so every table is exported
// here. db/schema/columns.ts (the `time` column helper) is left out on purpose:
// it is the folder's own, not part of the schema's exports.
export * from './schema/enums.ts';
export * from './schema/people.ts';
export * from './schema/staff.ts';
export * from './schema/incidents.ts';
export * from './schema/requests.ts';
export * from './schema/incident-notices.ts';
export * from './schema/alerts.ts';
export * from './schema/announcements.ts';
export * from './schema/kb.ts';
export * from './schema/delivery.ts';
export * from './schema/coordination.ts';
