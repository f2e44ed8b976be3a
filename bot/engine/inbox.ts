import { isConflict, type Store, type Tx } from '../../db/store.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { Engine } from './engine.ts';
import type { InboundMessage, TurnOutcome } from './types.ts';

/** Where channels hand messages: each resolves once its turn is committed, so an acknowledged message is durable. */
export interface Inbox {
  /** `understood`: the message's understanding when the caller already has it. Rejects when the commit (or the turn) failed. */
  submit(message: InboundMessage, understood?: Understanding): Promise<TurnOutcome>;
  /** Resolves when everything submitted so far is committed and answered. */
  drain(): Promise<void>;
}

export interface InboxOptions {
  readonly store: Store;
  readonly engine: Engine;
}

interface Waiting {
  readonly message: InboundMessage;
  readonly understood: Understanding | undefined;
  resolve(outcome: TurnOutcome): void;
  reject(error: unknown): void;
}

type Settled = { readonly ok: true; readonly outcome: TurnOutcome } | { readonly ok: false; readonly error: unknown };

/**
 * SQLite: turns messages into answers several at a time, in one transaction.
 *
 * With synchronous=FULL every commit waits for the disk; one commit per
 * message would cap the bot at the disk's fsync rate. Messages that arrive
 * while a batch commits are taken together next: each runs in its own
 * savepoint (a message that fails leaves the others whole), and every caller
 * is answered only after the one commit. Nothing waits on a timer: a lone
 * message is committed at once.
 */
export class GroupCommit implements Inbox {
  private queue: Waiting[] = [];
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private readonly maxBatch: number;

  constructor(private readonly options: InboxOptions & { /** Most messages one transaction takes; the rest wait for the next. */ readonly maxBatch?: number }) {
    this.maxBatch = options.maxBatch ?? 256;
  }

  readonly submit = (message: InboundMessage, understood?: Understanding): Promise<TurnOutcome> =>
    new Promise<TurnOutcome>((resolve, reject) => {
      this.queue.push({ message, understood, resolve, reject });
      if (this.busy) return;
      this.busy = true;
      this.idle = new Promise((r) => (this.markIdle = r));
      setImmediate(() => void this.flush());
    });

  drain(): Promise<void> {
    return this.idle;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let settled: Settled[];
      try {
        settled = await this.options.store.transaction(async (tx) => {
          const out: Settled[] = [];
          for (const w of batch) out.push(await this.turn(tx, w));
          return out;
        });
      } catch (error) {
        // BEGIN or COMMIT failed (busy, read-only, disk full): nothing of the batch is stored.
        settled = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((w, i) => {
        const s = settled[i];
        if (s?.ok) w.resolve(s.outcome);
        else w.reject(s?.error);
      });
      // Let the answers go out, and more messages arrive, before the next batch.
      if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.busy = false;
    this.markIdle();
  }

  private async turn(tx: Tx, w: Waiting): Promise<Settled> {
    try {
      return { ok: true, outcome: await tx.savepoint((inner) => this.options.engine.turn(inner, w.message, w.understood)) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/**
 * PostgreSQL: each turn is a transaction of its own on a pooled connection,
 * so turns of different people commit side by side (PostgreSQL groups the
 * flushes of concurrent commits itself). A turn that lost a race with another
 * instance's (the same new person, the same message) is run again, and then
 * finds what the winner committed.
 */
export class TurnPerTransaction implements Inbox {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: InboxOptions & { readonly attempts?: number }) {}

  readonly submit = (message: InboundMessage, understood?: Understanding): Promise<TurnOutcome> => {
    const turn = this.run(message, understood);
    const tracked = turn.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
    return turn;
  };

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(message: InboundMessage, understood: Understanding | undefined): Promise<TurnOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.store.transaction((tx) => this.options.engine.turn(tx, message, understood));
      } catch (error) {
        if (attempt >= (this.options.attempts ?? 3) || !isConflict(error)) throw error;
      }
    }
  }
}

/** The inbox that suits the store: batched commits on SQLite's one writer, concurrent transactions on PostgreSQL. */
export const inboxFor = (options: InboxOptions): Inbox => (options.store.dialect === 'sqlite' ? new GroupCommit(options) : new TurnPerTransaction(options));
