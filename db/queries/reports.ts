import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '../store.ts';

/** What decides whether a request kept the charter's promise (bot/staff/reports.ts outcomeOf). */
export interface OutcomeFields {
  readonly charterLine: number;
  readonly service: string;
  readonly status: 'received' | 'in_progress' | 'waiting_for_customer' | 'resolved' | 'closed' | 'cancelled';
  readonly dueAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly pausedSince: Date | null;
  readonly updatedAt: Date;
}

/** Requests created in [from, to), oldest first, with their assignee's name: the rows of the CSV export. */
export async function requestsCreatedBetween(tx: Tx, from: Date, to: Date) {
  const { requests, staff } = tx.t;
  return tx.orm
    .select({
      reference: requests.reference,
      service: requests.service,
      charterLine: requests.charterLine,
      status: requests.status,
      createdAt: requests.createdAt,
      dueAt: requests.dueAt,
      resolvedAt: requests.resolvedAt,
      pausedSince: requests.pausedSince,
      updatedAt: requests.updatedAt,
      assignee: staff.name,
      team: requests.team,
      rating: requests.rating,
    })
    .from(requests)
    .leftJoin(staff, eq(staff.id, requests.assigneeId))
    .where(and(gte(requests.createdAt, from), lt(requests.createdAt, to)))
    .orderBy(asc(requests.createdAt), asc(requests.id));
}

/** Only what the compliance report counts, for requests created in [from, to). */
export async function outcomesBetween(tx: Tx, from: Date, to: Date): Promise<OutcomeFields[]> {
  const { requests } = tx.t;
  return tx.orm
    .select({
      charterLine: requests.charterLine,
      service: requests.service,
      status: requests.status,
      dueAt: requests.dueAt,
      resolvedAt: requests.resolvedAt,
      pausedSince: requests.pausedSince,
      updatedAt: requests.updatedAt,
    })
    .from(requests)
    .where(and(gte(requests.createdAt, from), lt(requests.createdAt, to)));
}
