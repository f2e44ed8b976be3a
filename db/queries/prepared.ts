import type Database from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db, Tx } from '../client.ts';
import * as schema from '../schema.ts';
import { conversations, identities, messages, outbox, people } from '../schema.ts';

const p = sql.placeholder;

/**
 * The statements every message runs, built and prepared once per connection.
 * Building a drizzle query and preparing it costs far more than running it
 * (it was most of a turn's time); prepared once, a turn's queries are cheap.
 */
function build(db: Db) {
  return {
    inboundId: db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.channel, p('channel')), eq(messages.channelMessageId, p('channelMessageId'))))
      .prepare(),
    identity: db
      .select({ personId: identities.personId })
      .from(identities)
      .where(and(eq(identities.channel, p('channel')), eq(identities.externalId, p('externalId'))))
      .prepare(),
    person: db.select().from(people).where(eq(people.id, p('id'))).prepare(),
    conversation: db
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, p('channel')), eq(conversations.chatId, p('chatId'))))
      .prepare(),
    // In set(), placeholders are not converted by the column: the caller passes JSON text and milliseconds.
    saveState: db
      .update(conversations)
      .set({ state: sql`${p('stateJson')}`, updatedAt: sql`${p('atMs')}` })
      .where(eq(conversations.id, p('id')))
      .prepare(),
    insertMessage: db
      .insert(messages)
      .values({
        conversationId: p('conversationId'),
        direction: p('direction'),
        text: p('text'),
        channelMessageId: p('channelMessageId'),
        replyTo: p('replyTo'),
        options: p('options'),
        attachments: p('attachments'),
        author: p('author'),
        channel: p('channel'),
        createdAt: p('at'),
      })
      .onConflictDoNothing()
      .returning({ id: messages.id })
      .prepare(),
    insertOutbox: db
      .insert(outbox)
      .values({ conversationId: p('conversationId'), channel: p('channel'), chatId: p('chatId'), body: p('body'), nextTryAt: p('at'), createdAt: p('at') })
      .prepare(),
  };
}

export type Prepared = ReturnType<typeof build>;

const cache = new WeakMap<Database.Database, Prepared>();

/**
 * The prepared statements of the connection under `tx`. They run in whatever
 * transaction that connection has open, so they belong to the caller's.
 * drizzle keeps the connection of a transaction internal; reaching it here,
 * once, is what lets statements be prepared a single time per connection.
 */
export function prepared(tx: Tx | Db): Prepared {
  const client = (tx as unknown as { session: { client: Database.Database } }).session.client;
  let statements = cache.get(client);
  if (!statements) {
    statements = build(drizzle(client, { schema }));
    cache.set(client, statements);
  }
  return statements;
}
