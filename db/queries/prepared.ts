import type Database from 'better-sqlite3';
import { sql, type Column } from 'drizzle-orm';
import { conversationOf, personOf, requestOf, type Conversation, type Person, type RawRow, type RequestRow } from './rows.ts';

/**
 * JSON and times are encoded by the caller for the nullable columns (a JSON
 * column must store SQL NULL, not the text 'null').
 */
export const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
/**
 * A placeholder of `Tx.prepared` whose value is passed as it is, encoded by
 * the caller (jsonOrNull, a Date or null): a column's own encoder would
 * write JSON's 'null' for null, or fail on a null time.
 */
export const encoded = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * A placeholder of `Tx.prepared` encoded as `column` encodes its values (a
 * Date as ms on SQLite, as text on PostgreSQL), for where drizzle would pass
 * a placeholder as it is: conditions and `sql`. Not for null values.
 */
export const encodedAs = (name: string, column: Column) => sql`${sql.param(sql.placeholder(name), column)}`;
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

type Locale = Person['locale'];
type SlaStage = RequestRow['slaStage'];

const rowOrUndefined = <T>(row: unknown, map: (r: RawRow) => T): T | undefined => (row === undefined ? undefined : map(row as RawRow));
const numberAt = (row: unknown, column: string): number | undefined => {
  const v = row === undefined ? undefined : (row as RawRow)[column];
  return typeof v === 'number' ? v : undefined;
};

/**
 * SQLite only: the statements every message runs, prepared once per
 * connection and run by better-sqlite3 itself. Building and running them through drizzle cost more
 * than SQLite's own work (its per-call wrapping was the top of the profile);
 * rows come back in drizzle's shapes (rows.ts), so callers see no difference.
 * Everything off the hot path goes through drizzle; on PostgreSQL the hot
 * path's statements are drizzle's too, built once per connection
 * (`Tx.prepared`) (BENCHMARKS.md: what each layer earns).
 */
