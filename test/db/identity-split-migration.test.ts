import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { asc, eq } from 'drizzle-orm';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../db/open.ts';
import { PG_MIGRATIONS_DIR } from '../../db/postgres/store.ts';
import { findRequestForPhone } from '../../db/queries/ussd.ts';
import { MIGRATIONS_DIR } from '../../db/sqlite/connection.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshPostgresUrl } from '../support/databases.ts';

// The migration identity_proof undoes the joins a typed phone number made: a
// web chat person who got the USSD/SMS/WhatsApp identities of a number they
// had only typed in a form. The database is brought to the migration before
// it, filled as the old code left it, then migrated.

const MIGRATION = 'identity_proof';

/** A copy of a migrations folder that stops before this one. */
function migrationsBefore(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'huduma-migrations-'));
  cpSync(dir, copy, { recursive: true });
  const journalPath = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(MIGRATION));
  expect(at, `a migration named ${MIGRATION}`).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return copy;
}

/** Runs SQL written with `?` placeholders on either dialect; times are given as Dates. */
type Exec = (sql: string, params?: unknown[]) => Promise<void>;

const W = '+255766000111';
const W2 = '+255766000222';
const T0 = new Date('2026-10-01T08:00:00Z');

/** What the old code left: a web chat person who typed two numbers and got both numbers' identities, and bystanders. */
async function fillAsBefore(exec: Exec): Promise<void> {
  const person = (id: number, phone: string | null) => exec('insert into people (id, locale, phone, created_at) values (?, ?, ?, ?)', [id, 'sw', phone, T0]);
  const identity = (channel: string, externalId: string, personId: number) => exec('insert into identities (channel, external_id, person_id) values (?, ?, ?)', [channel, externalId, personId]);
  const conversation = (id: number, personId: number, channel: string, chatId: string) =>
    exec('insert into conversations (id, person_id, channel, chat_id, updated_at) values (?, ?, ?, ?, ?)', [id, personId, channel, chatId, T0]);
  const request = (id: number, personId: number, conversationId: number) =>
    exec("insert into requests (id, reference, person_id, conversation_id, service, charter_line, status, created_at, updated_at) values (?, ?, ?, ?, 'user_support', 10, 'received', ?, ?)", [
      id,
      `ICT-2026-00000${id}`,
      personId,
      conversationId,
      T0,
      T0,
    ]);
  const digits = (phone: string) => phone.slice(1);
  // 1: the web chat person; their phone is the last number typed.
  await person(1, W2);
  await identity('webchat', 'wc-old-1', 1);
  await conversation(1, 1, 'webchat', 'wc-old-1');
  await request(1, 1, 1);
  for (const [channel, id] of [
    ['ussd', W],
    ['sms', W],
    ['whatsapp', `${digits(W)}@s.whatsapp.net`],
    ['whatsapp_cloud', digits(W)],
  ] as const)
    await identity(channel, id, 1);
  await conversation(2, 1, 'sms', W);
  await request(2, 1, 2);
  await exec("insert into notices (kind, person_id, conversation_id, request_id, text, created_at) values ('complaint', ?, ?, ?, 'bado haijarekebishwa', ?)", [1, 2, 2, T0]);
  await conversation(3, 1, 'ussd', W);
  await conversation(4, 1, 'whatsapp', `${digits(W)}@s.whatsapp.net`);
  await request(3, 1, 4);
  await identity('ussd', W2, 1);
  await identity('sms', W2, 1);
  await conversation(5, 1, 'sms', W2);
  await request(4, 1, 5);
  // 2: a phone's own person (USSD), 3: a Telegram user who typed a number nobody used, 4: a WhatsApp user.
  await person(2, '+255766000999');
  for (const [channel, id] of [
    ['ussd', '+255766000999'],
    ['sms', '+255766000999'],
    ['whatsapp', '255766000999@s.whatsapp.net'],
    ['whatsapp_cloud', '255766000999'],
  ] as const)
    await identity(channel, id, 2);
  await conversation(6, 2, 'sms', '+255766000999');
  await request(5, 2, 6);
  await person(3, '+255766000888');
  await identity('telegram', '4242', 3);
  await conversation(7, 3, 'telegram', '4242');
  await request(6, 3, 7);
  await person(4, null);
  await identity('whatsapp', '255766000777@s.whatsapp.net', 4);
  await conversation(8, 4, 'whatsapp', '255766000777@s.whatsapp.net');
}

async function sqliteBefore(): Promise<{ path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'huduma-split-')), 'huduma.db');
  const sqlite = new Database(path);
  sqlite.pragma('foreign_keys = ON');
  sqliteMigrate(sqliteDrizzle(sqlite), { migrationsFolder: migrationsBefore(MIGRATIONS_DIR) });
  await fillAsBefore(async (sql, params = []) => void sqlite.prepare(sql).run(...params.map((p) => (p instanceof Date ? p.getTime() : p))));
  sqlite.exec("update sqlite_sequence set seq = 40 where name = 'people'"); // people once made and dropped: their ids are not given again
  sqlite.close();
  return { path };
}

