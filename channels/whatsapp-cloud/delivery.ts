import type { Clock } from '../../bot/sla/clock.ts';
import { outboxByProviderId, recordDelivery, requeue } from '../../db/queries/outbox.ts';
import type { Store } from '../../db/store.ts';
import type { DeliveryStatus } from './payload.ts';

/** Why Meta could not deliver a message, from a `failed` status webhook. */
export interface DeliveryError {
  readonly code: number;
  readonly title: string;
}

/**
 * Where a sent message's fate is kept. `send` remembers Meta's id for it
 * (wamid); status webhooks record sent / delivered / read / failed against that
 * id. Backed by the outbox row in production (see the report for the columns).
 */
export interface DeliveryLog {
  remember(wamid: string, chatId: string): Promise<void>;
  /** Resolves once the status is kept: the webhook is answered after it, so Meta posts it again if it was not. */
  record(wamid: string, status: DeliveryStatus, error?: DeliveryError): Promise<void>;
}

/** Meta's "re-engagement" error: the message fell outside the 24-hour customer-service window. */
const REENGAGEMENT = 131047;

const RANK: Readonly<Record<DeliveryStatus, number>> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Whether `next` should replace `current`. Meta's webhooks arrive in any
 * order (a `read` can come before its `delivered`): a status never goes back,
 * and `failed` always stands, as staff must see it.
 */
export function supersedes(current: DeliveryStatus | undefined, next: DeliveryStatus): boolean {
  return current === undefined || RANK[next] > RANK[current];
}

export interface DeliveryEntry {
  readonly chatId: string;
  readonly status?: DeliveryStatus;
  readonly error?: DeliveryError;
}

/** A DeliveryLog in memory, for tests and until the outbox holds Meta's ids; keeps the latest `capacity` messages. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly entries = new Map<string, DeliveryEntry>();

  constructor(private readonly capacity = 10_000) {}

  async remember(wamid: string, chatId: string): Promise<void> {
    this.entries.set(wamid, { chatId });
    // A Map iterates in insertion order: the first key is the oldest message.
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  async record(wamid: string, status: DeliveryStatus, error?: DeliveryError): Promise<void> {
    const entry = this.entries.get(wamid);
    if (!entry || !supersedes(entry.status, status)) return;
    this.entries.set(wamid, { chatId: entry.chatId, status, ...(error ? { error } : {}) });
  }

  get(wamid: string): DeliveryEntry | undefined {
    return this.entries.get(wamid);
  }
}

/**
 * The DeliveryLog of production: statuses are written on the outbox row that
 * sent the message (found by Meta's id, which the worker stored with it).
 */
export class OutboxDeliveryLog implements DeliveryLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  // The worker stores the id on the row when the send returns it; nothing to do here.
  async remember(): Promise<void> {}

  async record(wamid: string, status: DeliveryStatus, error?: DeliveryError): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const row = await outboxByProviderId(tx, wamid);
      if (!row || !supersedes(row.deliveryStatus ?? undefined, status)) return;
      // Outside the 24-hour window (131047): the channel now knows the chat is closed, so sending the row again goes as the template.
      if (status === 'failed' && error?.code === REENGAGEMENT) return requeue(tx, row.id, now, `${error.code} ${error.title}`);
      await recordDelivery(tx, row.id, status, error ? `${error.code} ${error.title}` : undefined);
    });
  }
}
