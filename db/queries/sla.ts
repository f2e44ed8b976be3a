import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, people, requests } from '../schema.ts';
import { msOrNull, prepared } from './prepared.ts';
import type { RequestRow } from './requests.ts';

export interface SlaDue {
  readonly request: RequestRow;
  readonly locale: 'sw' | 'en';
  /** Where the customer wrote from; missing for a request staff filed without a conversation. */
  readonly chat?: { readonly conversationId: number; readonly channel: string; readonly chatId: string };
}

/** The query behind dueForSla, for EXPLAIN in tests. */
export function dueForSlaQuery(tx: Tx, now: Date, limit: number) {
  return tx
    .select({ request: requests, locale: people.locale, conversationId: conversations.id, channel: conversations.channel, chatId: conversations.chatId })
    .from(requests)
    .innerJoin(people, eq(people.id, requests.personId))
    .leftJoin(conversations, eq(conversations.id, requests.conversationId))
    .where(and(isNotNull(requests.slaNextAt), lte(requests.slaNextAt, now)))
    .orderBy(asc(requests.slaNextAt))
    .limit(limit);
}

/** Requests with an SLA step due at `now`, earliest first: a seek on the partial index `requests_sla_next`, never a scan. */
export function dueForSla(tx: Tx, now: Date, limit: number): SlaDue[] {
  return dueForSlaQuery(tx, now, limit)
    .all()
    .map((r) => ({
      request: r.request,
      locale: r.locale,
      ...(r.conversationId !== null && r.channel !== null && r.chatId !== null ? { chat: { conversationId: r.conversationId, channel: r.channel, chatId: r.chatId } } : {}),
    }));
}

/**
 * Moves a request to its next SLA step, only if it is still at the step the
 * caller read: of two sweeps at once, one wins and the other does nothing.
 */
export function advanceSla(tx: Tx, id: number, from: RequestRow['slaStage'], to: RequestRow['slaStage'], nextAt: Date | null): boolean {
  return prepared(tx).advanceSla.run({ id, from, to, nextAtMs: msOrNull(nextAt) }).changes > 0;
}
