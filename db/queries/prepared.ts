import type Database from 'better-sqlite3';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db, Tx } from '../client.ts';
import * as schema from '../schema.ts';
import { conversations, identities, messages, outbox, people, referenceCounters, requestEvents, requests } from '../schema.ts';

const p = sql.placeholder;

/**
 * A placeholder is passed through its column's encoder, which cannot take
 * null for JSON (it would store the text 'null') or times: nullable ones are
 * raw SQL parameters, encoded by the caller with these.
 */
export const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

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
        options: sql`${p('optionsJson')}`,
        attachments: sql`${p('attachmentsJson')}`,
        author: p('author'),
        channel: p('channel'),
        createdAt: p('at'),
      })
      .onConflictDoNothing()
      .returning({ id: messages.id })
      .prepare(),
    insertPerson: db.insert(people).values({ locale: p('locale'), createdAt: p('at') }).returning().prepare(),
    insertIdentity: db.insert(identities).values({ channel: p('channel'), externalId: p('externalId'), personId: p('personId') }).prepare(),
    insertConversation: db
      .insert(conversations)
      .values({ personId: p('personId'), channel: p('channel'), chatId: p('chatId'), state: sql`'{}'`, updatedAt: p('at') })
      .returning()
      .prepare(),
    ownRequest: db
      .select()
      .from(requests)
      .where(and(eq(requests.reference, p('reference')), eq(requests.personId, p('personId'))))
      .prepare(),
    nextReference: db
      .insert(referenceCounters)
      .values({ prefix: p('prefix'), year: p('year'), last: 1 })
      .onConflictDoUpdate({ target: [referenceCounters.prefix, referenceCounters.year], set: { last: sql`${referenceCounters.last} + 1` } })
      .returning({ last: referenceCounters.last })
      .prepare(),
    insertRequest: db
      .insert(requests)
      .values({
        reference: p('reference'),
        personId: p('personId'),
        conversationId: p('conversationId'),
        service: p('service'),
        charterLine: p('charterLine'),
        variant: p('variant'),
        details: p('details'),
        status: 'received',
        createdAt: p('at'),
        dueAt: sql`${p('dueAtMs')}`,
        slaNextAt: sql`${p('slaNextAtMs')}`,
        updatedAt: p('at'),
      })
      .returning()
      .prepare(),
    insertEvent: db
      .insert(requestEvents)
      .values({ requestId: p('requestId'), at: p('at'), actor: p('actor'), kind: p('kind'), note: p('note'), data: sql`${p('dataJson')}` })
      .prepare(),
    advanceSla: db
      .update(requests)
      .set({ slaStage: sql`${p('to')}`, slaNextAt: sql`${p('nextAtMs')}` })
      .where(and(eq(requests.id, p('id')), eq(requests.slaStage, p('from')), isNotNull(requests.slaNextAt)))
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
