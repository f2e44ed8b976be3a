// Builds a Huduma database holding many requests, for the benchmarks that
// measure cost at scale (bench/sla-scale.ts, bench/growth.ts). The schema is the
// real one (the migrations applied by db/sqlite/connection.ts, as SqliteStore
// opens a file); rows are written directly with better-sqlite3 prepared
// statements in big transactions, with the secondary indexes dropped during the
// load and rebuilt from their own SQL after it, and the journal off while
// loading (then WAL, as the server runs). SQLite only.
//
// What is in it, for n requests: n/2 people (web chat identity and
// conversation each, two requests each), every request with its "created"
// event and the two messages that filed it (the person's and the bot's answer).
// About 80% are resolved or closed (nothing ahead for the SLA watch), about 19%
// are open with their next SLA step in the future, and `due` of them are open
// with a breach due now: charter line 2 (network_email_fault, "within 1 working
// day"), its due time just past, the escalation still ahead.
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { calendarOf } from '../bot/assemble.ts';
import { loadConfig } from '../bot/config.ts';
import { toLocal } from '../bot/sla/zoned.ts';
import { formatReference } from '../db/references.ts';
import { openConnection } from '../db/sqlite/connection.ts';
import { seededRandom } from '../intents/model/random.ts';

export interface FillOptions {
  readonly path: string;
  readonly requests: number;
  /** Open requests whose breach is due at `now`. */
  readonly due: number;
  readonly now: Date;
  readonly seed?: number;
}

export interface FillResult {
  readonly ms: number;
  readonly bytes: number;
  readonly rows: Record<string, number>;
  /** When the due requests were created and fell due. */
  readonly breachCreatedAt: Date;
  readonly breachDueAt: Date;
}

/** Charter lines counted in working days, with their intent (the request's service). */
const LINES: readonly (readonly [number, string])[] = [
  [2, 'network_email_fault'],
  [3, 'security_incident'],
  [4, 'new_ict_service'],
  [5, 'password_complaint'],
  [7, 'mis_account'],
  [8, 'mis_password_reset'],
];
const TABLES = ['people', 'identities', 'conversations', 'requests', 'request_events', 'messages'];
const HOUR = 3_600_000;
const DETAILS = JSON.stringify({ description: 'the internet in our office has been down since morning', office: 'Registry, block B', phone: '+255713000111' });
const DAY = 24 * HOUR;

/** The same database for the same seed. */
const random = seededRandom;

/**
 * A creation time whose "1 working day" is just past at `now` (office hours,
 * weekends and holidays as the server counts them), so the breach is due and
 * the escalation (twice the time) is not.
 */
function breachTimes(now: Date): { createdAt: Date; dueAt: Date } {
  const calendar = calendarOf(loadConfig({}));
  for (let back = 9 * HOUR; back < 60 * DAY; back += HOUR / 4) {
    const createdAt = new Date(now.getTime() - back);
    const dueAt = calendar.addWorkingDays(createdAt, 1);
    if (dueAt.getTime() < now.getTime() - 60_000) return { createdAt, dueAt };
  }
  throw new Error('no creation time found whose working day is past');
}

