import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';

// The people Huduma serves and their chats: who they are, how each channel
// knows them, their conversations and messages, web chat sessions, and the
// codes that prove a phone number is theirs.

/** A person Huduma serves, whichever channels they write on. */
export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  locale: text('locale', { enum: ['sw', 'en'] }).notNull(),
  name: text('name'),
  /**
   * The number this person is known by on a phone channel (USSD, SMS,
   * WhatsApp) or has proved with a code; a number only typed in a form is
   * contact information, kept on the request's details, never here.
   */
  phone: text('phone'),
  email: text('email'),
  createdAt: time('created_at').notNull(),
  /** When their personal data was erased (on their request, by staff, or by the retention job); null while held. */
  erasedAt: time('erased_at'),
  /** When the privacy notice (PDPA 2022) was first given them, on any channel: given once a person, never again. */
  noticeShownAt: time('notice_shown_at'),
});

/** How a person is known on a channel (a WhatsApp JID, a Telegram user id, a web chat session). */
export const identities = sqliteTable(
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

/** One chat on one channel, with where the person is in a guided form. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The engine's state as JSON (the flow, its step and answers so far). */
    state: text('state', { mode: 'json' }).notNull().default(sql`'{}'`),
    handedOff: integer('handed_off', { mode: 'boolean' }).notNull().default(false),
    /** When the conversation went to staff, who took it, and when the pick-up notice is due if nobody has. */
    handedOffAt: time('handed_off_at'),
    handoffTakenBy: text('handoff_taken_by'),
    handoffPickupDueAt: time('handoff_pickup_due_at'),
    /** The staff group's thread for this conversation (a Telegram forum topic id), once made. */
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

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    text: text('text').notNull(),
    /** The platform's id of an inbound message: a redelivered one is recognised by it. */
    channelMessageId: text('channel_message_id'),
    /** For a reply: the inbound message it answers (a redelivery gets the same replies back). */
    replyTo: integer('reply_to'),
    /** Who wrote an outbound message when it was not the bot: `staff:<id>`. */
    author: text('author'),
    /** Choices offered with a reply, as JSON [{id, label}]. */
    options: text('options', { mode: 'json' }),
    /** Photos, documents, voice notes and locations that came with an inbound message, as JSON. */
    attachments: text('attachments', { mode: 'json' }),
    channel: text('channel').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('messages_channel_message').on(t.channel, t.channelMessageId), index('messages_conversation').on(t.conversationId, t.id), index('messages_reply_to').on(t.replyTo)],
);

/**
 * Web chat sessions the server issued: the id is a bearer secret (≥128 random
 * bits) kept only as its hash; a session silent longer than the configured
 * days expires.
 */
export const webchatSessions = sqliteTable(
  'webchat_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    createdAt: time('created_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
  },
  (t) => [index('webchat_sessions_seen').on(t.lastSeenAt)],
);

/**
 * A one-time code sent to a phone number to prove that the person in a chat
 * has that phone: typed back in the same conversation, it joins the chat's
 * person with the number's (db/queries/identity.ts). Only the code's salted
 * hash is kept; it expires, and it takes a limited number of tries.
 */
export const phoneProofs = sqliteTable(
  'phone_proofs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The chat that asked, and where the code must be typed back. */
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The number to prove, E.164. */
    phone: text('phone').notNull(),
    /** Which channel carried the code ('sms', 'whatsapp', 'whatsapp_cloud'). */
    channel: text('channel').notNull(),
    /** `<salt>:<sha256(salt:code)>`, never the code. */
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
