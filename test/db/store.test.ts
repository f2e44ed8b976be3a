import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as pgSchema from '../../db/postgres/schema.ts';
import { PG_MIGRATIONS_DIR } from '../../db/postgres/store.ts';
import * as sqliteSchema from '../../db/schema.ts';
import { MIGRATIONS_DIR } from '../../db/sqlite/connection.ts';
import { SqliteStore } from '../../db/sqlite/store.ts';
import { openStore } from '../../db/open.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import type { Store, Tx } from '../../db/store.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-db-')), 'nested', 'huduma.db');
const TABLES = [
  'access_log',
  'address_windows',
  'alert_reports',
  'alerts',
  'announcement_notices',
  'announcement_subscriptions',
  'announcements',
  'articles',
  'canned_replies',
  'conversations',
  'handoffs',
  'identities',
  'incident_notices',
  'incident_updates',
  'incidents',
  'kb_answers',
  'leases',
  'messages',
  'notices',
  'outbox',
  'people',
  'phone_proofs',
  'rate_windows',
  'reference_counters',
  'request_events',
  'requests',
  'staff',
  'staff_sessions',
  'webchat_sessions',
  'whatsapp_auth',
  'whatsapp_messages',
];

describe('the two schemas', () => {
  it('name the same tables and columns, so one query serves both dialects', () => {
    const shape = (schema: Record<string, unknown>) =>
      Object.values(schema)
        .filter((v): v is Parameters<typeof getTableName>[0] => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v)
        .map(
          (t) =>
            `${getTableName(t)}(${Object.values(getTableColumns(t))
              .map((c) => `${c.name}${c.notNull ? '!' : ''}`)
              .sort()
              .join(',')})`,
        )
        .sort();
    expect(shape(pgSchema)).toEqual(shape(sqliteSchema));
    expect(shape(sqliteSchema).map((s) => s.split('(')[0])).toEqual(TABLES);
  });
});

describe('the SQLite database', () => {
  it('is created with its folder, migrated, in WAL mode with a busy timeout', async () => {
    const store = new SqliteStore({ path: freshPath() });
    const { sqlite } = store;
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name != 'sqlite_sequence' order by name").pluck().all();
    expect(tables).toEqual(TABLES);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await store.close();
  });

  it('refuses a transaction opened inside another (it would wait for itself): nesting is a savepoint', async () => {
    const store = new SqliteStore({ path: freshPath() });
    await expect(store.transaction(() => store.read(async () => 1))).rejects.toThrow(/savepoint/);
    await store.close();
  });
});