export function fillDatabase(o: FillOptions): FillResult {
  const began = performance.now();
  for (const suffix of ['', '-wal', '-shm']) rmSync(o.path + suffix, { force: true });
  // The schema, as the server's store would create it (synchronously: the store's own open is the same call).
  openConnection(o.path, 5000).sqlite.close();
  const db = new Database(o.path);
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');

  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map(() => '?').join(',')})`).all(...TABLES) as {
    name: string;
    sql: string;
  }[];
  for (const i of indexes) db.exec(`drop index "${i.name}"`);

  const rnd = random(o.seed ?? 20261122);
  const now = o.now.getTime();
  const tz = loadConfig({}).TIMEZONE;
  const thisYear = toLocal(o.now, tz).year;
  const breach = breachTimes(o.now);
  const step = o.due > 0 ? Math.floor(o.requests / o.due) : Infinity;

  const person = db.prepare('insert into people (id, locale, name, phone, email, created_at) values (?, ?, null, ?, null, ?)');
  const identity = db.prepare("insert into identities (channel, external_id, person_id) values ('webchat', ?, ?)");
  const conversation = db.prepare("insert into conversations (id, person_id, channel, chat_id, state, handed_off, updated_at) values (?, ?, 'webchat', ?, '{}', 0, ?)");
  const request = db.prepare(
    `insert into requests (id, reference, person_id, conversation_id, service, charter_line, variant, details, status, created_at, due_at, paused_since, paused_ms, sla_stage, sla_next_at, resolved_at, updated_at)
     values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, null, 0, ?, ?, ?, ?)`,
  );
  const event = db.prepare("insert into request_events (request_id, at, actor, kind, note, data) values (?, ?, ?, 'created', null, ?)");
  const message = db.prepare("insert into messages (id, conversation_id, direction, text, channel_message_id, reply_to, channel, created_at) values (?, ?, ?, ?, ?, ?, 'webchat', ?)");
  const counter = db.prepare("insert into reference_counters (prefix, year, last) values ('ICT', ?, ?) on conflict do update set last = max(last, excluded.last)");

  let due = 0;
  let open = 0;
  const CHUNK = 100_000;
  const load = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const p = Math.floor(i / 2) + 1;
      const created = now - Math.floor((1 + rnd() * 729) * DAY);
      if (i % 2 === 0) {
        const locale = rnd() < 0.7 ? 'sw' : 'en';
        person.run(p, locale, `+2557${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`, created);
        identity.run(`hist-${p}`, p);
        conversation.run(p, p, `hist-${p}`, created);
      }
      const year = thisYear - 1 - Math.floor(i / 999_999);
      const reference = formatReference('ICT', year, (i % 999_999) + 1);
      const isDue = due < o.due && i % step === 0;
      const kind = isDue ? 'due' : i % 100 >= 80 ? 'open' : 'closed';
      const [line, service] = (isDue ? LINES[0] : LINES[i % LINES.length]) ?? [2, 'network_email_fault'];
      let row: [number, number | null, string, string, number | null, number | null];
      let createdAt = created;
      if (kind === 'due') {
        due++;
        createdAt = breach.createdAt.getTime();
        row = [createdAt, breach.dueAt.getTime(), 'received', 'breach', breach.dueAt.getTime(), null];
      } else if (kind === 'open') {
        open++;
        const next = now + HOUR + Math.floor(rnd() * 60 * DAY);
        row = [createdAt, next + DAY, rnd() < 0.5 ? 'received' : 'in_progress', rnd() < 0.5 ? 'warning' : 'breach', next, null];
      } else {
        const dueAt = created + DAY + Math.floor(rnd() * DAY);
        row = [createdAt, dueAt, rnd() < 0.5 ? 'resolved' : 'closed', 'done', null, created + Math.floor(rnd() * 2 * DAY)];
      }
      const [c, dueAt, status, stage, nextAt, resolvedAt] = row;
      request.run(i + 1, reference, p, p, service, line, DETAILS, status, c, dueAt, stage, nextAt, resolvedAt, resolvedAt ?? c);
      event.run(i + 1, c, `person:${p}`, JSON.stringify({ dueAt: dueAt === null ? null : new Date(dueAt).toISOString() }));
      message.run(2 * i + 1, p, 'in', 'yes', `hist-${i}`, null, c);
      message.run(2 * i + 2, p, 'out', `Your request has been received. Its number is ${reference}.`, null, 2 * i + 1, c);
    }
  });
  for (let from = 0; from < o.requests; from += CHUNK) load(from, Math.min(o.requests, from + CHUNK));
  for (let i = 0; i < o.requests; i += 999_999) counter.run(thisYear - 1 - Math.floor(i / 999_999), Math.min(999_999, o.requests - i));
  for (const i of indexes) db.exec(i.sql);
  db.pragma('journal_mode = WAL');
  const rows = Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
  db.close();
  // Written with synchronous=OFF, the file is still in the OS's dirty pages (some 700 MB at a million
  // requests): unflushed, the first fsync of whatever runs next (the sweep's first commit) would write them back.
  const fd = openSync(o.path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  if (due !== o.due) throw new Error(`asked for ${o.due} due requests, made ${due}`);
  void open;
  return { ms: performance.now() - began, bytes: statSync(o.path).size, rows, breachCreatedAt: breach.createdAt, breachDueAt: breach.dueAt };
}
