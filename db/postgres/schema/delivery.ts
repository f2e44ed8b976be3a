import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { time } from './columns.ts';
import { conversations } from './people.ts';

// The outbox and the linked WhatsApp device's keys and messages (see db/schema/delivery.ts).

export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id').references(() => conversations.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    body: jsonb('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextTryAt: time('next_try_at').notNull(),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    providerId: text('provider_id'),
    deliveryStatus: text('delivery_status', { enum: ['sent', 'delivered', 'read', 'failed'] }),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextTryAt), index('outbox_provider').on(t.providerId).where(sql`provider_id is not null`)],
);

export const whatsappAuth = pgTable('whatsapp_auth', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const whatsappMessages = pgTable(
  'whatsapp_messages',
  {
    remoteJid: text('remote_jid').notNull(),
    messageId: text('message_id').notNull(),
    message: text('message').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteJid, t.messageId] }), index('whatsapp_messages_created').on(t.createdAt)],
);
