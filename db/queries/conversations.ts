import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { encoded, prepared } from './prepared.ts';
import { first, type Conversation, type Person } from './rows.ts';

export type { Conversation, Person } from './rows.ts';

export interface ChatKey {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
}

/**
 * Who wrote, as a message's arrival found them (arrival.ts): the person, their
 * conversation in this chat, and the message stored already when their chat
 * was known (PostgreSQL, in the same round trip): `inbound` is its id, else storeInbound stores it.
 */
export interface Known {
  readonly person: Person | undefined;
  readonly conversation: Conversation | undefined;
  readonly inbound?: number;
}

/**
 * The person behind a channel identity and their conversation in this chat,
 * made on first contact; `known`, when the turn looked them up already (arrival), saves the lookup.
 */
export async function findOrCreateConversation(tx: Tx, key: ChatKey, locale: 'sw' | 'en', now: Date, known?: Known): Promise<{ person: Person; conversation: Conversation; isNew: boolean }> {
  if (tx.sqlite) {
    const q = prepared(tx.sqlite);
    const identity = q.identity.get({ channel: key.channel, externalId: key.senderId });
    let person = identity && q.person.get({ id: identity.personId });
    if (!person) {
      person = q.insertPerson.get({ locale, at: now });
      if (!person) throw new Error('the new person was not returned');
      q.insertIdentity.run({ channel: key.channel, externalId: key.senderId, personId: person.id });
    }
    const existing = q.conversation.get({ channel: key.channel, chatId: key.chatId });
    if (existing) return { person, conversation: existing, isNew: false };
    const conversation = q.insertConversation.get({ personId: person.id, channel: key.channel, chatId: key.chatId, at: now });
    if (!conversation) throw new Error('the new conversation was not returned');
    return { person, conversation, isNew: true };
  }
  // PostgreSQL: two instances may meet the same new person at once; the unique keys decide, and a loser
  // fails its transaction with 23505, which the caller's retry answers (see bot/engine/inbox.ts).
  // The person and this chat's conversation in one round trip: the common case, someone writing again.
  const knownQuery = tx.prepared('known_person', ({ orm, t }) =>
    orm
      .select({ person: t.people, conversation: t.conversations })
      .from(t.identities)
      .innerJoin(t.people, eq(t.people.id, t.identities.personId))
      .leftJoin(t.conversations, and(eq(t.conversations.channel, t.identities.channel), eq(t.conversations.chatId, sql.placeholder('chatId'))))
      .where(and(eq(t.identities.channel, sql.placeholder('channel')), eq(t.identities.externalId, sql.placeholder('senderId')))),
  );
  const found = known ?? first(await knownQuery.execute({ channel: key.channel, chatId: key.chatId, senderId: key.senderId }));
  if (found?.person && found.conversation) return { person: found.person, conversation: found.conversation, isNew: false };
  let person = found?.person;
  if (!person) {
    const insertPerson = tx.prepared('insert_person', ({ orm, t }) =>
      orm
        .insert(t.people)
        .values({ locale: sql.placeholder('locale'), createdAt: sql.placeholder('at') })
        .returning(),
    );
    person = first(await insertPerson.execute({ locale, at: now }));
    if (!person) throw new Error('the new person was not returned');
    const insertIdentity = tx.prepared('insert_identity', ({ orm, t }) =>
      orm.insert(t.identities).values({ channel: sql.placeholder('channel'), externalId: sql.placeholder('senderId'), personId: sql.placeholder('personId') }),
    );
    await insertIdentity.execute({ channel: key.channel, senderId: key.senderId, personId: person.id });
  }
  // arrival looked the chat's conversation up whoever wrote (a new member of a group writing in it).
  const existing = known ? known.conversation : await findConversation(tx, key.channel, key.chatId);
  if (existing) return { person, conversation: existing, isNew: false };
  const insertConversation = tx.prepared('insert_conversation', ({ orm, t }) =>
    orm
      .insert(t.conversations)
      .values({ personId: sql.placeholder('personId'), channel: sql.placeholder('channel'), chatId: sql.placeholder('chatId'), state: {}, updatedAt: sql.placeholder('at') })
      .returning(),
  );
  const conversation = first(await insertConversation.execute({ personId: person.id, channel: key.channel, chatId: key.chatId, at: now }));
  if (!conversation) throw new Error('the new conversation was not returned');
  return { person, conversation, isNew: true };
}

export async function saveConversationState(tx: Tx, id: number, state: unknown, now: Date): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).saveState.run({ id, stateJson: JSON.stringify(state), atMs: now.getTime() });
  const update = tx.prepared('save_state', ({ orm, t: { conversations: c } }) =>
    orm
      .update(c)
      .set({ state: encoded('state'), updatedAt: encoded('at') })
      .where(eq(c.id, sql.placeholder('id'))),
  );
  await update.execute({ id, state: JSON.stringify(state), at: now });
}

export async function setPersonLocale(tx: Tx, id: number, locale: 'sw' | 'en'): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).setLocale.run({ id, locale });
  const update = tx.prepared('set_locale', ({ orm, t: { people } }) =>
    orm
      .update(people)
      .set({ locale: encoded('locale') })
      .where(eq(people.id, sql.placeholder('id'))),
  );
  await update.execute({ id, locale });
}

export async function setPersonContact(tx: Tx, id: number, contact: { phone?: string; email?: string }): Promise<void> {
  if (!contact.phone && !contact.email) return;
  const phone = contact.phone || null;
  const email = contact.email || null;
  if (tx.sqlite) return void prepared(tx.sqlite).setContact.run({ id, phone, email });
  const update = tx.prepared('set_contact', ({ orm, t: { people } }) =>
    orm
      .update(people)
      .set({ phone: sql`coalesce(${sql.placeholder('phone')}, ${people.phone})`, email: sql`coalesce(${sql.placeholder('email')}, ${people.email})` })
      .where(eq(people.id, sql.placeholder('id'))),
  );
  await update.execute({ id, phone, email });
}

export async function findConversation(tx: Tx, channel: string, chatId: string): Promise<Conversation | undefined> {
  const select = tx.prepared('conversation', ({ orm, t: { conversations: c } }) =>
    orm
      .select()
      .from(c)
      .where(and(eq(c.channel, sql.placeholder('channel')), eq(c.chatId, sql.placeholder('chatId')))),
  );
  return first(await select.execute({ channel, chatId }));
}

export async function personById(tx: Tx, id: number): Promise<Person | undefined> {
  return first(await tx.orm.select().from(tx.t.people).where(eq(tx.t.people.id, id)));
}
