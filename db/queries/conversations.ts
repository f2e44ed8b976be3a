import { and, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, identities, people } from '../schema.ts';

export type Person = typeof people.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;

export interface ChatKey {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
}

/** The person behind a channel identity and their conversation in this chat, made on first contact. */
export function findOrCreateConversation(tx: Tx, key: ChatKey, locale: 'sw' | 'en', now: Date): { person: Person; conversation: Conversation; isNew: boolean } {
  const identity = tx.select().from(identities).where(and(eq(identities.channel, key.channel), eq(identities.externalId, key.senderId))).get();
  let person = identity && tx.select().from(people).where(eq(people.id, identity.personId)).get();
  if (!person) {
    person = tx.insert(people).values({ locale, createdAt: now }).returning().get();
    tx.insert(identities).values({ channel: key.channel, externalId: key.senderId, personId: person.id }).run();
  }
  const existing = tx.select().from(conversations).where(and(eq(conversations.channel, key.channel), eq(conversations.chatId, key.chatId))).get();
  if (existing) return { person, conversation: existing, isNew: false };
  const conversation = tx.insert(conversations).values({ personId: person.id, channel: key.channel, chatId: key.chatId, state: {}, updatedAt: now }).returning().get();
  return { person, conversation, isNew: true };
}

export function saveConversationState(tx: Tx, id: number, state: unknown, now: Date): void {
  tx.update(conversations).set({ state, updatedAt: now }).where(eq(conversations.id, id)).run();
}

export function setPersonLocale(tx: Tx, id: number, locale: 'sw' | 'en'): void {
  tx.update(people).set({ locale }).where(eq(people.id, id)).run();
}

export function setPersonContact(tx: Tx, id: number, contact: { phone?: string; email?: string }): void {
  if (contact.phone || contact.email) tx.update(people).set(contact).where(eq(people.id, id)).run();
}

export function findConversation(tx: Tx, channel: string, chatId: string): Conversation | undefined {
  return tx.select().from(conversations).where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId))).get();
}