function build(sqlite: Database.Database) {
  const s = (sql: string) => sqlite.prepare(sql);
  const inboundId = s('select id from messages where channel = ? and channel_message_id = ?');
  const identity = s('select person_id from identities where channel = ? and external_id = ?');
  const person = s('select * from people where id = ?');
  const conversation = s('select * from conversations where channel = ? and chat_id = ?');
  const saveState = s('update conversations set state = ?, updated_at = ? where id = ?');
  const insertMessage = s(
    'insert into messages (conversation_id, direction, text, channel_message_id, reply_to, options, attachments, author, channel, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id',
  );
  const insertPerson = s('insert into people (locale, created_at) values (?, ?) returning *');
  const setLocale = s('update people set locale = ? where id = ?');
  const setContact = s('update people set phone = coalesce(?, phone), email = coalesce(?, email) where id = ?');
  const insertIdentity = s('insert into identities (channel, external_id, person_id) values (?, ?, ?)');
  const insertConversation = s("insert into conversations (person_id, channel, chat_id, state, updated_at) values (?, ?, ?, '{}', ?) returning *");
  const ownRequest = s('select * from requests where reference = ? and person_id = ?');
  const nextReference = s('insert into reference_counters (prefix, year, last) values (?, ?, 1) on conflict (prefix, year) do update set last = last + 1 returning last');
  const insertRequest = s(
    "insert into requests (reference, person_id, conversation_id, service, charter_line, variant, details, status, created_at, due_at, sla_next_at, team, updated_at, area) values (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?) returning *",
  );
  const insertEvent = s('insert into request_events (request_id, at, actor, kind, note, data) values (?, ?, ?, ?, ?, ?)');
  const advanceSla = s('update requests set sla_stage = ?, sla_next_at = ? where id = ? and sla_stage = ? and sla_next_at is not null');
  const insertOutbox = s('insert into outbox (conversation_id, channel, chat_id, body, next_try_at, created_at) values (?, ?, ?, ?, ?, ?)');
  const webchatSessionSeen = s('select last_seen_at from webchat_sessions where id_hash = ?');
  const openWebchatSession = s('insert into webchat_sessions (id_hash, created_at, last_seen_at) values (?, ?, ?)');

  return {
    webchatSessionSeen: {
      get: (idHash: string): Date | undefined => {
        const ms = numberAt(webchatSessionSeen.get(idHash), 'last_seen_at');
        return ms === undefined ? undefined : new Date(ms);
      },
    },
    openWebchatSession: { run: (p: { idHash: string; at: Date }) => openWebchatSession.run(p.idHash, p.at.getTime(), p.at.getTime()) },
    inboundId: { get: (p: { channel: string; channelMessageId: string }) => idOf(inboundId.get(p.channel, p.channelMessageId)) },
    identity: {
      get: (p: { channel: string; externalId: string }) => {
        const personId = numberAt(identity.get(p.channel, p.externalId), 'person_id');
        return personId === undefined ? undefined : { personId };
      },
    },
    person: { get: (p: { id: number }): Person | undefined => rowOrUndefined(person.get(p.id), personOf) },
    conversation: { get: (p: { channel: string; chatId: string }): Conversation | undefined => rowOrUndefined(conversation.get(p.channel, p.chatId), conversationOf) },
    saveState: { run: (p: { id: number; stateJson: string; atMs: number }) => saveState.run(p.stateJson, p.atMs, p.id) },
    insertMessage: {
      get: (p: {
        conversationId: number;
        direction: 'in' | 'out';
        text: string;
        channelMessageId: string | null;
        replyTo: number | null;
        optionsJson: string | null;
        attachmentsJson: string | null;
        author: string | null;
        channel: string;
        at: Date;
      }) => idOf(insertMessage.get(p.conversationId, p.direction, p.text, p.channelMessageId, p.replyTo, p.optionsJson, p.attachmentsJson, p.author, p.channel, p.at.getTime())),
    },
    insertPerson: { get: (p: { locale: Locale; at: Date }): Person | undefined => rowOrUndefined(insertPerson.get(p.locale, p.at.getTime()), personOf) },
    setLocale: { run: (p: { id: number; locale: Locale }) => setLocale.run(p.locale, p.id) },
    setContact: { run: (p: { id: number; phone: string | null; email: string | null }) => setContact.run(p.phone, p.email, p.id) },
    insertIdentity: { run: (p: { channel: string; externalId: string; personId: number }) => insertIdentity.run(p.channel, p.externalId, p.personId) },
    insertConversation: {
      get: (p: { personId: number; channel: string; chatId: string; at: Date }): Conversation | undefined =>
        rowOrUndefined(insertConversation.get(p.personId, p.channel, p.chatId, p.at.getTime()), conversationOf),
    },
    ownRequest: { get: (p: { reference: string; personId: number }): RequestRow | undefined => rowOrUndefined(ownRequest.get(p.reference, p.personId), requestOf) },
    nextReference: { get: (p: { prefix: string; year: number }): number | undefined => numberAt(nextReference.get(p.prefix, p.year), 'last') },
    insertRequest: {
      get: (p: {
        reference: string;
        personId: number;
        conversationId: number | null;
        service: string;
        charterLine: number;
        variant: string | null;
        details: Record<string, string>;
        at: Date;
        dueAtMs: number | null;
        slaNextAtMs: number | null;
        team?: string | null;
        area?: string | null;
      }): RequestRow | undefined =>
        rowOrUndefined(
          insertRequest.get(
            p.reference,
            p.personId,
            p.conversationId,
            p.service,
            p.charterLine,
            p.variant,
            JSON.stringify(p.details),
            p.at.getTime(),
            p.dueAtMs,
            p.slaNextAtMs,
            p.team ?? null,
            p.at.getTime(),
            p.area ?? null,
          ),
          requestOf,
        ),
    },
    insertEvent: {
      run: (p: { requestId: number; at: Date; actor: string; kind: string; note: string | null; dataJson: string | null }) =>
        insertEvent.run(p.requestId, p.at.getTime(), p.actor, p.kind, p.note, p.dataJson),
    },
    advanceSla: { run: (p: { id: number; from: SlaStage; to: SlaStage; nextAtMs: number | null }) => advanceSla.run(p.to, p.nextAtMs, p.id, p.from) },
    insertOutbox: {
      run: (p: { conversationId: number | null; channel: string; chatId: string; body: unknown; at: Date }) =>
        insertOutbox.run(p.conversationId, p.channel, p.chatId, JSON.stringify(p.body), p.at.getTime(), p.at.getTime()),
    },
  };
}

const idOf = (row: unknown): { id: number } | undefined => {
  const id = numberAt(row, 'id');
  return id === undefined ? undefined : { id };
};

export type Prepared = ReturnType<typeof build>;

const cache = new WeakMap<Database.Database, Prepared>();

/**
 * The prepared statements of a SQLite connection. They run in whatever
 * transaction that connection has open, so they belong to the caller's.
 */
export function prepared(sqlite: Database.Database): Prepared {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = build(sqlite);
    cache.set(sqlite, statements);
  }
  return statements;
}
