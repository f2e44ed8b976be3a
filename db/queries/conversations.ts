import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { prepared } from './prepared.ts';
import { first, type Conversation, type Person } from './rows.ts';

export type { Conversation, Person } from './rows.ts';

export interface ChatKey {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
}

/** The person behind a channel identity and their conversation in this chat, made on first contact. */
export async function findOrCreateConversation(tx: Tx, key: ChatKey, locale: 'sw' | 'en', now: Date): Promise<{ person: Person; conversation: Conversation; isNew: boolean }> {
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
  const { orm, t } = tx;
  // The person and this chat's conversation in one round trip: the common case, someone writing again.
  const known = first(
    await orm
      .select({ person: t.people, conversation: t.conversations })
      .from(t.identities)
      .innerJoin(t.people, eq(t.people.id, t.identities.personId))
      .leftJoin(t.conversations, and(eq(t.conversations.channel, key.channel), eq(t.conversations.chatId, key.chatId)))
      .where(and(eq(t.identities.channel, key.channel), eq(t.identities.externalId, key.senderId))),
  );
  if (known?.conversation) return { person: known.person, conversation: known.conversation, isNew: false };
  let person = known?.person;
  if (!person) {
    person = first(await orm.insert(t.people).values({ locale, createdAt: now }).returning());
    if (!person) throw new Error('the new person was not returned');
    await orm.insert(t.identities).values({ channel: key.channel, externalId: key.senderId, personId: person.id });
  }
  const existing = await findConversation(tx, key.channel, key.chatId);
  if (existing) return { person, conversation: existing, isNew: false };
  const conversation = first(await orm.insert(t.conversations).values({ personId: person.id, channel: key.channel, chatId: key.chatId, state: {}, updatedAt: now }).returning());
  if (!conversation) throw new Error('the new conversation was not returned');
  return { person, conversation, isNew: true };
}

export async function saveConversationState(tx: Tx, id: number, state: unknown, now: Date): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).saveState.run({ id, stateJson: JSON.stringify(state), atMs: now.getTime() });
  await tx.orm.update(tx.t.conversations).set({ state, updatedAt: now }).where(eq(tx.t.conversations.id, id));
}

export async function setPersonLocale(tx: Tx, id: number, locale: 'sw' | 'en'): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).setLocale.run({ id, locale });
  await tx.orm.update(tx.t.people).set({ locale }).where(eq(tx.t.people.id, id));
}

export async function setPersonContact(tx: Tx, id: number, contact: { phone?: string; email?: string }): Promise<void> {
  if (!contact.phone && !contact.email) return;
  const phone = contact.phone || null;
  const email = contact.email || null;
  if (tx.sqlite) return void prepared(tx.sqlite).setContact.run({ id, phone, email });
  const { people } = tx.t;
  await tx.orm
    .update(people)
    .set({ phone: sql`coalesce(${phone}, ${people.phone})`, email: sql`coalesce(${email}, ${people.email})` })
    .where(eq(people.id, id));
}

export async function findConversation(tx: Tx, channel: string, chatId: string): Promise<Conversation | undefined> {
  const { conversations } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId))),
  );
}

export async function personById(tx: Tx, id: number): Promise<Person | undefined> {
  return first(await tx.orm.select().from(tx.t.people).where(eq(tx.t.people.id, id)));
}
