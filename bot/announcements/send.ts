import type { Logger } from 'pino';
import { announcementsWithWork, announcementToChange, markDone, markTold, nextListeners, setProgress, type AnnouncementRow, type NoticeKind } from '../../db/queries/announcements.ts';
import { insertBulkReplies, type BulkReply } from '../../db/queries/bulk-replies.ts';
import type { Store } from '../../db/store.ts';
import type { Clock } from '../sla/clock.ts';
import { noticeText } from './words.ts';

// Telling an area's subscribers, a batch at a time: the leader looks every
// ANNOUNCEMENT_SWEEP_MS and, for each announcement with notices due, queues
// one batch (ANNOUNCEMENT_BATCH_SIZE chats) of each kind in a transaction of
// its own, so conversations' turns are committed between two batches. Each
// chat is told each kind once: its notice row (announcement_notices) is
// written in the transaction that queues the message. The messages of one
// notice keep to half of each channel's pace from batch to batch, so the
// outbox, which sends the oldest first, keeps room for conversations' own
// replies.

/** How often the leader looks for notices to send. */
export const ANNOUNCEMENT_SWEEP_MS = 2_000;

export interface SenderDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly deliversByOutbox: (channel: string) => boolean;
  /** Each channel's sending pace (messages a second), when known: a notice's messages take at most half of it. */
  readonly outboundPace?: (channel: string) => number | undefined;
  /** Chats told in one transaction. */
  readonly batch: number;
}

/** What one look did. */
export interface SweepReport {
  /** Chats told in this look. */
  readonly told: number;
  /** Whether some notice has more chats to tell (the next look goes on). */
  readonly more: boolean;
}

/** The kinds of notice due for an announcement at `now`, in the order they are told. */
export function kindsDue(a: AnnouncementRow, now: Date): NoticeKind[] {
  const t = now.getTime();
  if (a.status === 'cancelled') return a.cancelDoneAt ? [] : ['cancelled'];
  return [...(!a.beforeDoneAt && a.tellAt.getTime() <= t ? (['before'] as const) : []), ...(!a.endedDoneAt && a.endsAt.getTime() <= t ? (['ended'] as const) : [])];
}

export class AnnouncementSender {
  constructor(private readonly deps: SenderDeps) {}

  /** One look: a batch of each notice due. */
  async sweep(now: Date = this.deps.clock.now()): Promise<SweepReport> {
    const work = await this.deps.store.read((tx) => announcementsWithWork(tx, now));
    let told = 0;
    let more = false;
    for (const a of work)
      for (const kind of kindsDue(a, now)) {
        const done = await this.batch(a.id, kind, now);
        told += done.told;
        more ||= done.more;
      }
    if (told > 0) this.deps.log.info({ told, more }, 'planned-outage notices queued');
    return { told, more };
  }

  /** One batch of one kind, in a transaction of its own; the announcement row is held meanwhile (PostgreSQL: another instance waits, then finds the chats told). */
  private batch(id: number, kind: NoticeKind, now: Date): Promise<SweepReport> {
    const { batch } = this.deps;
    return this.deps.store.transaction(async (tx): Promise<SweepReport> => {
      const a = await announcementToChange(tx, id);
      if (!a || !kindsDue(a, now).includes(kind)) return { told: 0, more: false };
      // Over before everyone heard it was coming (the server was down): it is not said any more; "it is over" is.
      if (kind === 'before' && a.endsAt.getTime() <= now.getTime()) {
        await markDone(tx, id, kind, now);
        return { told: 0, more: false };
      }
      const after = a.cursors?.[kind] ?? 0;
      const batchOf = await nextListeners(tx, { id, area: a.area, kind, after, limit: batch });
      const told = await markTold(tx, { announcementId: id, kind, conversationIds: batchOf.chats.map((l) => l.conversationId), at: now });
      const replies: BulkReply[] = batchOf.chats
        .filter((l) => told.has(l.conversationId))
        .map((l) => ({
          conversationId: l.conversationId,
          channel: l.channel,
          chatId: l.chatId,
          text: noticeText(l.locale, l.channel, kind, a),
          viaOutbox: this.deps.deliversByOutbox(l.channel),
        }));
      const paced = a.pacedUntil ?? {};
      const next = await insertBulkReplies(tx, replies, { at: now, pace: this.pace(), from: (channel) => (paced[channel] ? new Date(paced[channel]) : undefined) });
      const more = batchOf.full;
      if (batchOf.last !== undefined)
        await setProgress(tx, id, {
          paced: { ...paced, ...Object.fromEntries([...next].map(([channel, at]) => [channel, at.getTime()])) },
          cursors: { ...a.cursors, [kind]: batchOf.last },
        });
      if (!more) await markDone(tx, id, kind, now);
      return { told: replies.length, more };
    });
  }

  /** Half of each channel's pace, where it is known. */
  private pace(): ((channel: string) => number | undefined) | undefined {
    const pace = this.deps.outboundPace;
    return pace ? (channel: string) => (pace(channel) ?? 0) / 2 || undefined : undefined;
  }
}
