import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { errorCode } from '../../db/store.ts';
import { cannotServeNow } from '../server.ts';
import { decode, encode } from './auth-state.ts';

/** A WhatsApp message the engine has not taken yet. */
export interface Waiting {
  readonly message: InboundMessage;
  /** Baileys' message, kept when it carries media (stored with the turn, so the media can be fetched later). */
  readonly wa?: WAMessage;
  /** Hand-overs tried and failed so far. */
  attempts: number;
}

export interface InboundRetryPolicy {
  /** The first pause after a failed hand-over; it doubles (with jitter) up to maxMs. */
  readonly baseMs: number;
  readonly maxMs: number;
  /**
   * Hand-overs a message gets for a failure that is not "the database cannot
   * serve now" (a defect): then it is set aside, kept on disk for the next
   * start, so that one bad message does not hold up everyone's behind it. A
   * database that is out is waited for without a limit.
   */
  readonly attempts: number;
}

export const DEFAULT_INBOUND_RETRY: InboundRetryPolicy = Object.freeze({ baseMs: 1_000, maxMs: 60_000, attempts: 5 });

export interface PendingOptions {
  /** Stores the message (and its media) through the engine; throws when it was not taken. */
  readonly handOver: (w: Waiting) => Promise<void>;
  readonly log: Logger;
  /** The file messages are kept in while they wait, for the next start; without it they live in memory only. */
  readonly path?: string;
  readonly policy: InboundRetryPolicy;
  /** The pause before the next try after `failures` failed ones (backoff with jitter). */
  readonly delay: (failures: number) => number;
  /** Runs `run` after `ms`; returns what cancels it. */
  readonly schedule: (run: () => void, ms: number) => () => void;
  /** How long stop() tries the waiting messages once more before it keeps them in the file. */
  readonly stopTryMs: number;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** WhatsApp's own id of the message, for the log: the chat's JID before it names a person (a phone number or LID). */
const idOf = (w: Waiting) => w.message.channelMessageId.slice(w.message.channelMessageId.lastIndexOf(':') + 1);

/**
 * WhatsApp messages in, kept until the engine has taken them. Baileys has
 * acknowledged a message to WhatsApp by the time we see it, so WhatsApp never
 * sends it again: a hand-over that fails (the database full, locked or out of
 * reach, the engine restarting) must not drop it. Messages wait in arrival
 * order (a chat's messages reach the engine in order) and are tried again with
 * growing pauses, for as long as the database is out. While any wait they are
 * also written to a file of their own (when the disk lets us), so a stop, or a
 * crash, does not lose them: stop() tries them once more, and keeps the rest
 * for the next start, which hands them over first. Handing one over twice is
 * harmless: the engine answers a message id it has seen with its first answer.
 */
export class PendingInbound {
  private queue: Waiting[] = [];
  /** Messages that failed `attempts` times for a reason other than the database: kept, tried again at the next start. */
  private parked: Waiting[] = [];
  private cancelRetry: (() => void) | undefined;
  /** Hand-overs happen one at a time, in this chain. */
  private chain: Promise<void> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  /** Whether the file may hold messages (loaded, or written while some waited): removed once none wait. */
  private onDisk = false;
  /** Whether the file holds exactly what waits now (its last write succeeded). */
  private current = false;
  private stopped = false;

  constructor(private readonly options: PendingOptions) {}

  /** Messages waiting (in memory) to be taken. */
  get size(): number {
    return this.queue.length + this.parked.length;
  }

  /** Starts handing over again: first what an earlier run kept in the file (and what waited when this one stopped). */
  async start(): Promise<void> {
    this.stopped = false;
    const kept = await this.load();
    // Set aside in an earlier run (or before this one stopped): each gets its tries again.
    const again = this.parked.splice(0).map((w) => ({ ...w, attempts: 0 }));
    this.queue = [...kept, ...again, ...this.queue];
    if (kept.length > 0) {
      this.options.log.info({ messages: kept.length }, 'whatsapp: handing over the messages kept when Huduma last stopped');
    }
    void this.drain();
  }

  /** A message in: handed over at once when none waits before it, else queued behind those. */
  add(w: Waiting): Promise<void> {
    this.queue.push(w);
    return this.drain();
  }

