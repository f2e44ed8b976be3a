import type { Known } from '../../db/queries/conversations.ts';
import { hitRateWindow } from '../../db/queries/rate.ts';
import type { Tx } from '../../db/store.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { storeInbound } from './inbound.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { MetricsSink } from '../metrics.ts';
import type { Clock } from '../sla/clock.ts';
import type { InboundMessage, TurnOutcome } from './types.ts';

/**
 * What a message from one person is, by the limit:
 * - `allowed`: within the limit, answered as usual;
 * - `notify`: the first over the limit in a window, answered with one polite word;
 * - `silent`: over the limit again in that window, stored but not answered.
 */
export type RateDecision = 'allowed' | 'notify' | 'silent';

/** The flood limit the engine asks, in the turn's transaction. */
export interface RateLimit {
  /**
   * A window kept in the database: the message's arrival counts it in the
   * same round trip (PostgreSQL) and passes `hit` the count.
   */
  readonly windowMs?: number;
  hit(tx: Tx, key: string, at: Date, counted?: number): Promise<RateDecision>;
}

/** The key of a person: their channel and their id on it (channel names hold no colon). */
export const rateKeyOf = (message: Pick<InboundMessage, 'channel' | 'senderId'>): string => `${message.channel}:${message.senderId}`;

export interface RateLimiterOptions {
  /** Messages a person may send in a window; 0 or less lets everything through. */
  readonly limit: number;
  /** The window, in ms: one minute unless told. */
  readonly windowMs?: number;
  /** People remembered at most; the least recently active is forgotten first (bounded memory). */
  readonly maxKeys?: number;
  readonly clock: Clock;
}

interface Entry {
  /** When the messages let through in the window arrived, oldest first (at most `limit` of them). */
  hits: number[];
  /** When this person was last told they are writing too fast. */
  noticeAt: number | undefined;
  /** The last message of any kind, to forget idle people. */
  lastAt: number;
}

/**
 * A sliding-window limiter per person (channel + sender): at most `limit`
 * messages are let through in any window. The first message over it gets one
 * polite reply, later ones none, until a message is let through again and a
 * whole window has passed since that reply — so even a steady flood gets at
 * most one such reply a window. Memory is bounded by `maxKeys × limit`
 * timestamps; the state lives in memory, so a restart starts every person afresh.
 */
export class RateLimiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly clock: Clock;
  /** In order of last activity, least recent first (an entry is moved to the end on every message). */
  private readonly entries = new Map<string, Entry>();

  constructor(options: RateLimiterOptions) {
    this.limit = Math.max(0, Math.floor(options.limit));
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.clock = options.clock;
  }

  /** The limit as the engine asks it. In memory, so the transaction is not used: for one instance (SQLite). */
  forEngine(): RateLimit {
    return { hit: async (_tx, key, at) => this.hit(key, at) };
  }

  /** Counts one message of `key` at `at` (the injected clock's now unless given) and says what it is. */
  hit(key: string, at: Date = this.clock.now()): RateDecision {
    if (this.limit <= 0) return 'allowed';
    const now = at.getTime();
    const since = now - this.windowMs;
    const entry = this.entries.get(key) ?? { hits: [], noticeAt: undefined, lastAt: now };
    this.entries.delete(key);
    entry.lastAt = now;
    this.entries.set(key, entry);
    let stale = 0;
    while (stale < entry.hits.length && (entry.hits[stale] as number) <= since) stale++;
    if (stale > 0) entry.hits.splice(0, stale);
    this.forgetIdle(since);
    if (entry.hits.length < this.limit) {
      entry.hits.push(now);
      return 'allowed';
    }
    if (entry.noticeAt === undefined || entry.noticeAt <= since) {
      entry.noticeAt = now;
      return 'notify';
    }
    return 'silent';
  }

  /** How long until `key` may send again (0 when it may now): for a 429's Retry-After. */
  retryAfterMs(key: string, at: Date = this.clock.now()): number {
    const oldest = this.entries.get(key)?.hits[0];
    return oldest === undefined || this.entries.get(key)?.hits.length !== this.limit ? 0 : Math.max(0, oldest + this.windowMs - at.getTime());
  }

  /** How many people are remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private forgetIdle(since: number): void {
    // Least recently active first: stop at the first one still in its window.
    for (const [key, entry] of this.entries) {
      if (entry.lastAt > since && this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}

/**
 * The same limit kept in the database, so that it holds however many
 * instances share it (PostgreSQL): a fixed window per person that starts with
 * their first message, counted by one atomic upsert; the polite reply is
 * claimed by a conditional update, so of two instances only one sends it.
 */
export class SharedRateLimit implements RateLimit {
  readonly windowMs: number;

  constructor(private readonly options: { readonly limit: number; readonly windowMs?: number }) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  hit(tx: Tx, key: string, at: Date, counted?: number): Promise<RateDecision> {
    return hitRateWindow(tx, { key, at, limit: this.options.limit, windowMs: this.windowMs, counted });
  }
}

/**
 * The turn of a message over the limit, in the engine's transaction: the
 * message is stored (staff see it), not understood; on `notify` one polite
 * reply is stored and queued like any reply — unless staff hold the chat,
 * where the bot stays quiet (and the staff group is not flooded either).
 */
export async function rateLimitedTurn(
  tx: Tx,
  deps: { readonly defaultLocale: Locale; readonly deliversByOutbox: (channel: string) => boolean; readonly metrics?: MetricsSink },
  message: InboundMessage,
  now: Date,
  decision: Exclude<RateDecision, 'allowed'>,
  known?: Known,
): Promise<TurnOutcome> {
  // The person has written before (the first messages are always let through), so their language is known.
  const stored = await storeInbound(tx, message, deps.defaultLocale, now, known);
  if (stored.status === 'duplicate') return stored;
  const { person, conversation, inbound } = stored;
  const replies = decision === 'notify' && !conversation.handedOff ? [{ text: translator(person.locale)('chat.rate_limited') }] : [];
  deps.metrics?.count('huduma_messages_in_total', { channel: message.channel });
  deps.metrics?.count('huduma_messages_rate_limited_total', { channel: message.channel });
  deps.metrics?.count('huduma_messages_out_total', { channel: message.channel }, replies.length);
  await insertReplies(tx, { conversationId: conversation.id, channel: message.channel, chatId: message.chatId, replyTo: inbound, replies, at: now, viaOutbox: deps.deliversByOutbox(message.channel) });
  return { status: 'rate_limited', replies };
}
