import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../db/sqlite/store.ts';

// The WAL is copied back into the database file by a thread of its own
// (db/sqlite/checkpointer.ts), not inside the COMMITs of the thread that
// answers people: seen from outside, the database file grows while nobody
// writes, and the server's own connection checkpoints only at a far larger WAL.

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-checkpoint-')), 'huduma.db');
const open: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** About 2 MB of rows in one transaction: some 500 WAL pages, under SQLite's own checkpoint at 1,000. */
async function writeRows(store: SqliteStore): Promise<void> {
  const name = 'x'.repeat(1000);
  await store.transaction(async (tx) => {
    for (let i = 0; i < 2000; i++) await tx.orm.insert(tx.t.people).values({ locale: 'sw', name, createdAt: new Date('2026-11-23T07:00:00Z') });
  });
}

describe('the WAL checkpoint thread', () => {
  it('copies committed pages into the database file while the server does nothing, and stops with the store', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    open.push(store);
    const before = statSync(path).size;
    await writeRows(store);
    await expect.poll(() => statSync(path).size).toBeGreaterThan(before + 1_500_000);
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await store.close();
    open.pop();
    // Everything is in the file: reopened, the rows are there.
    const again = new SqliteStore({ path, checkpointThread: false });
    open.push(again);
    expect(await again.read((tx) => tx.orm.$count(tx.t.people))).toBe(2000);
  });

  it('without it, the same rows stay in the WAL (what the first test sees is the thread)', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path, checkpointThread: false });
    open.push(store);
    const before = statSync(path).size;
    await writeRows(store);
    await new Promise((r) => setTimeout(r, 600));
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_500_000);
  });
});
