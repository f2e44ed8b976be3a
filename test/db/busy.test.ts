import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../db/sqlite/store.ts';
import type { Tx } from '../../db/store.ts';

// SQLite only: PostgreSQL has no file lock to wait for. Beside the engine thread, the main thread's
// outbox store has busy_timeout 0: its BEGIN waits for the lock on timers, not in SQLite's sleeping busy handler.

function twoStores(busyDeadlineMs?: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'huduma-busy-')), 'huduma.db');
  return { holder: new SqliteStore({ path }), waiter: new SqliteStore({ path, busyTimeoutMs: 0, busyDeadlineMs }) };
}

const insert = (tx: Tx, chatId: string) => tx.orm.insert(tx.t.outbox).values({ channel: 'telegram', chatId, body: { text: 'habari' }, nextTryAt: new Date(0), createdAt: new Date(0) });
const chatIds = async (holder: SqliteStore) => (await holder.read((tx) => tx.orm.select().from(tx.t.outbox))).map((r) => r.chatId);

describe("a write that waits for another connection's lock", () => {
  it('keeps the event loop running while it waits, and is written once the lock is gone', async () => {
    const { holder, waiter } = twoStores();
    holder.sqlite.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 2);
    setTimeout(() => holder.sqlite.exec('COMMIT'), 80);
    await waiter.transaction((tx) => insert(tx, 'busy-1'));
    clearInterval(ticker);
    // SQLite's own handler would have slept in this thread for the whole 80 ms.
    expect(ticks).toBeGreaterThan(10);
    expect(await chatIds(holder)).toEqual(['busy-1']);
    await holder.close();
    await waiter.close();
  });

  it('gives up with SQLITE_BUSY after its deadline, writing nothing', async () => {
    const { holder, waiter } = twoStores(50);
    holder.sqlite.exec('BEGIN IMMEDIATE');
    await expect(waiter.transaction((tx) => insert(tx, 'busy-2'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    holder.sqlite.exec('ROLLBACK');
    expect(await chatIds(waiter)).toEqual([]);
    await holder.close();
    await waiter.close();
  });
});
