import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDatabase } from '../../db/client.ts';
import { nextReference } from '../../db/references.ts';
import { people } from '../../db/schema.ts';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-db-')), 'nested', 'huduma.db');

describe('the SQLite database', () => {
  it('is created with its folder, migrated, in WAL mode with a busy timeout', () => {
    const { sqlite, close } = openDatabase(freshPath());
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name != 'sqlite_sequence' order by name").pluck().all();
    expect(tables).toEqual(['conversations', 'identities', 'messages', 'notices', 'outbox', 'people', 'reference_counters', 'request_events', 'requests', 'staff', 'staff_sessions', 'whatsapp_auth', 'whatsapp_messages']);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    close();
  });

  it('keeps its data and applies no migration twice when opened again', () => {
    const path = freshPath();
    const first = openDatabase(path);
    first.db.insert(people).values({ locale: 'sw', createdAt: new Date('2026-11-23T07:00:00Z') }).run();
    first.close();
    const again = openDatabase(path);
    expect(again.db.select().from(people).all()).toHaveLength(1);
    const migrations = (JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
    expect(again.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(migrations);
    again.close();
  });
});

describe('request references', () => {
  it('count up per prefix and year, six digits wide', () => {
    const { db, close } = openDatabase(freshPath());
    const take = (prefix: string, year: number) => db.transaction((tx) => nextReference(tx, prefix, year));
    expect([take('ICT', 2026), take('ICT', 2026), take('ICT', 2027), take('HR', 2026), take('ICT', 2026)]).toEqual([
      'ICT-2026-000001',
      'ICT-2026-000002',
      'ICT-2027-000001',
      'HR-2026-000001',
      'ICT-2026-000003',
    ]);
    close();
  });

  it('are never handed out twice, across connections and restarts', () => {
    const path = freshPath();
    const a = openDatabase(path);
    const b = openDatabase(path);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const conn = i % 2 === 0 ? a : b;
      seen.add(conn.db.transaction((tx) => nextReference(tx, 'ICT', 2026)));
    }
    a.close();
    b.close();
    const c = openDatabase(path);
    seen.add(c.db.transaction((tx) => nextReference(tx, 'ICT', 2026)));
    expect(seen.size).toBe(201);
    expect([...seen].sort().at(-1)).toBe('ICT-2026-000201');
    c.close();
  });

  it('a transaction that fails takes its reference back with everything else', () => {
    const { db, close } = openDatabase(freshPath());
    expect(() =>
      db.transaction((tx) => {
        nextReference(tx, 'ICT', 2026);
        throw new Error('the request could not be saved');
      }),
    ).toThrow(/could not be saved/);
    expect(db.transaction((tx) => nextReference(tx, 'ICT', 2026))).toBe('ICT-2026-000001');
    close();
  });
});
