// The PostgreSQL twin of db/schema.ts: the same tables, columns and indexes,
// in PostgreSQL's own types (timestamptz, boolean, jsonb). Drizzle maps both
// to the same row shapes (Date, boolean, parsed JSON), so db/queries/ is
// written once for both. A test checks the two schemas name the same columns.
//
// One module a feature in db/postgres/schema/, as in db/schema/ (whose
// enums.ts gives both dialects their value lists). drizzle-kit reads this file
// (drizzle.config.ts with DRIZZLE_DIALECT=postgresql).
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
