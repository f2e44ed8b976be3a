import type Database from 'better-sqlite3';
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { people, requests } from '../schema.ts';
import type { Tx } from '../store.ts';
import { insertOutbox } from './messages.ts';
import { encoded } from './prepared.ts';
import { alertBody, prepareSlaWrites, type Chat, type Mention } from './sla-writes.ts';

export type { Chat, Mention } from './sla-writes.ts';
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
  /** Who owns it, and its team: the staff alert names them. */
  readonly assigneeId?: number | null;
  readonly team?: string | null;
  /** The incident the report is joined to, if any. */
  readonly incidentId?: number | null;
}

/** An officer an alert names (and, when linked, mentions in the Telegram staff group). */
export interface AlertedStaff {
  readonly id: number;
  readonly name: string;
  readonly telegramUserId: string | null;
}

/** What one sweep batch does, in the caller's transaction. */
export interface SlaQueries {
  /** Requests with an SLA step due by `nowMs`, earliest first: a seek on the partial index `requests_sla_next`, never a scan. */
  due(nowMs: number, limit: number): Promise<SlaDue[]>;
  /**
   * Moves a request to its next SLA step, only if it is still at the step the
   * caller read: of two sweeps at once, one wins and the other does nothing.
   */
  advance(id: number, from: SlaStage, to: SlaStage, nextAtMs: number | null): Promise<boolean>;
  /** The step in the request's audit trail. */
  event(requestId: number, atMs: number, kind: string): Promise<void>;
  /** A message to the customer in the transcript, and queued for channels that deliver through the outbox. */
  notice(chat: Chat, text: string, atMs: number, viaOutbox: boolean): Promise<void>;
  /** The staff chat's copy of an SLA step, threaded under the conversation when there is one. */
  alert(staff: { readonly channel: string; readonly chatId: string }, text: string, conversationId: number | undefined, atMs: number, mentions?: readonly Mention[]): Promise<void>;
  /** The officer with this id. */
  staff(id: number): Promise<AlertedStaff | undefined>;
  /** A team's supervisors, who hear of its escalations. */
  supervisors(team: string): Promise<AlertedStaff[]>;
}

export const DUE_FOR_SLA_SQL = `select requests.id, requests.reference, requests.charter_line, requests.status, requests.created_at, requests.due_at, requests.paused_ms, requests.sla_stage,
    people.locale, conversations.id, conversations.channel, conversations.chat_id, requests.assignee_id, requests.team, requests.incident_id
  from requests inner join people on people.id = requests.person_id left join conversations on conversations.id = requests.conversation_id
  where requests.sla_next_at is not null and requests.sla_next_at <= ? order by requests.sla_next_at limit ?`;

type DueRow = [
  number,
  string,
  number,
  SlaDue['status'],
  number,
  number | null,
  number,
  SlaStage,
  SlaDue['locale'],
  number | null,
  string | null,
  string | null,
  number | null,
  string | null,
  number | null,
];
type StaffRow = [number, string, string | null];
const alerted = ([id, name, telegramUserId]: StaffRow): AlertedStaff => ({ id, name, telegramUserId });

const chatOf = (conversationId: number | null, channel: string | null, chatId: string | null): Chat | undefined =>
  conversationId !== null && channel !== null && chatId !== null ? { conversationId, channel, chatId } : undefined;

/**
 * SQLite: the sweep's statements, prepared once per connection and run by
 * better-sqlite3 itself: through drizzle, mapping the rows and filling the
 * placeholders cost more than SQLite's own work for a sweep of thousands
 * (BENCHMARKS.md, the SLA sweep). What it inserts is in sla-writes.ts.
 */
function buildSqlite(sqlite: Database.Database): SlaQueries {
  const due = sqlite.prepare(DUE_FOR_SLA_SQL).raw();
  const advance = sqlite.prepare('update requests set sla_stage = ?, sla_next_at = ? where id = ? and sla_stage = ? and sla_next_at is not null');
  const writes = prepareSlaWrites(sqlite);
  const staff = sqlite.prepare('select id, name, telegram_user_id from staff where id = ?').raw();
  const supervisors = sqlite.prepare("select id, name, telegram_user_id from staff where team = ? and role = 'supervisor' order by id").raw();
  return {
    due: async (nowMs, limit) =>
      (due.all(nowMs, limit) as DueRow[]).map(([id, reference, charterLine, status, createdAt, dueAt, pausedMs, slaStage, locale, conversationId, channel, chatId, assigneeId, team, incidentId]) => ({
        id,
        reference,
        charterLine,
        status,
        createdAt,
        dueAt,
        pausedMs,
        slaStage,
        locale,
        chat: chatOf(conversationId, channel, chatId),
        assigneeId,
        team,
        incidentId,
      })),
    advance: async (id, from, to, nextAtMs) => advance.run(to, nextAtMs, id, from).changes > 0,
    event: async (requestId, atMs, kind) => writes.event(requestId, atMs, kind),
    notice: async (chat, text, atMs, viaOutbox) => writes.notice(chat, text, atMs, viaOutbox),
    alert: async (chat, text, conversationId, atMs, mentions) => writes.alert(chat, text, conversationId, atMs, mentions),
    staff: async (id) => {
      const row = staff.get(id) as StaffRow | undefined;
      return row ? alerted(row) : undefined;
    },
    supervisors: async (team) => (supervisors.all(team) as StaffRow[]).map(alerted),
  };
}

