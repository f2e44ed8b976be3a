import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { Tx } from '../store.ts';
import { OPEN_STATUSES, type RequestRow } from './requests.ts';
import { first } from './rows.ts';

export async function requestByReference(tx: Tx, reference: string): Promise<RequestRow | undefined> {
  return first(await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)));
}

/**
 * A request about to be changed, held until the transaction ends. SQLite runs
 * one writer at a time, so what is read stays true; on PostgreSQL the row is
 * locked (FOR UPDATE), so a status move is checked against the status it
 * replaces, never one another officer or the SLA sweep changed meanwhile.
 */
export async function requestToChange(tx: Tx, reference: string): Promise<RequestRow | undefined> {
  if (tx.dialect !== 'postgres') return requestByReference(tx, reference);
  // tx.orm is drizzle over the PostgreSQL schema here (db/store.ts); only its builder has FOR UPDATE.
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { requests } = tx.t as unknown as typeof pgSchema;
  const row: RequestRow | undefined = first(await orm.select().from(requests).where(eq(requests.reference, reference)).for('update'));
  return row;
}

/** The customer's chat and language for a request, to tell them of a change. */
export async function customerOf(tx: Tx, request: RequestRow) {
  const { people, conversations } = tx.t;
  const person = first(await tx.orm.select({ locale: people.locale }).from(people).where(eq(people.id, request.personId)));
  const chat = request.conversationId === null ? undefined : first(await tx.orm.select().from(conversations).where(eq(conversations.id, request.conversationId)));
  return { locale: person?.locale ?? 'sw', chat };
}

/** Writes the request's new SLA and status fields. */
export async function updateRequest(
  tx: Tx,
  id: number,
  set: Partial<Pick<RequestRow, 'status' | 'dueAt' | 'resolvedAt' | 'pausedSince' | 'pausedMs' | 'slaNextAt' | 'rating' | 'ratingComment' | 'updatedAt'>>,
): Promise<void> {
  await tx.orm.update(tx.t.requests).set(set).where(eq(tx.t.requests.id, id));
}

export interface RequestFilter {
  readonly status?: RequestRow['status'];
  readonly service?: string;
  /** Only requests past their due time and still open. */
  readonly breached?: boolean;
  readonly now: Date;
  readonly limit?: number;
  /** What staff typed in the search box: a reference, a phone number, a name or words of the description. */
  readonly q?: RequestSearch;
  /** One officer's requests, or those nobody owns yet. */
  readonly assignee?: number | 'none';
  readonly team?: string;
  /** Created at or after `from` and before `to`. */
  readonly from?: Date;
  readonly to?: Date;
}

/** A search, already split: every word must be found somewhere, or (a phone number) its digits. */
export interface RequestSearch {
  readonly words: readonly string[];
  /** The number's last digits, when what was typed is a phone number (`words` then holds it as typed, for references). */
  readonly digits?: string;
  /** The details fields (the forms' text, phone and e-mail fields) searched besides the reference and the person. */
  readonly fields: readonly string[];
}

/** A request with what staff see beside it: the person, the officer who owns it, the request a complaint is about. */
export interface StaffRequestRow {
  readonly request: RequestRow;
  readonly requester: { readonly name: string | null; readonly phone: string | null };
  readonly assignee: { readonly id: number; readonly name: string } | null;
  readonly aboutReference: string | null;
}

/** `%word%` for LIKE, with LIKE's own characters taken literally (the query says ESCAPE '\\'). */
const contains = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const like = (value: SQL, word: string) => sql`lower(${value}) like ${contains(word)} escape '\\'`;

/** A details field as text: the JSON column is text on SQLite and jsonb on PostgreSQL. */
function detail(tx: Tx, field: string): SQL {
  const { details } = tx.t.requests;
  return tx.dialect === 'postgres' ? sql`(${details} ->> ${field})` : sql`json_extract(${details}, ${`$.${field}`})`;
}

