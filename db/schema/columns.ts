import { integer } from 'drizzle-orm/sqlite-core';

// Times are stored as integer milliseconds since the epoch (UTC); the bot's
// Clock decides what "now" is, never the database.
export const time = (name: string) => integer(name, { mode: 'timestamp_ms' });