  /**
   * Stops the retries, tries each waiting message once more (the database may
   * be back) within `stopTryMs`, and keeps the rest in the file for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    await this.chain;
    let late = false;
    let cancel: () => void = () => undefined;
    const deadline = new Promise<'late'>((resolve) => {
      cancel = this.options.schedule(() => resolve('late'), this.options.stopTryMs);
    });
    while (this.queue.length > 0) {
      const head = this.queue[0] as Waiting;
      // The try may still finish after the deadline: the message is kept anyway, and handing it over again is harmless.
      const outcome = await Promise.race([this.attempt(head), deadline]);
      if (outcome === 'late') {
        late = true;
        break;
      }
      if (!outcome.ok) {
        head.attempts++;
        break;
      }
      this.queue.shift();
    }
    cancel();
    await this.persist();
    if (this.size === 0) return;
    if (this.options.path && this.current) {
      this.options.log.warn({ messages: this.size, late }, 'whatsapp: messages not yet taken by the engine are kept for the next start');
      // The file holds them now; the next start() reads them back.
      this.queue = [];
      this.parked = [];
    } else {
      this.options.log.error(
        { messages: this.size, messageIds: [...this.parked, ...this.queue].map(idOf) },
        'whatsapp: messages not taken by the engine could not be kept on disk; they wait in memory only, and are lost if Huduma exits now',
      );
    }
  }

  private drain(): Promise<void> {
    this.chain = this.chain.then(() => this.run());
    return this.chain;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.cancelRetry && this.queue.length > 0) {
      const head = this.queue[0] as Waiting;
      const outcome = await this.attempt(head);
      if (outcome.ok) {
        this.queue.shift();
        continue;
      }
      head.attempts++;
      const { error } = outcome;
      const err = { message: errorText(error), code: errorCode(error) };
      const messageId = idOf(head);
      if (!cannotServeNow(error) && head.attempts >= this.options.policy.attempts) {
        this.queue.shift();
        this.parked.push(head);
        this.options.log.error({ messageId, attempts: head.attempts, err }, 'whatsapp message could not be handled; set aside and kept for the next start');
        continue;
      }
      const delayMs = this.options.delay(head.attempts);
      this.options.log[head.attempts === 1 ? 'error' : 'warn'](
        { messageId, attempts: head.attempts, waiting: this.queue.length, delayMs, err },
        'whatsapp message could not be handed to the engine; kept, trying again after a pause',
      );
      this.cancelRetry = this.options.schedule(() => {
        this.cancelRetry = undefined;
        void this.drain();
      }, delayMs);
    }
    await this.persist();
  }

  private async attempt(w: Waiting): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: unknown }> {
    try {
      await this.options.handOver(w);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The file follows what waits: written (whole, then renamed over the old) while any does, removed once none does. */
  private persist(): Promise<void> {
    const path = this.options.path;
    if (!path) return Promise.resolve();
    const entries = [...this.parked, ...this.queue];
    if (entries.length === 0 && !this.onDisk) return this.writes;
    this.writes = this.writes.then(async () => {
      try {
        if (entries.length === 0) {
          await unlink(path).catch((e: unknown) => {
            if (errorCode(e) !== 'ENOENT') throw e;
          });
          this.onDisk = false;
        } else {
          this.onDisk = true;
          this.current = false;
          await writeWhole(path, `${entries.map((w) => encode({ message: w.message, wa: w.wa, attempts: w.attempts })).join('\n')}\n`);
        }
        this.current = true;
      } catch (e) {
        this.current = false;
        this.options.log.error({ file: path, messages: entries.length, err: { message: errorText(e), code: errorCode(e) } }, 'whatsapp: could not keep the waiting messages on disk');
      }
    });
    return this.writes;
  }

  private async load(): Promise<Waiting[]> {
    const path = this.options.path;
    if (!path) return [];
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') this.options.log.error({ file: path, err: { message: errorText(e), code: errorCode(e) } }, 'whatsapp: could not read the messages kept at the last stop');
      return [];
    }
    this.onDisk = true;
    this.current = false;
    const kept: Waiting[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = decode(line) as { message: InboundMessage & { receivedAt: string }; wa?: WAMessage };
        kept.push({ message: { ...entry.message, receivedAt: new Date(entry.message.receivedAt) }, ...(entry.wa ? { wa: entry.wa } : {}), attempts: 0 });
      } catch {
        this.options.log.error({ file: path }, 'whatsapp: a line of the kept messages file is not readable; it is left out');
      }
    }
    // Already in memory (stopped and started again in this process, without a file): not twice.
    const known = new Set([...this.queue, ...this.parked].map((w) => w.message.channelMessageId));
    return kept.filter((w) => !known.has(w.message.channelMessageId));
  }
}

/** Writes a file whole or not at all: a temporary beside it, flushed, then renamed over it. */
async function writeWhole(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
