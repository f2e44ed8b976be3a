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

// Plain functions, not a closure per row: this runs for every row the hot path reads.
function fail(table: string, row: RawRow, column: string): never {
  throw new RowShapeError(table, column, row[column]);
}
function num(table: string, row: RawRow, c: string): number {
  const v = row[c];
  return typeof v === 'number' ? v : fail(table, row, c);
}
function numOrNull(table: string, row: RawRow, c: string): number | null {
  return row[c] === null ? null : num(table, row, c);
}
function str(table: string, row: RawRow, c: string): string {
  const v = row[c];
  return typeof v === 'string' ? v : fail(table, row, c);
}
function strOrNull(table: string, row: RawRow, c: string): string | null {
  return row[c] === null ? null : str(table, row, c);
}
function date(table: string, row: RawRow, c: string): Date {
  return new Date(num(table, row, c));
}
function dateOrNull(table: string, row: RawRow, c: string): Date | null {
  return row[c] === null ? null : date(table, row, c);
}
function json(table: string, row: RawRow, c: string): unknown {
  return JSON.parse(str(table, row, c));
}
function oneOf<T extends string>(table: string, row: RawRow, c: string, values: readonly T[]): T {
  const v = str(table, row, c);
  return values.find((x) => x === v) ?? fail(table, row, c);
}

const LOCALES = ['sw', 'en'] as const;
const SLA_STAGES = ['warning', 'breach', 'escalation', 'done'] as const;

export function personOf(row: RawRow): Person {
  const t = 'people';
  return {
    id: num(t, row, 'id'),
    locale: oneOf(t, row, 'locale', LOCALES),
    name: strOrNull(t, row, 'name'),
    phone: strOrNull(t, row, 'phone'),
    email: strOrNull(t, row, 'email'),
    createdAt: date(t, row, 'created_at'),
    erasedAt: dateOrNull(t, row, 'erased_at'),
    noticeShownAt: dateOrNull(t, row, 'notice_shown_at'),
  };
}

export function conversationOf(row: RawRow): Conversation {
  const t = 'conversations';
  return {
    id: num(t, row, 'id'),
    personId: num(t, row, 'person_id'),
    channel: str(t, row, 'channel'),
    chatId: str(t, row, 'chat_id'),
    state: json(t, row, 'state'),
    handedOff: num(t, row, 'handed_off') === 1,
    handedOffAt: dateOrNull(t, row, 'handed_off_at'),
    handoffTakenBy: strOrNull(t, row, 'handoff_taken_by'),
    handoffPickupDueAt: dateOrNull(t, row, 'handoff_pickup_due_at'),
    staffThread: strOrNull(t, row, 'staff_thread'),
    updatedAt: date(t, row, 'updated_at'),
  };
}

export function requestOf(row: RawRow): RequestRow {
  const t = 'requests';
  return {
    id: num(t, row, 'id'),
    reference: str(t, row, 'reference'),
    personId: num(t, row, 'person_id'),
    conversationId: numOrNull(t, row, 'conversation_id'),
    service: str(t, row, 'service'),
    charterLine: num(t, row, 'charter_line'),
    variant: strOrNull(t, row, 'variant'),
    details: json(t, row, 'details'),
    status: oneOf(t, row, 'status', REQUEST_STATUSES),
    createdAt: date(t, row, 'created_at'),
    dueAt: dateOrNull(t, row, 'due_at'),
    pausedSince: dateOrNull(t, row, 'paused_since'),
    pausedMs: num(t, row, 'paused_ms'),
    slaStage: oneOf(t, row, 'sla_stage', SLA_STAGES),
    slaNextAt: dateOrNull(t, row, 'sla_next_at'),
    resolvedAt: dateOrNull(t, row, 'resolved_at'),
    rating: numOrNull(t, row, 'rating'),
    ratingComment: strOrNull(t, row, 'rating_comment'),
    assigneeId: numOrNull(t, row, 'assignee_id'),
    team: strOrNull(t, row, 'team'),
    aboutRequestId: numOrNull(t, row, 'about_request_id'),
    updatedAt: date(t, row, 'updated_at'),
    area: strOrNull(t, row, 'area'),
    incidentId: numOrNull(t, row, 'incident_id'),
    incidentLinkedAt: dateOrNull(t, row, 'incident_linked_at'),
  };
}

/** The first row of an awaited select, if any (drizzle's `.get()` is SQLite's alone). */
export const first = <T>(rows: readonly T[]): T | undefined => rows[0];