function searchWhere(tx: Tx, s: RequestSearch): SQL | undefined {
  const { requests, people } = tx.t;
  // A number written as a reference's part (2026-000123) is still looked for among the references.
  if (s.digits) return or(like(sql`${people.phone}`, s.digits), like(detail(tx, 'phone'), s.digits), ...s.words.map((w) => like(sql`${requests.reference}`, w)));
  const anywhere = (word: string) => or(like(sql`${requests.reference}`, word), like(sql`${people.name}`, word), like(sql`${people.phone}`, word), ...s.fields.map((f) => like(detail(tx, f), word)));
  return s.words.length > 0 ? and(...s.words.map(anywhere)) : undefined;
}

function whereOf(tx: Tx, f: RequestFilter): SQL[] {
  const { requests } = tx.t;
  const where: SQL[] = [];
  if (f.status) where.push(eq(requests.status, f.status));
  if (f.service) where.push(eq(requests.service, f.service));
  // A request waiting for the customer has its clock stopped: it is not late while it waits.
  if (f.breached) where.push(inArray(requests.status, [...OPEN_STATUSES]), isNull(requests.pausedSince), isNotNull(requests.dueAt), lte(requests.dueAt, f.now));
  if (f.assignee === 'none') where.push(isNull(requests.assigneeId));
  else if (f.assignee !== undefined) where.push(eq(requests.assigneeId, f.assignee));
  if (f.team) where.push(eq(requests.team, f.team));
  if (f.from) where.push(gte(requests.createdAt, f.from));
  if (f.to) where.push(lt(requests.createdAt, f.to));
  const search = f.q ? searchWhere(tx, f.q) : undefined;
  if (search) where.push(search);
  return where;
}

async function withParts(tx: Tx, where: SQL | undefined, limit: number): Promise<StaffRequestRow[]> {
  const { requests, people, staff } = tx.t;
  const rows = await tx.orm
    .select({ request: requests, name: people.name, phone: people.phone, assigneeId: staff.id, assigneeName: staff.name })
    .from(requests)
    .innerJoin(people, eq(people.id, requests.personId))
    .leftJoin(staff, eq(staff.id, requests.assigneeId))
    .where(where)
    .orderBy(desc(requests.id))
    .limit(limit);
  // The references complaints are about, in one more query (a self-join needs each dialect's own alias).
  const aboutIds = [...new Set(rows.flatMap((r) => (r.request.aboutRequestId === null ? [] : [r.request.aboutRequestId])))];
  const about = new Map(
    aboutIds.length === 0
      ? []
      : (await tx.orm.select({ id: requests.id, reference: requests.reference }).from(requests).where(inArray(requests.id, aboutIds))).map((r) => [r.id, r.reference] as const),
  );
  return rows.map((r) => ({
    request: r.request,
    requester: { name: r.name, phone: r.phone },
    assignee: r.assigneeId === null || r.assigneeName === null ? null : { id: r.assigneeId, name: r.assigneeName },
    aboutReference: r.request.aboutRequestId === null ? null : (about.get(r.request.aboutRequestId) ?? null),
  }));
}

/** Requests for staff, newest first, filtered, with the person, the assignee and what a complaint is about. */
export async function listRequests(tx: Tx, f: RequestFilter): Promise<StaffRequestRow[]> {
  const where = whereOf(tx, f);
  return withParts(tx, where.length > 0 ? and(...where) : undefined, f.limit ?? 200);
}

/** One request as staff see it, by reference. */
export async function staffRequest(tx: Tx, reference: string): Promise<StaffRequestRow | undefined> {
  return first(await withParts(tx, eq(tx.t.requests.reference, reference), 1));
}

export async function eventsOf(tx: Tx, requestId: number) {
  const { requestEvents } = tx.t;
  return tx.orm.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(requestEvents.at, requestEvents.id);
}

/** The latest request filed from a conversation (staff actions are audited on it). */
export async function latestRequestOfConversation(tx: Tx, conversationId: number): Promise<{ id: number } | undefined> {
  const { requests } = tx.t;
  return first(await tx.orm.select({ id: requests.id }).from(requests).where(eq(requests.conversationId, conversationId)).orderBy(desc(requests.id)).limit(1));
}
