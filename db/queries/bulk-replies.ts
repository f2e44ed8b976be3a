import type { Tx } from '../store.ts';

// One message to each of many chats (an incident's reporters, an area's
// subscribers), in the caller's transaction: the rows insertReplies writes
// (a transcript row each, and an outbox row for channels that deliver through
// the outbox), a few hundred to a statement instead of two statements a chat.

/** A message to one chat. */
export interface BulkReply {
  readonly conversationId: number;
  readonly channel: string;
  readonly chatId: string;
  readonly text: string;
  /** Whether the channel delivers through the outbox (the web chat reads its transcript instead). */
  readonly viaOutbox: boolean;
}

export interface BulkOptions {
  readonly at: Date;
  /**
   * Messages a second this batch may take of a channel: its rows are spread
   * over time at that pace (each row's first try), so the outbox, which sends
   * the oldest first, keeps room for conversations' own replies meanwhile.
   * Undefined (or 0): all due at once.
   */
  readonly pace?: (channel: string) => number | undefined;
  /**
   * Where this batch's spreading starts on a channel, when it follows an
   * earlier batch of the same send (the time insertBulkReplies returned for
   * it); undefined, or a time already past: `at`.
   */
  readonly from?: (channel: string) => Date | undefined;
}

/** Rows a statement takes: well under SQLite's 32,766 parameters and PostgreSQL's 65,535. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** A channel's spreading: where it starts, and how many of its messages are placed so far. */
interface Spread {
  readonly start: number;
  count: number;
}

/** When each outbox row is first tried: the k-th message of a channel k/pace seconds after its start (`at`, or `from`). */
function firstTries(replies: readonly BulkReply[], o: BulkOptions, spreads: Map<string, Spread>): Date[] {
  return replies.map((r) => {
    const pace = o.pace?.(r.channel);
    if (!pace || pace <= 0) return o.at;
    let s = spreads.get(r.channel);
    if (!s) spreads.set(r.channel, (s = { start: Math.max(o.at.getTime(), o.from?.(r.channel)?.getTime() ?? 0), count: 0 }));
    return new Date(s.start + Math.floor((s.count++ / pace) * 1000));
  });
}

/**
 * Stores each message in its chat's transcript and queues those whose channel
 * delivers through the outbox. Returns, for each paced channel, when a next
 * batch of the same send may start (pass it back as `from`).
 */
export async function insertBulkReplies(tx: Tx, replies: readonly BulkReply[], o: BulkOptions): Promise<Map<string, Date>> {
  const { messages, outbox } = tx.t;
  const at = o.at;
  for (const part of chunks(replies)) {
    await tx.orm.insert(messages).values(part.map((r) => ({ conversationId: r.conversationId, direction: 'out' as const, text: r.text, channel: r.channel, createdAt: at })));
  }
  const queued = replies.filter((r) => r.viaOutbox);
  const spreads = new Map<string, Spread>();
  const tries = firstTries(queued, o, spreads);
  const rows = queued.map((r, i) => ({ conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body: { text: r.text }, nextTryAt: tries[i] ?? at, createdAt: at }));
  for (const part of chunks(rows)) await tx.orm.insert(outbox).values(part);
  const next = new Map<string, Date>();
  for (const [channel, s] of spreads) next.set(channel, new Date(s.start + Math.ceil((s.count / (o.pace?.(channel) ?? 1)) * 1000)));
  return next;
}
