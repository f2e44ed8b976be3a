import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import { backoffMs } from '../../bot/backoff.ts';
import { OutboxWorker, DEFAULT_RETRY } from '../../bot/outbox/worker.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { openStore } from '../../db/open.ts';
import { outboxRow } from '../../db/queries/outbox.ts';
import { SqliteStore } from '../../db/sqlite/store.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, databaseEnv, type Backend } from '../support/databases.ts';

const silent = pino({ level: 'silent' });
const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-outbox-')), 'huduma.db');

/** A fresh database of this backend, and a way to open it (again, as a restarted process does). */
async function freshDatabase(backend: Backend): Promise<() => Promise<Store>> {
  const path = freshPath();
  const env = await databaseEnv(backend, path);
  return () => openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? path });
}

/** A channel for these tests: it answers each send from a script and records what it was asked to send. */
class ScriptedChannel implements OutboundChannel {
  readonly sent: { chatId: string; text: string }[] = [];
  constructor(
    readonly id: string,
    private readonly script: (n: number) => SendResult = () => ({ status: 'sent' }),
    readonly limits: OutboundChannel['limits'] = { perChatPerSecond: 1, overallPerSecond: 30 },
  ) {}
  private calls = 0;
  async send(chatId: string, message: { text: string }): Promise<SendResult> {
    const result = this.script(this.calls++);
    if (result.status === 'sent') this.sent.push({ chatId, text: message.text });
    return result;
  }
}

async function enqueue(store: Store, chatId: string, text: string, at: Date, channel = 'telegram'): Promise<number> {
  const [row] = await store.transaction((tx) => tx.orm.insert(tx.t.outbox).values({ channel, chatId, body: { text }, nextTryAt: at, createdAt: at }).returning({ id: tx.t.outbox.id }));
  if (!row) throw new Error('no outbox row');
  return row.id;
}
const row = (store: Store, id: number) => store.read((tx) => outboxRow(tx, id));

