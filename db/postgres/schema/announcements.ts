import { index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ANNOUNCEMENT_NOTICE_KINDS, ANNOUNCEMENT_STATUSES, type BothLanguages } from '../../schema/enums.ts';
import { time } from './columns.ts';
import { conversations } from './people.ts';
import { staff } from './staff.ts';

/** A planned outage announced to an area (see db/schema/announcements.ts). */
export const announcements = pgTable(
  'announcements',
  {
    id: serial('id').primaryKey(),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    day: text('day').notNull(),
    fromTime: text('from_time').notNull(),
    toTime: text('to_time').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    tellAt: time('tell_at').notNull(),
    reason: jsonb('reason').notNull().$type<BothLanguages<string>>(),
    status: text('status', { enum: ANNOUNCEMENT_STATUSES }).notNull(),
    createdBy: integer('created_by').references(() => staff.id),
    cancelledBy: integer('cancelled_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    cancelledAt: time('cancelled_at'),
    updatedAt: time('updated_at').notNull(),
    beforeDoneAt: time('before_done_at'),
    endedDoneAt: time('ended_done_at'),
    cancelDoneAt: time('cancel_done_at'),
    pacedUntil: jsonb('paced_until').$type<Record<string, number>>(),
    cursors: jsonb('cursors').$type<Partial<Record<(typeof ANNOUNCEMENT_NOTICE_KINDS)[number], number>>>(),
  },
  (t) => [index('announcements_ends').on(t.status, t.endsAt)],
);

/** A chat that asked to hear of planned outages in an area (see db/schema/announcements.ts). */
export const announcementSubscriptions = pgTable(
  'announcement_subscriptions',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('announcement_subscriptions_chat_area').on(t.conversationId, t.area), index('announcement_subscriptions_area').on(t.area)],
);

/** Each chat told each kind of notice of an announcement once (see db/schema/announcements.ts). */
export const announcementNotices = pgTable(
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