/**
 * PostgreSQL: the same steps through drizzle. The due rows are locked as they
 * are read (FOR UPDATE … SKIP LOCKED): two sweeps at once (two instances, or
 * `npm run sla:sweep` beside the server) take different rows instead of
 * waiting on each other, and a staff change cannot slip in between a sweep's
 * read of a request and its step. The compare-and-set in `advance` stays, as
 * on SQLite.
 */
function buildPostgres(tx: Tx): SlaQueries {
  const { orm, t } = tx;
  // tx.orm is drizzle over the PostgreSQL schema here (db/store.ts); only its builder has FOR UPDATE.
  const pgOrm = orm as unknown as NodePgDatabase<typeof pgSchema>;
  const pg = t as unknown as typeof pgSchema;
  return {
    async due(nowMs, limit) {
      const rows = await pgOrm
        .select({ r: pg.requests, locale: pg.people.locale, conversationId: pg.conversations.id, channel: pg.conversations.channel, chatId: pg.conversations.chatId })
        .from(pg.requests)
        .innerJoin(pg.people, eq(pg.people.id, pg.requests.personId))
        .leftJoin(pg.conversations, eq(pg.conversations.id, pg.requests.conversationId))
        .where(and(isNotNull(pg.requests.slaNextAt), lte(pg.requests.slaNextAt, new Date(nowMs))))
        // Ties in filing order, as SQLite's index gives them.
        .orderBy(asc(pg.requests.slaNextAt), asc(pg.requests.id))
        .limit(limit)
        .for('update', { of: pg.requests, skipLocked: true });
      return rows.map(({ r, locale, conversationId, channel, chatId }) => ({
        id: r.id,
        reference: r.reference,
        charterLine: r.charterLine,
        status: r.status,
        createdAt: r.createdAt.getTime(),
        dueAt: r.dueAt?.getTime() ?? null,
        pausedMs: r.pausedMs,
        slaStage: r.slaStage,
        locale,
        chat: chatOf(conversationId, channel, chatId),
        assigneeId: r.assigneeId,
        team: r.team,
        incidentId: r.incidentId,
      }));
    },
    async advance(id, from, to, nextAtMs) {
      // A step, its event and its notice are taken for each due request: prepared once per connection.
      const update = tx.prepared('sla_advance', ({ orm: o, t: { requests: r } }) =>
        o
          .update(r)
          .set({ slaStage: sql`${sql.placeholder('to')}`, slaNextAt: encoded('nextAt') })
          .where(and(eq(r.id, sql.placeholder('id')), eq(r.slaStage, sql.placeholder('from')), isNotNull(r.slaNextAt)))
          .returning({ id: r.id }),
      );
      const moved = await update.execute({ id, from, to, nextAt: nextAtMs === null ? null : new Date(nextAtMs) });
      return moved.length > 0;
    },
    async event(requestId, atMs, kind) {
      const insert = tx.prepared('sla_event', ({ orm: o, t: { requestEvents: e } }) =>
        o.insert(e).values({ requestId: sql.placeholder('requestId'), at: sql.placeholder('at'), actor: 'sla', kind: sql.placeholder('kind') }),
      );
      await insert.execute({ requestId, at: new Date(atMs), kind });
    },
    async notice(chat, text, atMs, viaOutbox) {
      const at = new Date(atMs);
      const insert = tx.prepared('sla_notice', ({ orm: o, t: { messages: m } }) =>
        o
          .insert(m)
          .values({ conversationId: sql.placeholder('conversationId'), direction: 'out', text: sql.placeholder('text'), channel: sql.placeholder('channel'), createdAt: sql.placeholder('at') }),
      );
      await insert.execute({ conversationId: chat.conversationId, text, channel: chat.channel, at });
      if (viaOutbox) await insertOutbox(tx, { conversationId: chat.conversationId, channel: chat.channel, chatId: chat.chatId, body: { text }, at });
    },
    async alert(chat, text, conversationId, atMs, mentions) {
      await insertOutbox(tx, { conversationId: conversationId ?? null, channel: chat.channel, chatId: chat.chatId, body: alertBody(text, conversationId, mentions), at: new Date(atMs) });
    },
    async staff(id) {
      const s = t.staff;
      const rows = await orm.select({ id: s.id, name: s.name, telegramUserId: s.telegramUserId }).from(s).where(eq(s.id, id));
      return rows[0];
    },
    supervisors(team) {
      const s = t.staff;
      return orm
        .select({ id: s.id, name: s.name, telegramUserId: s.telegramUserId })
        .from(s)
        .where(and(eq(s.team, team), eq(s.role, 'supervisor')))
        .orderBy(asc(s.id));
    },
  };
}

const cache = new WeakMap<Database.Database, SlaQueries>();

/** The sweep's queries in this transaction. */
export function slaQueries(tx: Tx): SlaQueries {
  if (!tx.sqlite) return buildPostgres(tx);
  let q = cache.get(tx.sqlite);
  if (!q) cache.set(tx.sqlite, (q = buildSqlite(tx.sqlite)));
  return q;
}
