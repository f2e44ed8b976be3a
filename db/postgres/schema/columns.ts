import { timestamp } from 'drizzle-orm/pg-core';

// Times are timestamptz, read as Date (the SQLite schema's integer milliseconds read the same).
export const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
