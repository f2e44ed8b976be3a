import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../bot/engine/group-commit.ts';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { openDatabase } from '../../db/client.ts';
import { messages } from '../../db/schema.ts';
import { startTestServer, type TestServer } from '../support/app.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const message = (chat: string, id: string, text: string): InboundMessage => ({
  channel: 'webchat',
  chatId: chat,
  senderId: chat,
  channelMessageId: id,
  text,
  receivedAt: server.clock.now(),
});

describe('group commit: many messages, one transaction, each answered after the commit', () => {
  it('answers fifty people who wrote at once, each with their own reply, all on disk', async () => {
    const inbox = new GroupCommit({ db: server.app.db, engine: server.app.engine });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => inbox.submit(message(`gc-person-${i}`, `gc-${i}`, 'habari'))));
    expect(outcomes.every((o) => o.status === 'replied' && o.replies.length > 0)).toBe(true);
    // Another connection to the same file sees every message: they were committed before the answers.
    const other = openDatabase(server.databasePath);
    const stored = other.db.select({ n: count() }).from(messages).all()[0]?.n ?? 0;
    other.close();
    expect(stored).toBeGreaterThanOrEqual(100);
  });

  it('a message delivered twice in the same batch is answered once', async () => {
    const inbox = new GroupCommit({ db: server.app.db, engine: server.app.engine });
    const [first, again] = await Promise.all([inbox.submit(message('gc-twice', 'gc-twice-1', 'habari')), inbox.submit(message('gc-twice', 'gc-twice-1', 'habari'))]);
    expect(first?.status).toBe('replied');
    expect(again).toEqual({ status: 'duplicate', replies: first?.status === 'replied' ? first.replies : [] });
  });

  it('a turn that fails leaves no trace and does not take the others down with it', async () => {
    const real = server.app.engine;
    // This engine writes the turn, then fails: its savepoint must be rolled back.
    const flaky = {
      handleInbound: (m: InboundMessage) =>
        m.text === 'boom'
          ? server.app.db.transaction(() => {
              real.handleInbound(m);
              throw new Error('the turn failed half-way');
            })
          : real.handleInbound(m),
    };
    const inbox = new GroupCommit({ db: server.app.db, engine: flaky });
    const results = await Promise.allSettled([inbox.submit(message('gc-a', 'gc-a-1', 'habari')), inbox.submit(message('gc-b', 'gc-b-1', 'boom')), inbox.submit(message('gc-c', 'gc-c-1', 'habari'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const boom = server.app.db.transaction((tx) => tx.select().from(messages).all()).filter((m) => m.channelMessageId === 'gc-b-1');
    expect(boom).toEqual([]);
    await inbox.drain();
  });
});