async function postgresBefore(): Promise<{ url: string }> {
  const url = await freshPostgresUrl();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await pgMigrate(pgDrizzle(client), { migrationsFolder: migrationsBefore(PG_MIGRATIONS_DIR) });
    await fillAsBefore(async (sql, params = []) => {
      let n = 0;
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
    });
    // Rows were given their ids: the sequences move past them, as they had when the old code made them.
    for (const table of ['people', 'conversations', 'requests']) await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), 40)`);
  } finally {
    await client.end();
  }
  return { url };
}

describe.each(BACKENDS)('the identity_proof migration on %s', (backend) => {
  it('splits off the identities a typed number attached, with their conversations and requests', async () => {
    const before = backend === 'sqlite' ? await sqliteBefore() : await postgresBefore();
    const store: Store = await openStore('url' in before ? { url: before.url, path: '' } : { path: before.path });
    try {
      const { people, identities, conversations, requests, notices, events } = await store.read(async ({ orm, t }) => ({
        people: await orm.select().from(t.people).orderBy(asc(t.people.id)),
        identities: await orm.select().from(t.identities),
        conversations: await orm.select().from(t.conversations).orderBy(asc(t.conversations.id)),
        requests: await orm.select().from(t.requests).orderBy(asc(t.requests.id)),
        notices: await orm.select().from(t.notices),
        events: await orm.select().from(t.requestEvents).where(eq(t.requestEvents.kind, 'identity_split')),
      }));
      const byPhone = (phone: string) => people.find((p) => p.phone === phone && p.id > 4);
      const first = byPhone(W);
      const second = byPhone(W2);
      expect(first, 'a person of the first number').toBeDefined();
      expect(second, 'a person of the second number').toBeDefined();
      expect(first?.id).toBeGreaterThan(40);
      expect(second?.id).toBeGreaterThan(40);
      expect(first).toMatchObject({ locale: 'sw', createdAt: T0 });

      // The web chat person keeps only the web chat: its identity, conversation and request; no number.
      const of = (personId: number | undefined) => ({
        identities: identities
          .filter((i) => i.personId === personId)
          .map((i) => `${i.channel} ${i.externalId}`)
          .sort(),
        conversations: conversations.filter((c) => c.personId === personId).map((c) => c.id),
        requests: requests.filter((r) => r.personId === personId).map((r) => r.id),
      });
      expect(of(1)).toEqual({ identities: ['webchat wc-old-1'], conversations: [1], requests: [1] });
      expect(people.find((p) => p.id === 1)?.phone).toBeNull();
      expect(of(first?.id)).toEqual({
        identities: ['sms +255766000111', 'ussd +255766000111', 'whatsapp 255766000111@s.whatsapp.net', 'whatsapp_cloud 255766000111'],
        conversations: [2, 3, 4],
        requests: [2, 3],
      });
      expect(of(second?.id)).toEqual({ identities: ['sms +255766000222', 'ussd +255766000222'], conversations: [5], requests: [4] });
      expect(notices.map((n) => n.personId)).toEqual([first?.id]);
      expect(events.map((e) => [e.requestId, e.actor, e.data]).sort()).toEqual([
        [2, 'system', { from: 1, into: first?.id, phone: W }],
        [3, 'system', { from: 1, into: first?.id, phone: W }],
        [4, 'system', { from: 1, into: second?.id, phone: W2 }],
      ]);

      // Bystanders: the phone's own person and the WhatsApp user untouched; the Telegram user's typed number is no longer theirs.
      expect(of(2)).toEqual({ identities: ['sms +255766000999', 'ussd +255766000999', 'whatsapp 255766000999@s.whatsapp.net', 'whatsapp_cloud 255766000999'], conversations: [6], requests: [5] });
      expect(people.find((p) => p.id === 2)?.phone).toBe('+255766000999');
      expect(of(3)).toEqual({ identities: ['telegram 4242'], conversations: [7], requests: [6] });
      expect(people.find((p) => p.id === 3)?.phone).toBeNull();
      expect(of(4)).toEqual({ identities: ['whatsapp 255766000777@s.whatsapp.net'], conversations: [8], requests: [] });
      expect(await store.read(({ orm, t }) => orm.select().from(t.identities).where(eq(t.identities.channel, 'webchat')))).toHaveLength(1);

      // The phone sees its requests again, not the web chat's; a person made now gets an id never used.
      expect(await store.read((tx) => findRequestForPhone(tx, W, 'ICT-2026-000002'))).toBeDefined();
      expect(await store.read((tx) => findRequestForPhone(tx, W, 'ICT-2026-000001'))).toBeUndefined();
      const [made] = await store.transaction(({ orm, t }) => orm.insert(t.people).values({ locale: 'sw', createdAt: T0 }).returning());
      expect(made?.id).toBeGreaterThan(Math.max(first?.id ?? 0, second?.id ?? 0));
    } finally {
      await store.close();
    }
  });
});
