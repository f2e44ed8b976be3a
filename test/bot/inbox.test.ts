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

  it('a message of someone who wrote before, delivered twice at once, is answered once (stored as it arrives on PostgreSQL)', async () => {
    const inbox = inboxFor({ store: server.app.store, engine });
    await inbox.submit(message('in-known', 'in-known-0', 'habari'));
    const [first, again] = await Promise.all([inbox.submit(message('in-known', 'in-known-1', 'asante')), inbox.submit(message('in-known', 'in-known-1', 'asante'))]);
    expect([first, again].map((o) => o?.status).sort()).toEqual(['duplicate', 'replied']);
    const replied = [first, again].find((o) => o?.status === 'replied');
    expect([first, again].find((o) => o?.status === 'duplicate')).toEqual({ status: 'duplicate', replies: replied?.status === 'replied' ? replied.replies : [] });
    expect(await storedWithId('in-known-1')).toHaveLength(1);
    // Delivered once more after both committed: the same replies again, nothing stored.
    expect(await inbox.submit(message('in-known', 'in-known-1', 'asante'))).toEqual({ status: 'duplicate', replies: replied?.status === 'replied' ? replied.replies : [] });
    expect(await storedWithId('in-known-1')).toHaveLength(1);
  });

  it('a second person writing in a chat someone began joins its conversation as a person of their own', async () => {
    const inbox = inboxFor({ store: server.app.store, engine });
    const inGroup = (sender: string, id: string): InboundMessage => ({ ...message('in-group', id, 'habari'), senderId: sender });
    await inbox.submit(inGroup('in-group-a', 'in-group-1'));
    await inbox.submit(inGroup('in-group-b', 'in-group-2'));
    await inbox.submit(inGroup('in-group-b', 'in-group-3'));
    const rows = await server.app.store.read(async (tx) => ({
      conversations: (await tx.orm.select().from(tx.t.conversations)).filter((c) => c.chatId === 'in-group'),
      identities: (await tx.orm.select().from(tx.t.identities)).filter((i) => i.externalId.startsWith('in-group-')),
    }));
    expect(rows.conversations).toHaveLength(1);
    expect(new Set(rows.identities.map((i) => i.personId)).size).toBe(2);
    const stored = await Promise.all(['in-group-1', 'in-group-2', 'in-group-3'].map(storedWithId));
    expect(stored.map((m) => m.map((r) => r.conversationId))).toEqual([[rows.conversations[0]?.id], [rows.conversations[0]?.id], [rows.conversations[0]?.id]]);
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
