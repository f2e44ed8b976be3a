import { isConflict, type Store } from '../../db/store.ts';
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

/**
 * Each turn is a transaction of its own. On PostgreSQL, turns of different
 * people commit side by side on pooled connections (PostgreSQL groups the
 * flushes of concurrent commits itself); on SQLite the store commits the turns
 * that arrive together in one group (db/sqlite/store.ts), so the disk's fsync
 * rate is not the bot's. A turn that lost a race with another instance's (the
 * same new person, the same message) is run again, and then finds what the
 * winner committed.
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

export const inboxFor = (options: InboxOptions): Inbox => new TurnPerTransaction(options);
