import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';

// What every instance shares to act as one: who holds each single-runner job,
// and the flood limits' counting windows.

/** Jobs one instance runs at a time (the SLA sweep, polling, the outbox...): who holds each, until when. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: time('expires_at').notNull(),
});

/** The per-person flood limit, shared by every instance: messages let through in the current window. */
export const rateWindows = sqliteTable('rate_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
  noticeAt: time('notice_at'),
});

/** Requests one client address made in the current window (session openings, messages), shared by every instance. */
export const addressWindows = sqliteTable('address_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
});
