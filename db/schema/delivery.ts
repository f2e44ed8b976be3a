import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { conversations } from './people.ts';

// Getting messages out: the outbox, and the linked WhatsApp device's keys and
// messages.

/** Messages to send, written in the same transaction as the change that causes them. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').references(() => conversations.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextTryAt: time('next_try_at').notNull(),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    /** The platform's id for the sent message (WhatsApp Cloud's wamid), and what its status webhooks said of it. */
    providerId: text('provider_id'),
    deliveryStatus: text('delivery_status', { enum: ['sent', 'delivered', 'read', 'failed'] }),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextTryAt), index('outbox_provider').on(t.providerId).where(sql`provider_id is not null`)],
);

/**
 * The linked WhatsApp device's keys (Baileys' creds and Signal keys), one row a
 * key, values as JSON through Baileys' BufferJSON: losing them means linking
 * the number again, so they live with the rest of the data, not in loose files.
 */
export const whatsappAuth = sqliteTable('whatsapp_auth', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * WhatsApp messages we sent (and received media messages), so Baileys can
 * answer a phone's retry request and media can be fetched later.
 */
export const whatsappMessages = sqliteTable(
  'whatsapp_messages',
  {
    remoteJid: text('remote_jid').notNull(),
    messageId: text('message_id').notNull(),
    /** The whole WAMessage as JSON (BufferJSON). */
    message: text('message').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteJid, t.messageId] }), index('whatsapp_messages_created').on(t.createdAt)],
);
