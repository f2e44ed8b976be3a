import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { findConversation } from './conversations.ts';
import { addEvent } from './requests.ts';
import { first } from './rows.ts';
import { identityPeople, phoneIdentities } from './ussd.ts';

/** Whether this phone number's identities (USSD, SMS, WhatsApp) lead to this person. */
export async function phoneLeadsTo(tx: Tx, phone: string, personId: number): Promise<boolean> {
  return (await identityPeople(tx, phone)).includes(personId);
}

/**
 * Where a message to this number on `channel` goes, if it can reach the
 * number's owner there: SMS always can; WhatsApp (either kind) only when the
 * number has written to us there (a conversation with it exists), since a
 * number that has not may not be on WhatsApp at all.
 */
export async function phoneChatOn(tx: Tx, channel: string, phone: string): Promise<{ channel: string; chatId: string; conversationId: number | null } | undefined> {
  if (channel === 'sms') return { channel, chatId: phone, conversationId: null };
  const identity = phoneIdentities(phone).find((k) => k.channel === channel);
  if (!identity) return undefined;
  const conversation = await findConversation(tx, channel, identity.externalId);
  return conversation ? { channel, chatId: identity.externalId, conversationId: conversation.id } : undefined;
}

/**
 * Joins the person in a chat with the phone number they have just proved (a
 * code sent to it was typed back there). The rule: the person the number's
 * identities already lead to stays, and the chat's person (with anyone else
 * one of the number's identities led to) is moved into them: identities,
 * conversations, requests and notices all follow, so every request and
 * conversation of both stays reachable, from the chat and from the phone.
 * The phone's person is kept because USSD, SMS and WhatsApp turns for the
 * number may be running at this moment on other instances, filing under
 * them; a chat's person is one web chat session (or one Telegram account)
 * whose only identity is the chat asking now. The person moved out is kept,
 * empty, so nothing still holding their id points nowhere. A number no one
 * has used yet simply gets its identities on the chat's person.
 */
export async function joinPersonWithPhone(tx: Tx, j: { personId: number; phone: string; locale: 'sw' | 'en'; at: Date }): Promise<{ personId: number; moved: number[] }> {
  const { people, identities } = tx.t;
  const owners = await identityPeople(tx, j.phone);
  const into = owners[0] ?? j.personId;
  const moved = [...new Set([j.personId, ...owners])].filter((id) => id !== into);
  for (const from of moved) await movePerson(tx, { from, into, phone: j.phone, at: j.at, actor: `person:${j.personId}` });
  for (const k of phoneIdentities(j.phone))
    await tx.orm
      .insert(identities)
      .values({ ...k, personId: into })
      .onConflictDoNothing();
  // An identity of the number some other instance committed in between is taken along too: the number is proved.
  for (const k of phoneIdentities(j.phone))
    await tx.orm
      .update(identities)
      .set({ personId: into })
      .where(and(eq(identities.channel, k.channel), eq(identities.externalId, k.externalId)));
  await tx.orm
    .update(people)
    .set({ phone: sql`coalesce(${people.phone}, ${j.phone})`, locale: j.locale })
    .where(eq(people.id, into));
  return { personId: into, moved };
}

/** Everything of one person moves to another, with an event on each request moved (for staff's history). */
async function movePerson(tx: Tx, m: { from: number; into: number; phone: string; at: Date; actor: string }): Promise<void> {
  const { people, identities, conversations, requests, notices, handoffs } = tx.t;
  const movedRequests = await tx.orm.update(requests).set({ personId: m.into }).where(eq(requests.personId, m.from)).returning({ id: requests.id });
  for (const r of movedRequests) await addEvent(tx, { requestId: r.id, at: m.at, actor: m.actor, kind: 'identity_linked', data: { from: m.from, into: m.into, phone: m.phone } });
  await tx.orm.update(identities).set({ personId: m.into }).where(eq(identities.personId, m.from));
  await tx.orm.update(conversations).set({ personId: m.into }).where(eq(conversations.personId, m.from));
  await tx.orm.update(notices).set({ personId: m.into }).where(eq(notices.personId, m.from));
  await tx.orm.update(handoffs).set({ personId: m.into }).where(eq(handoffs.personId, m.from));
  const from = first(await tx.orm.select().from(people).where(eq(people.id, m.from)));
  if (from && (from.name || from.email))
    await tx.orm
      .update(people)
      .set({ name: sql`coalesce(${people.name}, ${from.name})`, email: sql`coalesce(${people.email}, ${from.email})` })
      .where(eq(people.id, m.into));
}
