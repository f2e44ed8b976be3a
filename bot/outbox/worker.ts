import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { claim, duePending, markDeferred, markFailed, markRetry, markSent, type OutboxRow } from '../../db/queries/outbox.ts';
import { isUnavailable, type Store } from '../../db/store.ts';
import { backoffMs } from '../backoff.ts';
import type { Clock } from '../sla/clock.ts';
import type { OutboundChannel, SendResult } from './channel.ts';
import { Pacer } from './pacer.ts';

export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
  /** How long a claimed row is left alone before it counts as abandoned (a crash mid-send). */
  readonly leaseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ baseMs: 2_000, maxMs: 10 * 60_000, maxAttempts: 12, leaseMs: 60_000 });

/** A database write that must be made before a lease ends is tried again after these pauses. */
const LEASE_WRITE_RETRY = Object.freeze({ baseMs: 50, maxMs: 2_000 });

/** The least time between two messages to one chat of a channel. */
function gapFor(channel: OutboundChannel): (chatId: string) => number {
  const { perChatPerSecond, perGroupPerMinute } = channel.limits;
  const chatGap = 1000 / perChatPerSecond;
  if (perGroupPerMinute === undefined || !channel.isGroup) return () => chatGap;
  const groupGap = Math.max(chatGap, 60_000 / perGroupPerMinute);
  return (chatId) => (channel.isGroup?.(chatId) ? groupGap : chatGap);
}

const body = z.object({
  text: z.string(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  thread: z.number().int().positive().optional(),
  /** Officers a staff alert names, by their linked Telegram user (the staff group notifies them). */
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })).optional(),
});

export interface OutboxWorkerOptions {
  /**
   * Where the outbox is. On SQLite beside an engine thread, a store of its
   * own that does not wait for locks (busy_timeout 0): its BEGIN is tried
   * again on the event loop's timers rather than sleeping in it (db/sqlite/busy.ts).
   */
  readonly store: Store;
  readonly channels: readonly OutboundChannel[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly retry?: RetryPolicy;
  readonly batchSize?: number;
  readonly random?: () => number;
}

/** Drains the outbox: each pending row is sent through its channel, paced, retried with backoff, or marked failed with the reason. */
export class OutboxWorker {
  private readonly channels: Map<string, { channel: OutboundChannel; pacer: Pacer }>;
  private readonly retry: RetryPolicy;
  private running = false;
  private current: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.channels = new Map(options.channels.map((c) => [c.id, { channel: c, pacer: new Pacer(c.limits.overallPerSecond, gapFor(c)) }]));
  }

  /** One pass over the due rows; returns how many were attempted. */
  async tick(): Promise<number> {
    const { store, clock } = this.options;
    const now = clock.now();
    const waiting = [...this.channels.values()].flatMap((c) => c.pacer.waiting(now.getTime()));
    const rows = await store.read((tx) => duePending(tx, now, this.options.batchSize ?? 100, waiting));
    let attempted = 0;
    for (const row of rows) {
      const entry = this.channels.get(row.channel);
      if (!entry?.pacer.allow(row.chatId, now.getTime())) continue;
      // Each claim commits before the send: the network is never awaited inside a transaction.
      const claimed = await store.transaction((tx) => claim(tx, row.id, now, new Date(now.getTime() + this.retry.leaseMs)));
      if (!claimed) continue;
      attempted++;
      const result = await this.sendOne(entry.channel, claimed);
      await this.record(claimed, result);
    }
    return attempted;
  }

  private async sendOne(channel: OutboundChannel, row: OutboxRow): Promise<SendResult> {
    const parsed = body.safeParse(row.body);
    if (!parsed.success) return { status: 'failed', reason: 'the stored message is not a valid reply' };
    try {
      return await channel.send(row.chatId, parsed.data);
    } catch (e) {
      // A channel should translate its errors; anything it let through is treated as passing.
      return { status: 'retry', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  private async record(row: OutboxRow, result: SendResult): Promise<void> {
    const { store, clock, log } = this.options;
    const now = clock.now();
    await this.untilLeaseEnds(() =>
      store.transaction(async (tx) => {
        if (result.status === 'sent') return markSent(tx, row.id, now, result.providerId);
        if (result.status === 'failed') return markFailed(tx, row.id, result.reason);
        if (result.status === 'deferred') return markDeferred(tx, row.id, new Date(now.getTime() + result.afterMs), result.reason);
        if (row.attempts >= this.retry.maxAttempts) return markFailed(tx, row.id, `gave up after ${row.attempts} attempts: ${result.reason}`);
        const wait = result.afterMs ?? backoffMs(row.attempts, this.retry, this.options.random ?? Math.random);
        return markRetry(tx, row.id, new Date(now.getTime() + wait), result.reason);
      }),
    );
    if (result.status !== 'sent') log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts, status: result.status, reason: result.reason }, 'outbound message not delivered');
  }

  /**
   * What a send came to is written even past a busy or lost database, for as
   * long as the row's lease holds: giving up would leave a sent row to be sent
   * again when its lease ends. (The store's own retry of a busy BEGIN is
   * shorter than a lease.)
   */
  private async untilLeaseEnds(write: () => Promise<void>): Promise<void> {
    for (let failures = 1, waited = 0; ; failures++) {
      try {
        return await write();
      } catch (error) {
        if (!isUnavailable(error) || waited >= this.retry.leaseMs) throw error;
      }
      const wait = backoffMs(failures, LEASE_WRITE_RETRY);
      await sleep(wait);
      waited += wait;
    }
  }

  /** Ticks every `intervalMs` until stopped. */
  start(intervalMs = 500): void {
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.current = this.tick()
        .catch((e: unknown) => this.options.log.error({ err: e instanceof Error ? e.message : String(e) }, 'outbox pass failed'))
        .finally(() => {
          if (this.running) this.timer = setTimeout(loop, intervalMs);
        });
    };
    loop();
  }

  /** Stops taking rows and waits for the send in flight; what is left stays pending for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