describe.each(BACKENDS)('the outbox worker on %s', (backend) => {
  const open = async () => (await freshDatabase(backend))();

  it('delivers once a send that fails twice, waiting longer each time', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('telegram', (n) => (n < 2 ? { status: 'retry', reason: 'ETIMEDOUT' } : { status: 'sent' }));
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent, random: () => 0.5 });
    const id = await enqueue(db, 'chat-1', 'Ombi lako limepokelewa', clock.now());
    expect(await worker.tick()).toBe(1);
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'ETIMEDOUT' });
    expect(await worker.tick()).toBe(0); // not before its backoff
    clock.advance(backoffMs(1, DEFAULT_RETRY, () => 0.5));
    expect(await worker.tick()).toBe(1);
    clock.advance(backoffMs(2, DEFAULT_RETRY, () => 0.5));
    expect(await worker.tick()).toBe(1);
    expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(channel.sent).toEqual([{ chatId: 'chat-1', text: 'Ombi lako limepokelewa' }]);
    clock.advance(3_600_000);
    expect(await worker.tick()).toBe(0);
    await db.close();
  });

  it('waits out a rate limit for exactly what the platform asked (retry_after)', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('telegram', (n) => (n === 0 ? { status: 'retry', reason: '429 Too Many Requests', afterMs: 7_000 } : { status: 'sent' }));
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent });
    const id = await enqueue(db, 'chat-1', 'habari', clock.now());
    await worker.tick();
    clock.advance(6_999);
    expect(await worker.tick()).toBe(0);
    clock.advance(1);
    expect(await worker.tick()).toBe(1);
    expect((await row(db, id))?.status).toBe('sent');
    await db.close();
  });

  it('marks a permanent failure failed, with the reason, and never retries it', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('telegram', () => ({ status: 'failed', reason: '403 Forbidden: bot was blocked by the user' }));
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent });
    const id = await enqueue(db, 'chat-1', 'habari', clock.now());
    await worker.tick();
    expect(await row(db, id)).toMatchObject({ status: 'failed', lastError: '403 Forbidden: bot was blocked by the user' });
    clock.advance(86_400_000);
    expect(await worker.tick()).toBe(0);
    await db.close();
  });

  it('while a channel is down, waits without using up the message’s attempts', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('whatsapp', (n) => (n < 30 ? { status: 'deferred', reason: 'WhatsApp is not connected', afterMs: 5_000 } : { status: 'sent' }));
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent });
    const id = await enqueue(db, '255700000001@s.whatsapp.net', 'Ombi lako limepokelewa', clock.now(), 'whatsapp');
    for (let i = 0; i < 31; i++) {
      await worker.tick();
      clock.advance(5_000);
    }
    expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 1 });
    await db.close();
  });

  it('gives up after the last attempt instead of retrying forever', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('telegram', () => ({ status: 'retry', reason: '502 Bad Gateway' }));
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent, retry: { ...DEFAULT_RETRY, maxAttempts: 3 } });
    const id = await enqueue(db, 'chat-1', 'habari', clock.now());
    for (let i = 0; i < 5; i++) {
      await worker.tick();
      clock.advance(DEFAULT_RETRY.maxMs);
    }
    expect(await row(db, id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gave up after 3 attempts: 502 Bad Gateway' });
    await db.close();
  });

  it('after a restart sends what was pending, and nothing it had already sent', async () => {
    const reopen = await freshDatabase(backend);
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const before = await reopen();
    const first = new ScriptedChannel('telegram');
    await new OutboxWorker({ store: before, channels: [first], clock, log: silent }).tick();
    const sentBefore = await enqueue(before, 'chat-1', 'kwanza', clock.now());
    await new OutboxWorker({ store: before, channels: [first], clock, log: silent }).tick();
    const pending = await enqueue(before, 'chat-2', 'pili', clock.now());
    await before.close(); // the process stops here
    const after = await reopen();
    const second = new ScriptedChannel('telegram');
    await new OutboxWorker({ store: after, channels: [second], clock, log: silent }).tick();
    expect(second.sent).toEqual([{ chatId: 'chat-2', text: 'pili' }]);
    expect((await row(after, sentBefore))?.status).toBe('sent');
    expect((await row(after, pending))?.status).toBe('sent');
    await after.close();
  });

  it('sends again a row whose process died between taking it and sending it, once the lease ends', async () => {
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const db = await open();
    const id = await enqueue(db, 'chat-1', 'habari', clock.now());
    const hang = new ScriptedChannel('telegram');
    hang.send = () => new Promise<SendResult>(() => {}); // the send never returns: as if killed mid-send
    void new OutboxWorker({ store: db, channels: [hang], clock, log: silent }).tick();
    await new Promise((r) => setTimeout(r, 20));
    const restarted = new ScriptedChannel('telegram');
    const worker = new OutboxWorker({ store: db, channels: [restarted], clock, log: silent });
    expect(await worker.tick()).toBe(0); // still leased
    clock.advance(DEFAULT_RETRY.leaseMs);
    expect(await worker.tick()).toBe(1);
    expect(restarted.sent).toHaveLength(1);
    expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 2 });
    await db.close();
  });

  it('paces: one message a second to a chat, and the channel’s overall rate', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = new ScriptedChannel('telegram', undefined, { perChatPerSecond: 1, overallPerSecond: 2 });
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent });
    for (const text of ['a', 'b', 'c']) await enqueue(db, 'same-chat', text, clock.now());
    for (const chat of ['x', 'y', 'z']) await enqueue(db, chat, chat, clock.now());
    expect(await worker.tick()).toBe(2); // the bucket holds two
    clock.advance(1000);
    expect(await worker.tick()).toBe(2);
    clock.advance(1000);
    expect(await worker.tick()).toBe(2);
    expect(channel.sent.filter((s) => s.chatId === 'same-chat').map((s) => s.text)).toEqual(['a', 'b', 'c']);
    expect(channel.sent).toHaveLength(6);
    await db.close();
  });

  it('sends a staff group at most 20 messages a minute, while private chats keep their pace', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const channel = Object.assign(new ScriptedChannel('telegram', undefined, { perChatPerSecond: 1, overallPerSecond: 30, perGroupPerMinute: 20 }), {
      isGroup: (chatId: string) => chatId.startsWith('-'),
    });
    // A small batch: the group's backlog must not keep the citizen's messages out of it.
    const worker = new OutboxWorker({ store: db, channels: [channel], clock, log: silent, batchSize: 5 });
    for (let i = 0; i < 30; i++) await enqueue(db, '-100200300', `breach ${i}`, clock.now());
    for (let i = 0; i < 30; i++) await enqueue(db, 'citizen', `notice ${i}`, clock.now());
    for (let s = 0; s < 60; s++) {
      await worker.tick();
      clock.advance(1000);
    }
    expect(channel.sent.filter((m) => m.chatId === '-100200300')).toHaveLength(20);
    expect(channel.sent.filter((m) => m.chatId === 'citizen')).toHaveLength(30);
    await db.close();
  });

  it('leaves alone rows of channels it does not run (the web chat answers over HTTP)', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const id = await enqueue(db, 'chat-1', 'habari', clock.now(), 'whatsapp');
    expect(await new OutboxWorker({ store: db, channels: [new ScriptedChannel('telegram')], clock, log: silent }).tick()).toBe(0);
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 0 });
    await db.close();
  });

  it('on stop, finishes the send in flight and takes no more', async () => {
    const db = await open();
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const slow = new ScriptedChannel('telegram');
    const send = slow.send.bind(slow);
    slow.send = async (chatId, message) => {
      await new Promise((r) => setTimeout(r, 50));
      return send(chatId, message);
    };
    const first = await enqueue(db, 'chat-1', 'kwanza', clock.now());
    const second = await enqueue(db, 'chat-2', 'pili', clock.now());
    const worker = new OutboxWorker({ store: db, channels: [slow], clock, log: silent });
    worker.start(10);
    await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect((await row(db, first))?.status).toBe('sent');
    const left = (await row(db, second))?.status;
    await new Promise((r) => setTimeout(r, 100));
    expect((await row(db, second))?.status).toBe(left); // nothing moved after stop
    await db.close();
  });
});

describe('the outbox worker on its own SQLite connection (busy_timeout 0)', () => {
  it('writes what a send came to once another connection lets go of the lock, long after the store’s own retry gave up', async () => {
    const path = freshPath();
    const holder = new SqliteStore({ path });
    // The store tries a busy BEGIN again for 30 ms only; the lock is held for 400 ms.
    const store = new SqliteStore({ path, busyTimeoutMs: 0, busyDeadlineMs: 30 });
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const id = await enqueue(store, 'chat-1', 'habari', clock.now());
    const channel = new ScriptedChannel('telegram');
    const send = channel.send.bind(channel);
    channel.send = async (chatId, message) => {
      holder.sqlite.exec('BEGIN IMMEDIATE'); // another writer (the engine thread) takes the lock mid-send
      setTimeout(() => holder.sqlite.exec('COMMIT'), 400);
      return send(chatId, message);
    };
    expect(await new OutboxWorker({ store, channels: [channel], clock, log: silent }).tick()).toBe(1);
    expect(await row(store, id)).toMatchObject({ status: 'sent', attempts: 1 });
    clock.advance(DEFAULT_RETRY.leaseMs);
    expect(await new OutboxWorker({ store, channels: [new ScriptedChannel('telegram')], clock, log: silent }).tick()).toBe(0); // never sent twice
    await holder.close();
    await store.close();
  });
});
