import type Database from 'better-sqlite3';
import type { Db } from '../client.ts';
import type { people, requests } from '../schema.ts';
import { prepareSlaWrites, type Chat } from './sla-writes.ts';

type SlaStage = (typeof requests.$inferSelect)['slaStage'];

/** What the SLA watch reads of a request with a step due; times in ms. */
export interface SlaDue {
  readonly id: number;
  readonly reference: string;
  readonly charterLine: number;
  readonly status: (typeof requests.$inferSelect)['status'];
  readonly createdAt: number;
  readonly dueAt: number | null;
  readonly pausedMs: number;
  readonly slaStage: SlaStage;
  readonly locale: (typeof people.$inferSelect)['locale'];
  /** Where the customer wrote from; missing for a request staff filed without a conversation. */
  readonly chat?: Chat;
}

/** Requests with an SLA step due at `?`, earliest first: a seek on the partial index `requests_sla_next`, never a scan. */
export const DUE_FOR_SLA_SQL = `select requests.id, requests.reference, requests.charter_line, requests.status, requests.created_at, requests.due_at, requests.paused_ms, requests.sla_stage,
    people.locale, conversations.id, conversations.channel, conversations.chat_id
  from requests inner join people on people.id = requests.person_id left join conversations on conversations.id = requests.conversation_id
  where requests.sla_next_at is not null and requests.sla_next_at <= ? order by requests.sla_next_at limit ?`;

type DueRow = [number, string, number, SlaDue['status'], number, number | null, number, SlaStage, SlaDue['locale'], number | null, string | null, string | null];

/**
 * The sweep's statements, prepared once per connection and run by
 * better-sqlite3 itself: through drizzle, mapping the rows and filling the
 * placeholders cost more than SQLite's own work for a sweep of thousands.
 * What it inserts is in sla-writes.ts.
 */
function build(sqlite: Database.Database) {
  const due = sqlite.prepare(DUE_FOR_SLA_SQL).raw();
  const advance = sqlite.prepare('update requests set sla_stage = ?, sla_next_at = ? where id = ? and sla_stage = ? and sla_next_at is not null');
  return {
    due(nowMs: number, limit: number): SlaDue[] {
      return (due.all(nowMs, limit) as DueRow[]).map(([id, reference, charterLine, status, createdAt, dueAt, pausedMs, slaStage, locale, conversationId, channel, chatId]) => {
        const chat = conversationId !== null && channel !== null && chatId !== null ? { conversationId, channel, chatId } : undefined;
        return { id, reference, charterLine, status, createdAt, dueAt, pausedMs, slaStage, locale, chat };
      });
    },
    /**
     * Moves a request to its next SLA step, only if it is still at the step the
     * caller read: of two sweeps at once, one wins and the other does nothing.
     */
    advance: (id: number, from: SlaStage, to: SlaStage, nextAtMs: number | null): boolean => advance.run(to, nextAtMs, id, from).changes > 0,
    ...prepareSlaWrites(sqlite),
  };
}

export type SlaStatements = ReturnType<typeof build>;

const cache = new WeakMap<Database.Database, SlaStatements>();

/** The better-sqlite3 connection under drizzle's database (its documented `$client`). */
export const connectionOfDb = (db: Db): Database.Database => (db as Db & { $client: Database.Database }).$client;

/** The sweep's statements on this connection; they run in whatever transaction it has open. */
export function slaStatements(sqlite: Database.Database): SlaStatements {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = build(sqlite);
    cache.set(sqlite, statements);
  }
  return statements;
}
