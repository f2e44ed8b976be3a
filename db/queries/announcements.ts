import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { ANNOUNCEMENT_NOTICE_KINDS, announcements, announcementSubscriptions, BothLanguages } from '../schema.ts';
import type { Tx } from '../store.ts';
import { chunked } from './incident-reports.ts';
import { areaAndAbove } from './incidents.ts';
import { first } from './rows.ts';

// Planned-outage announcements: the notices staff publish, the chats that
// subscribed to an area, and who was told what (bot/announcements/ decides;
// this reads and writes).

export type AnnouncementRow = typeof announcements.$inferSelect;
export type SubscriptionRow = typeof announcementSubscriptions.$inferSelect;
export type NoticeKind = (typeof ANNOUNCEMENT_NOTICE_KINDS)[number];
export type Reason = BothLanguages<string>;

/** The column holds `area` or a key under it (LIKE's own characters taken literally). */
function atOrUnder(column: AnyColumn, area: string): SQL {
  const below = `${area.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
  return or(eq(column, area), sql`${column} like ${below} escape '\\'`) as SQL;
}

/** The column's area and `area` overlap: one is the other or lies within it (a subscriber of Ubungo hears of Sinza, one of Sinza Mori too). */
const overlaps = (column: AnyColumn, area: string): SQL => or(atOrUnder(column, area), inArray(column, areaAndAbove(area))) as SQL;

export interface NewAnnouncement {
  readonly area: string;
  readonly areaLabel: string;
  readonly day: string;
  readonly fromTime: string;
  readonly toTime: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly tellAt: Date;
  readonly reason: Reason;
  readonly createdBy: number;
  readonly at: Date;
}

export async function insertAnnouncement(tx: Tx, a: NewAnnouncement): Promise<AnnouncementRow> {
  const row = first(
    await tx.orm
      .insert(tx.t.announcements)
      .values({ ...a, status: 'published', createdAt: a.at, updatedAt: a.at })
      .returning(),
  );
  if (!row) throw new Error('the announcement was not written');
  return row;
}

export async function announcementById(tx: Tx, id: number): Promise<AnnouncementRow | undefined> {
  return first(await tx.orm.select().from(tx.t.announcements).where(eq(tx.t.announcements.id, id)));
}

/** An announcement about to be changed, held until the transaction ends (on PostgreSQL the row is locked: two cancellations take turns). */
export async function announcementToChange(tx: Tx, id: number): Promise<AnnouncementRow | undefined> {
  if (tx.dialect !== 'postgres') return announcementById(tx, id);
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { announcements: a } = tx.t as unknown as typeof pgSchema;
  const row: AnnouncementRow | undefined = first(await orm.select().from(a).where(eq(a.id, id)).for('update'));
  return row;
}

/** Calls a published announcement off; undefined when it is not published (any more). */
export async function cancelAnnouncement(tx: Tx, id: number, c: { at: Date; by: number }): Promise<AnnouncementRow | undefined> {
  const { announcements: a } = tx.t;
  return first(
    await tx.orm
      .update(a)
      .set({ status: 'cancelled', cancelledAt: c.at, cancelledBy: c.by, updatedAt: c.at })
      .where(and(eq(a.id, id), eq(a.status, 'published')))
      .returning(),
  );
}

/** Which announcements a list shows: those still to come or under way, those over, those called off, or all. */
export type AnnouncementFilter = 'live' | 'ended' | 'cancelled' | 'all';

export async function listAnnouncements(tx: Tx, which: AnnouncementFilter, now: Date, limit: number): Promise<AnnouncementRow[]> {
  const { announcements: a } = tx.t;
  const where =
    which === 'live'
      ? and(eq(a.status, 'published'), gt(a.endsAt, now))
      : which === 'ended'
        ? and(eq(a.status, 'published'), lte(a.endsAt, now))
        : which === 'cancelled'
          ? eq(a.status, 'cancelled')
          : undefined;
  // What is coming first for the live list; the latest first for the others.
  const order = which === 'live' ? [asc(a.startsAt), asc(a.id)] : [desc(a.startsAt), desc(a.id)];
  return tx.orm
    .select()
    .from(a)
    .where(where)
    .orderBy(...order)
    .limit(limit);
}

export type NoticeCounts = Record<NoticeKind, number>;

/** How many chats were told each kind of notice, per announcement. */
export async function noticeCounts(tx: Tx, ids: readonly number[]): Promise<Map<number, NoticeCounts>> {
  const out = new Map<number, NoticeCounts>();
  if (ids.length === 0) return out;
  const { announcementNotices: n } = tx.t;
  const rows = await tx.orm
    .select({ id: n.announcementId, kind: n.kind, count: count() })
    .from(n)
    .where(inArray(n.announcementId, [...ids]))
    .groupBy(n.announcementId, n.kind);
  for (const id of ids) out.set(id, { before: 0, ended: 0, cancelled: 0 });
  for (const r of rows) {
    const counts = out.get(r.id);
    if (counts) counts[r.kind] = Number(r.count);
  }
  return out;
}

/** How many chats subscribed to an area overlapping this one. */
export async function subscriberCount(tx: Tx, area: string): Promise<number> {
  const { announcementSubscriptions: s } = tx.t;
  const row = first(
    await tx.orm
      .select({ n: sql<number>`count(distinct ${s.conversationId})`.mapWith(Number) })
      .from(s)
      .where(overlaps(s.area, area)),
  );
  return row?.n ?? 0;
}

/** Published announcements not over yet whose area overlaps `area`, the soonest first. */
export async function liveAnnouncementsFor(tx: Tx, area: string, now: Date, limit: number): Promise<AnnouncementRow[]> {
  const { announcements: a } = tx.t;
  return tx.orm
    .select()
    .from(a)
    .where(and(eq(a.status, 'published'), gt(a.endsAt, now), overlaps(a.area, area)))
    .orderBy(asc(a.startsAt), asc(a.id))
    .limit(limit);
}

/** The published announcement under way at `now` whose area holds `area` (the nearest around it). */
export async function underWayAt(tx: Tx, area: string, now: Date): Promise<AnnouncementRow | undefined> {
  const { announcements: a } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(a)
      .where(and(eq(a.status, 'published'), lte(a.startsAt, now), gt(a.endsAt, now), inArray(a.area, areaAndAbove(area))))
      .orderBy(desc(sql`length(${a.area})`), asc(a.id))
      .limit(1),
  );
}

/**
 * Announcements with notices to send at `now`: published ones whose first
 * notice is due and not yet sent to all, or that have ended and not yet said
 * so to all; cancelled ones whose cancellation is not yet told to all.
 */
export async function announcementsWithWork(tx: Tx, now: Date): Promise<AnnouncementRow[]> {
  const { announcements: a } = tx.t;
  const published = eq(a.status, 'published');
  return tx.orm
    .select()
    .from(a)
    .where(or(and(published, isNull(a.beforeDoneAt), lte(a.tellAt, now)), and(published, isNull(a.endedDoneAt), lte(a.endsAt, now)), and(eq(a.status, 'cancelled'), isNull(a.cancelDoneAt))))
    .orderBy(asc(a.id));
}

/** A chat to tell, in its person's language. */
export interface Listener {
  readonly conversationId: number;
  readonly channel: string;
  readonly chatId: string;
  readonly locale: 'sw' | 'en';
}

/** A batch of chats to tell, in conversation order: `last` is where the next batch starts after; `full` when there may be more. */
export interface Listeners {
  readonly chats: readonly Listener[];
  readonly last: number | undefined;
  readonly full: boolean;
}

/**
 * The next chats to tell a kind of notice, after the conversation `after`, at
 * most `limit` rows: those subscribed to an area overlapping the
 * announcement's; for a cancellation, those of them told it was coming. Read
 * in conversation order from where the last batch ended (no look at who was
 * told: markTold keeps it to once), so each batch costs the same however many
 * were told before it, whatever the planner knows of the tables.
 */
export async function nextListeners(tx: Tx, a: { id: number; area: string; kind: NoticeKind; after: number; limit: number }): Promise<Listeners> {
  const { announcementSubscriptions: s, announcementNotices: n, conversations: c, people: p } = tx.t;
  const rows =
    a.kind === 'cancelled'
      ? await tx.orm
          .select({ conversationId: n.conversationId, channel: c.channel, chatId: c.chatId, locale: p.locale })
          .from(n)
          .innerJoin(s, eq(s.conversationId, n.conversationId))
          .innerJoin(c, eq(c.id, n.conversationId))
          .innerJoin(p, eq(p.id, c.personId))
          .where(and(eq(n.announcementId, a.id), eq(n.kind, 'before'), gt(n.conversationId, a.after), overlaps(s.area, a.area)))
          .orderBy(asc(n.conversationId))
          .limit(a.limit)
      : await tx.orm
          .select({ conversationId: s.conversationId, channel: c.channel, chatId: c.chatId, locale: p.locale })
          .from(s)
          .innerJoin(c, eq(c.id, s.conversationId))
          .innerJoin(p, eq(p.id, c.personId))
          .where(and(overlaps(s.area, a.area), gt(s.conversationId, a.after)))
          .orderBy(asc(s.conversationId))
          .limit(a.limit);
  // A chat subscribed to two overlapping areas (Sinza and a street of it) comes twice: it is told once.
  const chats = [...new Map(rows.map((r) => [r.conversationId, r])).values()];
  return { chats, last: rows.at(-1)?.conversationId, full: rows.length >= a.limit };
}

/**
 * Records that these chats are told this kind of notice; returns those not
 * told it before. The row is the promise of exactly once: only the
 * transaction that wrote it queues the message.
 */
export async function markTold(tx: Tx, m: { announcementId: number; kind: NoticeKind; conversationIds: readonly number[]; at: Date }): Promise<Set<number>> {
  const told = new Set<number>();
  const { announcementNotices: n } = tx.t;
  for (const part of chunked(m.conversationIds)) {
    const rows = await tx.orm
      .insert(n)
      .values(part.map((conversationId) => ({ announcementId: m.announcementId, kind: m.kind, conversationId, at: m.at })))
      .onConflictDoNothing()
      .returning({ conversationId: n.conversationId });
    for (const x of rows) told.add(x.conversationId);
  }
  return told;
}

const DONE_COLUMN = { before: 'beforeDoneAt', ended: 'endedDoneAt', cancelled: 'cancelDoneAt' } as const;

/** Every chat has been told this kind of notice (or the moment for it passed): the sender looks no more. */
export async function markDone(tx: Tx, id: number, kind: NoticeKind, at: Date): Promise<void> {
  const { announcements: a } = tx.t;
  await tx.orm
    .update(a)
    .set({ [DONE_COLUMN[kind]]: at })
    .where(eq(a.id, id));
}

/** Where the next batch's messages start on each channel, and where each kind's batches have reached. */
export async function setProgress(tx: Tx, id: number, progress: { paced: Record<string, number>; cursors: Partial<Record<NoticeKind, number>> }): Promise<void> {
  const { announcements: a } = tx.t;
  await tx.orm.update(a).set({ pacedUntil: progress.paced, cursors: progress.cursors }).where(eq(a.id, id));
}

/** Subscribes a chat to an area; false when it already was. */
export async function subscribe(tx: Tx, s: { conversationId: number; area: string; areaLabel: string; at: Date }): Promise<boolean> {
  const rows = await tx.orm
    .insert(tx.t.announcementSubscriptions)
    .values({ conversationId: s.conversationId, area: s.area, areaLabel: s.areaLabel, createdAt: s.at })
    .onConflictDoNothing()
    .returning({ id: tx.t.announcementSubscriptions.id });
  return rows.length > 0;
}

/** A person's subscriptions over all their chats, the oldest first. */
export async function subscriptionsOf(tx: Tx, personId: number): Promise<SubscriptionRow[]> {
  const { announcementSubscriptions: s, conversations: c } = tx.t;
  const rows = await tx.orm.select({ s }).from(s).innerJoin(c, eq(c.id, s.conversationId)).where(eq(c.personId, personId)).orderBy(asc(s.id));
  return rows.map((r) => r.s);
}

/** Ends subscriptions by their ids. */
export async function unsubscribe(tx: Tx, ids: readonly number[]): Promise<void> {
  const { announcementSubscriptions: s } = tx.t;
  for (const part of chunked(ids)) await tx.orm.delete(s).where(inArray(s.id, part));
}

/** A chat that is told this kind of notice now, in a caller's turn (a new subscriber told of what is coming). */
export async function toldNow(tx: Tx, m: { announcementId: number; kind: NoticeKind; conversationId: number; at: Date }): Promise<boolean> {
  return (await markTold(tx, { announcementId: m.announcementId, kind: m.kind, conversationIds: [m.conversationId], at: m.at })).size > 0;
}

/** The channel a conversation is on (where a reply is read: SMS or a chat). */
export async function conversationChannel(tx: Tx, id: number): Promise<string | undefined> {
  const { conversations: c } = tx.t;
  return first(await tx.orm.select({ channel: c.channel }).from(c).where(eq(c.id, id)))?.channel;
}