describe.each(BACKENDS)('the database on %s', (backend) => {
  const open: Store[] = [];
  const openAt = async (env: Record<string, string>) => {
    const store = await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '' });
    open.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('keeps its data and applies no migration twice when opened again', async () => {
    const env = await databaseEnv(backend, freshPath());
    const first = await openAt(env);
    await first.transaction((tx) => tx.orm.insert(tx.t.people).values({ locale: 'sw', createdAt: new Date('2026-11-23T07:00:00Z') }));
    await first.close();
    open.pop();
    const again = await openAt(env);
    expect(await again.read((tx) => tx.orm.select().from(tx.t.people))).toHaveLength(1);
    const journal = join(backend === 'sqlite' ? MIGRATIONS_DIR : PG_MIGRATIONS_DIR, 'meta', '_journal.json');
    const migrations = (JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length;
    expect(await appliedMigrations(again)).toBe(migrations);
  });

  it('is migrated by npm run db:migrate, as an operator runs it before starting the instances', async () => {
    const env = await databaseEnv(backend, freshPath());
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'db:migrate'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toMatch(/is up to date/);
    const store = await openAt(env);
    expect(await appliedMigrations(store)).toBeGreaterThan(0);
    expect(await store.read((tx) => tx.orm.select().from(tx.t.leases))).toEqual([]);
  });

  it('runs a prepared statement in the transaction that asks for it, on every connection, built once on each', async () => {
    const store = await openAt(await databaseEnv(backend, freshPath()));
    let built = 0;
    const insert = (tx: Tx, locale: 'sw' | 'en') =>
      tx
        .prepared('test_insert_person', ({ orm, t }) => {
          built++;
          return orm
            .insert(t.people)
            .values({ locale: sql.placeholder('locale'), createdAt: sql.placeholder('at') })
            .returning({ id: t.people.id });
        })
        .execute({ locale, at: new Date('2026-11-23T07:00:00Z') });
    // Side by side: on PostgreSQL each transaction has a pooled connection of its own.
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.transaction((tx) => insert(tx, i % 2 ? 'en' : 'sw'))));
    // One that fails takes its prepared statement's row back with it.
    await expect(
      store.transaction(async (tx) => {
        await insert(tx, 'en');
        throw new Error('undo me');
      }),
    ).rejects.toThrow(/undo me/);
    const people = await store.read((tx) => tx.orm.select().from(tx.t.people));
    expect(people).toHaveLength(6);
    expect(people.every((p) => p.createdAt.toISOString() === '2026-11-23T07:00:00.000Z')).toBe(true);
    // Built at most once a connection (SQLite has one; the pool holds at most DATABASE_POOL_SIZE).
    expect(built).toBeGreaterThanOrEqual(1);
    expect(built).toBeLessThanOrEqual(backend === 'sqlite' ? 1 : 6);
  });

  it('stores SQL NULL, not JSON null, for a reply without options (an encoded placeholder)', async () => {
    const store = await openAt(await databaseEnv(backend, freshPath()));
    const at = new Date('2026-11-23T07:00:00Z');
    await store.transaction(async (tx) => {
      const person = (await tx.orm.insert(tx.t.people).values({ locale: 'sw', createdAt: at }).returning())[0];
      if (!person) throw new Error('no person');
      const [conversation] = await tx.orm.insert(tx.t.conversations).values({ personId: person.id, channel: 'webchat', chatId: 'c1', state: {}, updatedAt: at }).returning();
      if (!conversation) throw new Error('no conversation');
      const replies = [{ text: 'one' }, { text: 'two', options: [{ id: '1', label: 'Ndiyo' }] }];
      await insertReplies(tx, { conversationId: conversation.id, channel: 'webchat', chatId: 'c1', replies, at, viaOutbox: true });
    });
    const rows = await store.read((tx) =>
      tx.orm.select({ text: tx.t.messages.text, options: tx.t.messages.options, attachments: tx.t.messages.attachments }).from(tx.t.messages).orderBy(tx.t.messages.id),
    );
    expect(rows).toEqual([
      { text: 'one', options: null, attachments: null },
      { text: 'two', options: [{ id: '1', label: 'Ndiyo' }], attachments: null },
    ]);
    const outbox = await store.read((tx) => tx.orm.select({ body: tx.t.outbox.body }).from(tx.t.outbox).orderBy(tx.t.outbox.id));
    expect(outbox.map((o) => o.body)).toEqual([{ text: 'one' }, { text: 'two', options: [{ id: '1', label: 'Ndiyo' }] }]);
  });

  it('a savepoint that fails undoes only its own writes', async () => {
    const store = await openAt(await databaseEnv(backend, freshPath()));
    const people = await store.transaction(async (tx) => {
      await tx.orm.insert(tx.t.people).values({ locale: 'sw', createdAt: new Date() });
      await tx
        .savepoint(async (inner) => {
          await inner.orm.insert(inner.t.people).values({ locale: 'en', createdAt: new Date() });
          throw new Error('undo me');
        })
        .catch(() => undefined);
      return tx.orm.select().from(tx.t.people);
    });
    expect(people.map((p) => p.locale)).toEqual(['sw']);
  });
});

async function appliedMigrations(store: Store): Promise<number> {
  if (store instanceof SqliteStore) return Number(store.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get());
  const { rows } = await (store as unknown as { pool: { query(q: string): Promise<{ rows: { n: string }[] }> } }).pool.query('select count(*) as n from drizzle.__drizzle_migrations');
  return Number(rows[0]?.n);
}
