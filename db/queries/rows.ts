import { REQUEST_STATUSES, type conversations, type people, type requests } from '../schema.ts';

// The hot path reads rows with better-sqlite3 itself (see prepared.ts); these
// turn its rows into the same shapes drizzle's selects give, checked as they
// are read, so the rest of the code cannot tell which one read a row.

export type Person = typeof people.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type RequestRow = typeof requests.$inferSelect;

/** A row as better-sqlite3 returns it: column name → SQLite value. */
export type RawRow = Readonly<Record<string, unknown>>;

/** A row that does not have the shape the schema says: a schema and query out of step, never user input. */
export class RowShapeError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    readonly value: unknown,
  ) {
    super(`${table}.${column} holds ${typeof value} ${String(value).slice(0, 40)}, not what the schema says`);
    this.name = 'RowShapeError';
  }
}

function reader(table: string, row: RawRow) {
  const fail = (column: string): never => {
    throw new RowShapeError(table, column, row[column]);
  };
  const num = (c: string): number => {
    const v = row[c];
    return typeof v === 'number' ? v : fail(c);
  };
  const numOrNull = (c: string): number | null => (row[c] === null ? null : num(c));
  const str = (c: string): string => {
    const v = row[c];
    return typeof v === 'string' ? v : fail(c);
  };
  const strOrNull = (c: string): string | null => (row[c] === null ? null : str(c));
  return {
    num,
    numOrNull,
    str,
    strOrNull,
    date: (c: string): Date => new Date(num(c)),
    dateOrNull: (c: string): Date | null => (row[c] === null ? null : new Date(num(c))),
    json: (c: string): unknown => JSON.parse(str(c)),
    bool: (c: string): boolean => num(c) === 1,
    oneOf: <T extends string>(c: string, values: readonly T[]): T => {
      const v = str(c);
      return values.find((x) => x === v) ?? fail(c);
    },
  };
}

const LOCALES = ['sw', 'en'] as const;
const SLA_STAGES = ['warning', 'breach', 'escalation', 'done'] as const;

export function personOf(row: RawRow): Person {
  const r = reader('people', row);
  return { id: r.num('id'), locale: r.oneOf('locale', LOCALES), name: r.strOrNull('name'), phone: r.strOrNull('phone'), email: r.strOrNull('email'), createdAt: r.date('created_at') };
}

export function conversationOf(row: RawRow): Conversation {
  const r = reader('conversations', row);
  return {
    id: r.num('id'),
    personId: r.num('person_id'),
    channel: r.str('channel'),
    chatId: r.str('chat_id'),
    state: r.json('state'),
    handedOff: r.bool('handed_off'),
    handedOffAt: r.dateOrNull('handed_off_at'),
    handoffTakenBy: r.strOrNull('handoff_taken_by'),
    handoffPickupDueAt: r.dateOrNull('handoff_pickup_due_at'),
    staffThread: r.strOrNull('staff_thread'),
    updatedAt: r.date('updated_at'),
  };
}

export function requestOf(row: RawRow): RequestRow {
  const r = reader('requests', row);
  return {
    id: r.num('id'),
    reference: r.str('reference'),
    personId: r.num('person_id'),
    conversationId: r.numOrNull('conversation_id'),
    service: r.str('service'),
    charterLine: r.num('charter_line'),
    variant: r.strOrNull('variant'),
    details: r.json('details'),
    status: r.oneOf('status', REQUEST_STATUSES),
    createdAt: r.date('created_at'),
    dueAt: r.dateOrNull('due_at'),
    pausedSince: r.dateOrNull('paused_since'),
    pausedMs: r.num('paused_ms'),
    slaStage: r.oneOf('sla_stage', SLA_STAGES),
    slaNextAt: r.dateOrNull('sla_next_at'),
    resolvedAt: r.dateOrNull('resolved_at'),
    rating: r.numOrNull('rating'),
    ratingComment: r.strOrNull('rating_comment'),
    updatedAt: r.date('updated_at'),
  };
}
