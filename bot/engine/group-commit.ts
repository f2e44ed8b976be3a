import type { Db } from '../../db/client.ts';
import type { Engine } from './engine.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { InboundMessage, TurnOutcome } from './types.ts';

export interface GroupCommitOptions {
  readonly db: Db;
  readonly engine: Engine;
  /** Most messages one transaction takes; the rest wait for the next. */
  readonly maxBatch?: number;
}

interface Waiting {
  readonly message: InboundMessage;
  readonly understood: Understanding | undefined;
  resolve(outcome: TurnOutcome): void;
  reject(error: unknown): void;
}

type Settled = { readonly ok: true; readonly outcome: TurnOutcome } | { readonly ok: false; readonly error: unknown };

/**
 * Turns messages into answers several at a time, in one SQLite transaction.
 *
 * With synchronous=FULL every commit waits for the disk; one commit per
 * message would cap the bot at the disk's fsync rate. Messages that arrive
 * while the event loop is busy are taken together at the next turn of the
 * loop: each runs in its own savepoint (a message that fails leaves the
 * others whole), and every caller is answered only after the one commit, so
 * an acknowledged message is on disk. Nothing waits on a timer: a lone
 * message is committed at once.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private readonly maxBatch: number;

  constructor(private readonly options: GroupCommitOptions) {
    this.maxBatch = options.maxBatch ?? 256;
  }

  /** Resolves with the turn's outcome once it is committed; rejects when the commit (or the turn) failed. */
  /** `understood`: the message's understanding when the caller already has it (the engine thread's main thread computes it). */
  readonly submit = (message: InboundMessage, understood?: Understanding): Promise<TurnOutcome> =>
    new Promise<TurnOutcome>((resolve, reject) => {
      this.queue.push({ message, understood, resolve, reject });
      this.schedule();
    });

  /** Resolves when everything submitted so far is committed and answered. */
  drain(): Promise<void> {
    return this.idle;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.queue.length === 1) this.idle = new Promise((r) => (this.markIdle = r));
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    let settled: Settled[];
    try {
      settled = this.options.db.transaction(() => batch.map((w) => this.turn(w.message, w.understood)), { behavior: 'immediate' });
    } catch (error) {
      // BEGIN or COMMIT failed (busy, read-only, disk full): nothing of the batch is stored.
      settled = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((w, i) => {
      const s = settled[i];
      if (s?.ok) w.resolve(s.outcome);
      else w.reject(s?.error);
    });
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    } else this.markIdle();
  }

  private turn(message: InboundMessage, understood: Understanding | undefined): Settled {
    try {
      // The engine's own transaction becomes a savepoint inside ours.
      return { ok: true, outcome: this.options.engine.handleInbound(message, understood) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
