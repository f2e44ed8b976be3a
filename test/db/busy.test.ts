import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whenFree } from '../../db/busy.ts';
import { openDatabase } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';

// Beside the engine thread, the main thread's outbox writes wait for the lock on timers, not in SQLite's sleeping busy handler.

function twoConnections() {
  const path = join(mkdtempSync(join(tmpdir(), 'huduma-busy-')), 'huduma.db');
  return { holder: openDatabase(path), waiter: openDatabase(path, { busyTimeoutMs: 0 }) };
}

const row = (chatId: string) => ({ channel: 'telegram', chatId, body: { text: 'habari' }, nextTryAt: new Date(0), createdAt: new Date(0) });

describe('a write that waits for another connection\'s lock', () => {
  it('keeps the event loop running while it waits, and is written once the lock is gone', async () => {
    const { holder, waiter } = twoConnections();
    holder.sqlite.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 2);
    setTimeout(() => holder.sqlite.exec('COMMIT'), 80);
    await whenFree(() => waiter.db.transaction((tx) => tx.insert(outbox).values(row('busy-1')).run(), { behavior: 'immediate' }));
    clearInterval(ticker);
    // SQLite's own handler would have slept in this thread for the whole 80 ms.
    expect(ticks).toBeGreaterThan(10);
    expect(holder.db.select().from(outbox).all().map((r) => r.chatId)).toEqual(['busy-1']);
    holder.close();
    waiter.close();
  });

  it('gives up with SQLITE_BUSY after its deadline, writing nothing', async () => {
    const { holder, waiter } = twoConnections();
    holder.sqlite.exec('BEGIN IMMEDIATE');
    await expect(whenFree(() => waiter.db.transaction((tx) => tx.insert(outbox).values(row('busy-2')).run(), { behavior: 'immediate' }), { deadlineMs: 50 })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    holder.sqlite.exec('ROLLBACK');
    expect(waiter.db.select().from(outbox).all()).toEqual([]);
    holder.close();
    waiter.close();
  });
});
