import { and, asc, eq, exists, gt, gte, inArray, isNull, lt, lte, max, not, or, type AnyColumn } from 'drizzle-orm';
import type { handoffs, messages, notices, requestEvents } from '../schema.ts';
import type { Tx } from '../store.ts';
import type { SubscriptionRow } from './announcements.ts';
import { OPEN_STATUSES } from './requests.ts';
import { first, type Conversation, type Person, type RequestRow } from './rows.ts';

// What Huduma holds about one person (PDPA 2022: the right to know), read in
// one transaction, and who the retention job may erase. bot/privacy shapes it.

export type MessageRow = Pick<typeof messages.$inferSelect, 'id' | 'conversationId' | 'direction' | 'text' | 'author' | 'attachments' | 'channel' | 'createdAt'>;
export type EventRow = typeof requestEvents.$inferSelect;
export type HandoffRow = typeof handoffs.$inferSelect;
export type NoticeRow = typeof notices.$inferSelect;
/** A code sent to prove a phone: never the code's hash. */
export interface ProofRow {
  readonly id: number;
  readonly conversationId: number;
  readonly phone: string;
  readonly channel: string;
  readonly status: string;
  readonly createdAt: Date;
}

export interface HeldRows {
  readonly person: Person;
  readonly identities: readonly { readonly channel: string; readonly externalId: string }[];
  readonly conversations: readonly Conversation[];
  readonly messages: readonly MessageRow[];
  readonly requests: readonly RequestRow[];
  readonly events: readonly EventRow[];
  readonly handoffs: readonly HandoffRow[];
  readonly notices: readonly NoticeRow[];
  readonly phoneProofs: readonly ProofRow[];
  /** The areas their chats follow for planned-outage notices (bot/announcements). */
  readonly subscriptions: readonly SubscriptionRow[];
}

/** The person's requests: theirs, and any filed in one of their conversations. */
export async function requestsOfPerson(tx: Tx, personId: number, conversationIds: readonly number[]): Promise<RequestRow[]> {
  const { requests } = tx.t;
  const inTheirChats = conversationIds.length > 0 ? inArray(requests.conversationId, [...conversationIds]) : undefined;
  return tx.orm
    .select()
    .from(requests)
    .where(inTheirChats ? or(eq(requests.personId, personId), inTheirChats) : eq(requests.personId, personId))
    .orderBy(asc(requests.id));
}

/** Everything stored about a person; undefined when there is no such person. */
export async function heldAbout(tx: Tx, personId: number): Promise<HeldRows | undefined> {
  const t = tx.t;
  const person = first(await tx.orm.select().from(t.people).where(eq(t.people.id, personId)));
  if (!person) return undefined;
  const identities = await tx.orm
    .select({ channel: t.identities.channel, externalId: t.identities.externalId })
    .from(t.identities)
    .where(eq(t.identities.personId, personId))
    .orderBy(asc(t.identities.channel), asc(t.identities.externalId));
  const conversations = await tx.orm.select().from(t.conversations).where(eq(t.conversations.personId, personId)).orderBy(asc(t.conversations.id));
  const conversationIds = conversations.map((c) => c.id);
  const inChats = (column: AnyColumn) => (conversationIds.length > 0 ? inArray(column, conversationIds) : undefined);
  const m = t.messages;
  const messageRows =
    conversationIds.length === 0
      ? []
      : await tx.orm
          .select({ id: m.id, conversationId: m.conversationId, direction: m.direction, text: m.text, author: m.author, attachments: m.attachments, channel: m.channel, createdAt: m.createdAt })
          .from(m)
          .where(inChats(m.conversationId))
          .orderBy(asc(m.id));
  const requests = await requestsOfPerson(tx, personId, conversationIds);
  const requestIds = requests.map((r) => r.id);
  const events =
    requestIds.length === 0 ? [] : await tx.orm.select().from(t.requestEvents).where(inArray(t.requestEvents.requestId, requestIds)).orderBy(asc(t.requestEvents.at), asc(t.requestEvents.id));
  const handoffChats = inChats(t.handoffs.conversationId);
  const handoffs = await tx.orm
    .select()
    .from(t.handoffs)
    .where(handoffChats ? or(eq(t.handoffs.personId, personId), handoffChats) : eq(t.handoffs.personId, personId))
    .orderBy(asc(t.handoffs.id));
  const notices = await tx.orm.select().from(t.notices).where(eq(t.notices.personId, personId)).orderBy(asc(t.notices.id));
  const p = t.phoneProofs;
  const phoneProofs =
    conversationIds.length === 0
      ? []
      : await tx.orm
          .select({ id: p.id, conversationId: p.conversationId, phone: p.phone, channel: p.channel, status: p.status, createdAt: p.createdAt })
          .from(p)
          .where(inChats(p.conversationId))
          .orderBy(asc(p.id));
  const a = t.announcementSubscriptions;
  const subscriptions = conversationIds.length === 0 ? [] : await tx.orm.select().from(a).where(inChats(a.conversationId)).orderBy(asc(a.id));
  return { person, identities, conversations, messages: messageRows, requests, events, handoffs, notices, phoneProofs, subscriptions };
}

