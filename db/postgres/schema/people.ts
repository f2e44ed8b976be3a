import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { time } from './columns.ts';

// The people Huduma serves and their chats (see db/schema/people.ts).

export const people = pgTable('people', {
  id: serial('id').primaryKey(),
  locale: text('locale', { enum: ['sw', 'en'] }).notNull(),
  name: text('name'),
  phone: text('phone'),
  email: text('email'),
  createdAt: time('created_at').notNull(),
  erasedAt: time('erased_at'),
  noticeShownAt: time('notice_shown_at'),
});

export const identities = pgTable(
  'identities',
  {
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.channel, t.externalId] }), index('identities_person').on(t.personId)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: serial('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    state: jsonb('state').notNull().default(sql`'{}'::jsonb`),
    handedOff: boolean('handed_off').notNull().default(false),
    handedOffAt: time('handed_off_at'),
    handoffTakenBy: text('handoff_taken_by'),
    handoffPickupDueAt: time('handoff_pickup_due_at'),
    staffThread: text('staff_thread'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversations_chat').on(t.channel, t.chatId),
    index('conversations_pickup_due').on(t.handoffPickupDueAt).where(sql`handoff_pickup_due_at is not null`),
    index('conversations_handoff_queue').on(t.handedOffAt).where(sql`handed_off_at is not null`),
    index('conversations_staff_thread').on(t.staffThread).where(sql`staff_thread is not null`),
    // A person's chats: what is held about them, their erasure, the retention job's look for activity.
    index('conversations_person').on(t.personId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    text: text('text').notNull(),
    channelMessageId: text('channel_message_id'),
    replyTo: integer('reply_to'),
    author: text('author'),
    options: jsonb('options'),
    attachments: jsonb('attachments'),
    channel: text('channel').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('messages_channel_message').on(t.channel, t.channelMessageId), index('messages_conversation').on(t.conversationId, t.id), index('messages_reply_to').on(t.replyTo)],
);

/** Web chat sessions the server issued (the id kept only as its hash). */
export const webchatSessions = pgTable(
  'webchat_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    createdAt: time('created_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
  },
  (t) => [index('webchat_sessions_seen').on(t.lastSeenAt)],
);

export const phoneProofs = pgTable(
  'phone_proofs',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    phone: text('phone').notNull(),
    channel: text('channel').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    status: text('status', { enum: ['open', 'proven', 'locked', 'expired', 'replaced'] })
      .notNull()
      .default('open'),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('phone_proofs_conversation').on(t.conversationId, t.createdAt), index('phone_proofs_phone').on(t.phone, t.createdAt)],
);
