import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { ANNOUNCEMENT_NOTICE_KINDS, ANNOUNCEMENT_STATUSES, type BothLanguages } from './enums.ts';
import { conversations } from './people.ts';
import { staff } from './staff.ts';

// Planned outages announced to an area, the chats subscribed to an area, and
// which of them was told what.

/**
 * A planned outage announced to an area ("TAARIFA YA KATIZO LA UMEME"): the
 * local day and hours as staff gave them, the instants they make, and the
 * reason in both languages. Its subscribers are told by the leader's sender
 * (bot/announcements/send.ts), batch by batch.
 */
export const announcements = sqliteTable(
  'announcements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A place key; subscribers of an area that overlaps it are told. */
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    /** The local day (YYYY-MM-DD) and hours (HH:MM) as published. */
    day: text('day').notNull(),
    fromTime: text('from_time').notNull(),
    toTime: text('to_time').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    /** When subscribers are first told: at publication, or 24 hours before it starts. */
    tellAt: time('tell_at').notNull(),
    reason: text('reason', { mode: 'json' }).notNull().$type<BothLanguages<string>>(),
    status: text('status', { enum: ANNOUNCEMENT_STATUSES }).notNull(),
    createdBy: integer('created_by').references(() => staff.id),
    cancelledBy: integer('cancelled_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    cancelledAt: time('cancelled_at'),
    updatedAt: time('updated_at').notNull(),
    /** When each kind of notice had reached every subscriber: the sender looks no more. */
    beforeDoneAt: time('before_done_at'),
    endedDoneAt: time('ended_done_at'),
    cancelDoneAt: time('cancel_done_at'),
    /** Per channel, when the next batch's first message may go (ms): the batches of one notice keep one pace. */
    pacedUntil: text('paced_until', { mode: 'json' }).$type<Record<string, number>>(),
    /** Per kind of notice, the last conversation its batches reached (they go in conversation order). */
    cursors: text('cursors', { mode: 'json' }).$type<Partial<Record<(typeof ANNOUNCEMENT_NOTICE_KINDS)[number], number>>>(),
  },
  (t) => [index('announcements_ends').on(t.status, t.endsAt)],
);

/** A chat that asked to hear of planned outages in an area (any channel; a USSD user's SMS chat). */
export const announcementSubscriptions = sqliteTable(
  'announcement_subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('announcement_subscriptions_chat_area').on(t.conversationId, t.area), index('announcement_subscriptions_area').on(t.area)],
);

/**
 * Each chat told each kind of notice of an announcement once: a row written in
 * the transaction that queues the message; a retry, a restart or a second
 * instance finds it and sends nothing.
 */
export const announcementNotices = sqliteTable(
  'announcement_notices',
  {
    announcementId: integer('announcement_id')
      .notNull()
      .references(() => announcements.id),
    kind: text('kind', { enum: ANNOUNCEMENT_NOTICE_KINDS }).notNull(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    at: time('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.kind, t.conversationId] }), index('announcement_notices_chat').on(t.conversationId)],
);
