import { and, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations } from '../schema.ts';
import { prepared } from './prepared.ts';
import type { Conversation, Person } from './rows.ts';

export type { Conversation, Person } from './rows.ts';

export interface ChatKey {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
}

/** The person behind a channel identity and their conversation in this chat, made on first contact. */
export function findOrCreateConversation(tx: Tx, key: ChatKey, locale: 'sw' | 'en', now: Date): { person: Person; conversation: Conversation; isNew: boolean } {
  const q = prepared(tx);
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

export function saveConversationState(tx: Tx, id: number, state: unknown, now: Date): void {
  prepared(tx).saveState.run({ id, stateJson: JSON.stringify(state), atMs: now.getTime() });
}

export function setPersonLocale(tx: Tx, id: number, locale: 'sw' | 'en'): void {
  prepared(tx).setLocale.run({ id, locale });
}

export function setPersonContact(tx: Tx, id: number, contact: { phone?: string; email?: string }): void {
  if (contact.phone || contact.email) prepared(tx).setContact.run({ id, phone: contact.phone || null, email: contact.email || null });
}

export function findConversation(tx: Tx, channel: string, chatId: string): Conversation | undefined {
  return tx.select().from(conversations).where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId))).get();
}