/** Just what erasing a person needs to find their rows (no transcript is read). */
export interface ErasureRows {
  readonly person: Person;
  readonly identities: readonly { readonly channel: string; readonly externalId: string }[];
  readonly conversations: readonly { readonly id: number; readonly channel: string; readonly chatId: string }[];
  readonly requestIds: readonly number[];
  readonly proofs: readonly { readonly channel: string; readonly phone: string; readonly createdAt: Date }[];
  /** People merged into this one when a phone was proved, whose kept rows are erased with theirs. */
  readonly merged: readonly number[];
}

export async function erasureRows(tx: Tx, personId: number): Promise<ErasureRows | undefined> {
  const t = tx.t;
  const person = first(await tx.orm.select().from(t.people).where(eq(t.people.id, personId)));
  if (!person) return undefined;
  const identities = await tx.orm.select({ channel: t.identities.channel, externalId: t.identities.externalId }).from(t.identities).where(eq(t.identities.personId, personId));
  const c = t.conversations;
  const conversations = await tx.orm.select({ id: c.id, channel: c.channel, chatId: c.chatId }).from(c).where(eq(c.personId, personId)).orderBy(asc(c.id));
  const ids = conversations.map((x) => x.id);
  const requestIds = (await requestsOfPerson(tx, personId, ids)).map((r) => r.id);
  const p = t.phoneProofs;
  const proofs = ids.length === 0 ? [] : await tx.orm.select({ channel: p.channel, phone: p.phone, createdAt: p.createdAt }).from(p).where(inArray(p.conversationId, ids));
  return { person, identities, conversations, requestIds, proofs, merged: await mergedInto(tx, personId, requestIds) };
}

/**
 * The people once joined into this one when a phone was proved (identity.ts
 * keeps their emptied rows, and says so on each request moved): their rows may
 * still hold a copy of a name or an e-mail.
 */
async function mergedInto(tx: Tx, personId: number, requestIds: readonly number[]): Promise<number[]> {
  if (requestIds.length === 0) return [];
  const e = tx.t.requestEvents;
  const rows = await tx.orm
    .select({ data: e.data })
    .from(e)
    .where(and(inArray(e.requestId, [...requestIds]), eq(e.kind, 'identity_linked')));
  const from = rows.map((r) => (r.data as { from?: unknown; into?: unknown } | null) ?? {}).flatMap((d) => (d.into === personId && typeof d.from === 'number' ? [d.from] : []));
  return [...new Set(from)].filter((id) => id !== personId);
}

/**
 * People the retention job may erase: not erased yet, made before `cutoff`,
 * none of their requests open, and nothing at all since `cutoff` (no message
 * in or out, no change to a conversation, a request or a request's audit
 * trail). Looked for among ids in (`after`, `upTo`], so one read stays short
 * however many people there are (on SQLite a read holds the connection); or
 * `only` that one person, checked again inside the erasing transaction.
 */
export async function dormantPeople(tx: Tx, q: { readonly cutoff: Date } & ({ readonly after: number; readonly upTo: number } | { readonly only: number })): Promise<number[]> {
  const { cutoff } = q;
  const { people, requests, conversations, messages: m, requestEvents: e } = tx.t;
  const orm = tx.orm;
  const recentRequest = orm
    .select({ one: requests.id })
    .from(requests)
    .where(and(eq(requests.personId, people.id), or(inArray(requests.status, [...OPEN_STATUSES]), gte(requests.updatedAt, cutoff))));
  const recentChat = orm
    .select({ one: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.personId, people.id), gte(conversations.updatedAt, cutoff)));
  const recentMessage = orm
    .select({ one: m.id })
    .from(m)
    .innerJoin(conversations, eq(conversations.id, m.conversationId))
    .where(and(eq(conversations.personId, people.id), gte(m.createdAt, cutoff)));
  const recentEvent = orm
    .select({ one: e.id })
    .from(e)
    .innerJoin(requests, eq(requests.id, e.requestId))
    .where(and(eq(requests.personId, people.id), gte(e.at, cutoff)));
  const rows = await orm
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        'only' in q ? eq(people.id, q.only) : and(gt(people.id, q.after), lte(people.id, q.upTo)),
        isNull(people.erasedAt),
        lt(people.createdAt, cutoff),
        not(exists(recentRequest)),
        not(exists(recentChat)),
        not(exists(recentMessage)),
        not(exists(recentEvent)),
      ),
    )
    .orderBy(asc(people.id));
  return rows.map((r) => r.id);
}

/** The highest person id there is (0 with nobody): how far the retention job looks. */
export async function lastPersonId(tx: Tx): Promise<number> {
  const { people } = tx.t;
  return first(await tx.orm.select({ id: max(people.id) }).from(people))?.id ?? 0;
}
