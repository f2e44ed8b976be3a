import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { time } from './columns.ts';

// Job leases and the flood limits' windows, shared by every instance (see db/schema/coordination.ts).

/** Jobs one instance runs at a time (the SLA sweep, polling, the outbox...): who holds each, until when. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: time('expires_at').notNull(),
});

/** The per-person flood limit, shared by every instance: messages let through in the current window. */
export const rateWindows = pgTable('rate_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
  noticeAt: time('notice_at'),
});

/** Requests one client address made in the current window, shared by every instance. */
export const addressWindows = pgTable('address_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
});
