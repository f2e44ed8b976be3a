import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleEngine } from '../../bot/assemble.ts';
import { loadConfig } from '../../bot/config.ts';
import type { Engine } from '../../bot/engine/engine.ts';
import { inboxFor } from '../../bot/engine/inbox.ts';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { openStore } from '../../db/open.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

describe.each(BACKENDS)('the inbox on %s: each message answered after its commit', (backend) => {
  let server: TestServer;
  let engine: Engine;
  beforeAll(async () => {
    server = await startTestServer({ backend });
    engine = assembleEngine(loadConfig(server.databaseEnv), { clock: server.clock, charter: server.app.charter, calendar: server.app.calendar });
  });
  afterAll(() => server.close());

  const message = (chat: string, id: string, text: string): InboundMessage => ({ channel: 'webchat', chatId: chat, senderId: chat, channelMessageId: id, text, receivedAt: server.clock.now() });
  const storedWithId = (id: string) => server.app.store.read(async (tx) => (await tx.orm.select().from(tx.t.messages)).filter((m) => m.channelMessageId === id));

  it('answers fifty people who wrote at once, each with their own reply, all committed', async () => {
    const inbox = inboxFor({ store: server.app.store, engine });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => inbox.submit(message(`in-person-${i}`, `in-${i}`, 'habari'))));
    expect(outcomes.every((o) => o.status === 'replied' && o.replies.length > 0)).toBe(true);
    // Another connection to the same database sees every message: they were committed before the answers.
    const other = await openStore({ url: server.databaseEnv.DATABASE_URL, path: server.databasePath });
    const stored = await other.read(async (tx) => (await tx.orm.select().from(tx.t.messages)).length);
    await other.close();
    expect(stored).toBeGreaterThanOrEqual(100);
  });

  it('a message delivered twice at once is answered once, the second time with the same replies', async () => {
    const inbox = inboxFor({ store: server.app.store, engine });
    const [first, again] = await Promise.all([inbox.submit(message('in-twice', 'in-twice-1', 'habari')), inbox.submit(message('in-twice', 'in-twice-1', 'habari'))]);
    const outcomes = [first, again].map((o) => o?.status).sort();
    expect(outcomes).toEqual(['duplicate', 'replied']);
    const replied = [first, again].find((o) => o?.status === 'replied');
    const duplicate = [first, again].find((o) => o?.status === 'duplicate');
    expect(duplicate).toEqual({ status: 'duplicate', replies: replied?.status === 'replied' ? replied.replies : [] });
    expect(await storedWithId('in-twice-1')).toHaveLength(1);
  });

  it('a turn that fails leaves no trace and does not take the others down with it', async () => {
    // This engine writes the turn, then fails: its writes must be rolled back.
    const flaky: Engine = {
      turn: async (tx, m, understood) => {
        const outcome = await engine.turn(tx, m, understood);
        if (m.text === 'boom') throw new Error('the turn failed half-way');
        return outcome;
      },
    };
    const inbox = inboxFor({ store: server.app.store, engine: flaky });
    const results = await Promise.allSettled([inbox.submit(message('in-a', 'in-a-1', 'habari')), inbox.submit(message('in-b', 'in-b-1', 'boom')), inbox.submit(message('in-c', 'in-c-1', 'habari'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await storedWithId('in-b-1')).toEqual([]);
    expect(await storedWithId('in-a-1')).toHaveLength(1);
    await inbox.drain();
  });
});
