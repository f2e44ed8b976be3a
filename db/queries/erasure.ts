import { and, eq, gte, inArray, isNotNull, like, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { addEvent, OPEN_STATUSES } from './requests.ts';

// Erasing a person (PDPA 2022): every column that may hold their name, phone
// number, e-mail, office or words is emptied, and every row keyed by one of
// their addresses deleted, while each request keeps what the charter's
// figures count (service, line, times, status, rating). The caller
// (bot/privacy/erase.ts) runs these in one transaction, in this order.

/** One of the person's addresses on a channel: a conversation's chat, an identity, or a proved phone's. */
export interface ChannelAddress {
  readonly channel: string;
  readonly chatId: string;
}

/** A code sent to prove a phone: its outbox row is the one to that address, written at that moment. */
export interface ProofSend {
  readonly channel: string;
  readonly chatIds: readonly string[];
  readonly at: Date;
}

export interface ErasureScope {
  readonly personId: number;
  /** People once merged into this one when a phone was proved: identity.ts keeps their rows, which may hold a copy of a name or an e-mail. */
  readonly mergedPeople: readonly number[];
  readonly conversationIds: readonly number[];
  readonly requestIds: readonly number[];
  /** Where messages to the person were queued: their chats and identities (a proved phone's identities among them). */
  readonly addresses: readonly ChannelAddress[];
  /** Codes the person had sent to a phone they may not own: only those very rows. */
  readonly proofSends: readonly ProofSend[];
  /** Web chat sessions of their chats, as the hashes webchat_sessions keeps. */
  readonly webchatSessionHashes: readonly string[];
  /** WhatsApp (linked device) chats: the stored WAMessages of those JIDs go. */
  readonly whatsappJids: readonly string[];
  /** Flood-limit windows keyed by their chats. */
  readonly rateKeys: readonly string[];
}

const some = <T>(items: readonly T[]) => items.length > 0;

/** Staff authors stay on a message ("staff:3 Asha Mushi", an unlinked staff-group member "telegram:…"); the person's go. */
const staffAuthorOnly = (author: AnyColumn) => sql`case when ${author} like 'staff:%' or ${author} like 'telegram:%' then ${author} else null end`;

/** Transcripts: every message's words, attachments, choices and platform id emptied; the rows (times, directions) stay. */
async function eraseMessages(tx: Tx, s: ErasureScope): Promise<void> {
  if (!some(s.conversationIds)) return;
  const { messages: m } = tx.t;
  await tx.orm
    .update(m)
    .set({ text: '', attachments: null, options: null, channelMessageId: null, author: staffAuthorOnly(m.author) })
    .where(inArray(m.conversationId, [...s.conversationIds]));
}

/** The chats stay (for the requests' figures), under an opaque id, with no state and no hand-off. */
async function eraseConversations(tx: Tx, s: ErasureScope): Promise<void> {
  if (!some(s.conversationIds)) return;
  const { conversations: c } = tx.t;
  await tx.orm
    .update(c)
    .set({ chatId: sql`'erased:' || ${c.id}`, state: {}, handedOff: false, handedOffAt: null, handoffTakenBy: null, handoffPickupDueAt: null, staffThread: null })
    .where(inArray(c.id, [...s.conversationIds]));
}

/** Requests keep service, line, times, status, rating and incident; their form answers, area (it may be a street), rating comment and audit words go. */
async function eraseRequests(tx: Tx, s: ErasureScope): Promise<void> {
  if (!some(s.requestIds)) return;
  const { requests: r, requestEvents: e } = tx.t;
  // updatedAt is left alone: a closed request's finishing time is what the compliance report counts.
  await tx.orm
    .update(r)
    .set({ details: {}, area: null, ratingComment: null })
    .where(inArray(r.id, [...s.requestIds]));
  await tx.orm
    .update(e)
    .set({ note: null, data: null })
    .where(inArray(e.requestId, [...s.requestIds]));
}

/** Queued and sent messages to the person: emptied and unaddressed; those not yet sent are not sent. */
async function eraseOutbox(tx: Tx, s: ErasureScope): Promise<void> {
  const { outbox: o } = tx.t;
  const match: SQL[] = [];
  if (some(s.conversationIds)) match.push(inArray(o.conversationId, [...s.conversationIds]));
  for (const a of s.addresses) match.push(and(eq(o.channel, a.channel), eq(o.chatId, a.chatId)) as SQL);
  for (const p of s.proofSends) if (some(p.chatIds)) match.push(and(eq(o.channel, p.channel), inArray(o.chatId, [...p.chatIds]), eq(o.createdAt, p.at)) as SQL);
  if (!some(match)) return;
  const rows = or(...match);
  await tx.orm
    .update(o)
    .set({ status: 'failed', lastError: 'erased' })
    .where(and(rows, eq(o.status, 'pending')));
  await tx.orm
    .update(o)
    .set({ body: {}, chatId: '', providerId: null, lastError: sql`case when ${o.lastError} = 'erased' then 'erased' else null end` })
    .where(rows);
}

/** What the hand-off records, legacy notices and phone proofs held of their words and numbers. */
async function eraseAside(tx: Tx, s: ErasureScope): Promise<void> {
  const { handoffs: h, notices: n, phoneProofs: p } = tx.t;
  const handoffChats = some(s.conversationIds) ? inArray(h.conversationId, [...s.conversationIds]) : undefined;
  await tx.orm
    .update(h)
    .set({ text: null })
    .where(handoffChats ? or(eq(h.personId, s.personId), handoffChats) : eq(h.personId, s.personId));
  await tx.orm.update(n).set({ text: '' }).where(eq(n.personId, s.personId));
  if (some(s.conversationIds)) await tx.orm.delete(p).where(inArray(p.conversationId, [...s.conversationIds]));
}

/** Rows keyed by the person's addresses: identities (a later message starts afresh), sessions, WhatsApp copies, flood windows, the areas they follow (planned-outage notices). */
async function eraseKeys(tx: Tx, s: ErasureScope): Promise<void> {
  const { identities, webchatSessions, whatsappMessages, rateWindows, announcementSubscriptions } = tx.t;
  await tx.orm.delete(identities).where(eq(identities.personId, s.personId));
  if (some(s.conversationIds)) await tx.orm.delete(announcementSubscriptions).where(inArray(announcementSubscriptions.conversationId, [...s.conversationIds]));
  if (some(s.webchatSessionHashes)) await tx.orm.delete(webchatSessions).where(inArray(webchatSessions.idHash, [...s.webchatSessionHashes]));
  if (some(s.whatsappJids)) await tx.orm.delete(whatsappMessages).where(inArray(whatsappMessages.remoteJid, [...s.whatsappJids]));
  if (some(s.rateKeys)) await tx.orm.delete(rateWindows).where(inArray(rateWindows.key, [...s.rateKeys]));
}

/** Every personal column of the person's rows emptied; the person's row stays, marked erased. */
export async function eraseHeld(tx: Tx, s: ErasureScope, at: Date): Promise<void> {
  await eraseMessages(tx, s);
  await eraseConversations(tx, s);
  await eraseRequests(tx, s);
  await eraseOutbox(tx, s);
  await eraseAside(tx, s);
  await eraseKeys(tx, s);
  const { people } = tx.t;
  // The first erasure's time stays: a second one only empties what was written since.
  await tx.orm
    .update(people)
    .set({ name: null, phone: null, email: null, erasedAt: sql`coalesce(${people.erasedAt}, ${sql.param(at, people.erasedAt)})` })
    .where(inArray(people.id, [s.personId, ...s.mergedPeople]));
}

/**
 * What reached an erased chat after its erasure (a turn that was running at
 * that moment, the goodbye the chat said, a reply sent since) is emptied too,
 * for the people erased since `since`: the retention job runs this daily. The
 * rows emptied.
 */
export async function scrubErasedChats(tx: Tx, since: Date): Promise<number> {
  const { conversations: c, people: p, messages: m, outbox: o } = tx.t;
  const erased = tx.orm
    .select({ id: c.id })
    .from(c)
    .innerJoin(p, eq(p.id, c.personId))
    .where(and(gte(p.erasedAt, since), like(c.chatId, 'erased:%')));
  const messages = await tx.orm
    .update(m)
    .set({ text: '', attachments: null, options: null, channelMessageId: null, author: staffAuthorOnly(m.author) })
    .where(and(inArray(m.conversationId, erased), or(ne(m.text, ''), isNotNull(m.attachments), isNotNull(m.options), isNotNull(m.channelMessageId))))
    .returning({ id: m.id });
  // A message still waiting to go keeps its address until it is sent.
  const sent = await tx.orm
    .update(o)
    .set({ body: {}, chatId: '', providerId: null })
    .where(and(inArray(o.conversationId, erased), ne(o.status, 'pending'), ne(o.chatId, '')))
    .returning({ id: o.id });
  return messages.length + sent.length;
}

/**
 * Closes the requests still open (with their audit event) and records the
 * erasure on every request; written after eraseHeld, so these events stay.
 * Closing stops their SLA clock. The references closed, oldest first.
 */
export async function recordErasure(tx: Tx, s: ErasureScope, e: { at: Date; actor: string }): Promise<string[]> {
  if (!some(s.requestIds)) return [];
  const { requests: r } = tx.t;
  const closed = await tx.orm
    .update(r)
    .set({ status: 'closed', slaStage: 'done', slaNextAt: null, pausedSince: null, updatedAt: e.at })
    .where(and(inArray(r.id, [...s.requestIds]), inArray(r.status, [...OPEN_STATUSES])))
    .returning({ id: r.id, reference: r.reference });
  closed.sort((a, b) => a.id - b.id);
  for (const c of closed) await addEvent(tx, { requestId: c.id, at: e.at, actor: e.actor, kind: 'status', data: { status: 'closed' } });
  for (const id of s.requestIds) await addEvent(tx, { requestId: id, at: e.at, actor: e.actor, kind: 'erased' });
  return closed.map((c) => c.reference);
}
