import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../channels/telegram/telegram.ts';
import { findConversation } from '../../db/queries/conversations.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { sessionOf } from '../support/sessions.ts';

// The emulator has no forum topics, so a loopback stand-in for the Bot API
// answers the three methods topics need, in the Bot API's own JSON shapes.
const GROUP = '-1009876543';
const calls: { method: string; body: Record<string, unknown> }[] = [];
let api: ReturnType<typeof serve>;
let apiRoot = '';

beforeAll(async () => {
  const stub = new Hono();
  stub.post('/:bot/:method', async (c) => {
    const method = c.req.param('method');
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    calls.push({ method, body });
    const result: Record<string, unknown> = {
      getMe: { id: 42, is_bot: true, first_name: 'Huduma', username: 'huduma_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false },
      getChat: { id: Number(GROUP), type: 'supergroup', title: 'TEHAMA staff', is_forum: true, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} },
      createForumTopic: { message_thread_id: 55, name: String(body.name), icon_color: 7322096 },
      sendMessage: { message_id: calls.length, date: 0, chat: { id: Number(body.chat_id), type: 'supergroup' }, text: String(body.text) },
    };
    return method in result ? c.json({ ok: true, result: result[method] }) : c.json({ ok: false, error_code: 404, description: 'Not Found' }, 404);
  });
  api = serve({ fetch: stub.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => api.once('listening', () => r()));
  apiRoot = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => {
  api.close();
});

describe.each(BACKENDS)('a staff group with topics, on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    calls.length = 0;
    server = await startTestServer({ backend });
  });
  afterAll(() => server.close());

  it('gets one topic per conversation, and what staff write in it reaches the person', async () => {
    await say(server, 'topic-citizen-1', 'habari');
    // The web chat's chat id is the session the server issued for this person.
    const session = await sessionOf(server, 'topic-citizen-1');
    const conversation = await server.app.store.read((tx) => findConversation(tx, 'webchat', session));
    const id = conversation?.id ?? 0;
    const channel = new TelegramChannel({
      token: '1:topics',
      apiRoot,
      deliver: () => ({ status: 'handed_off' }),
      clock: server.clock,
      log: pino({ level: 'silent' }),
      staff: { chatId: GROUP, desk: server.app.desk },
    });
    expect(await channel.send(GROUP, { text: `🙋 #M${id} help`, thread: id })).toEqual({ status: 'sent' });
    expect(await channel.send(GROUP, { text: `💬 #M${id} more`, thread: id })).toEqual({ status: 'sent' });
    expect(calls.filter((c) => c.method === 'createForumTopic')).toEqual([{ method: 'createForumTopic', body: { chat_id: GROUP, name: `Huduma #M${id}` } }]);
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.body.message_thread_id)).toEqual([55, 55]);
    expect(calls.filter((c) => c.method === 'getChat')).toHaveLength(1);

    const update = {
      update_id: 31337,
      message: {
        message_id: 90,
        date: 1795392000,
        is_topic_message: true,
        message_thread_id: 55,
        chat: { id: Number(GROUP), type: 'supergroup' as const, title: 'TEHAMA staff', is_forum: true as const },
        from: { id: 9003, is_bot: false, first_name: 'Rehema' },
        text: 'Karibu, nimepokea ujumbe wako.',
      },
    };
    await channel.handleUpdate(update);
    await channel.handleUpdate(update); // redelivered: still one answer
    const said = (await transcript(server, 'topic-citizen-1')).filter((m) => m.text.includes('nimepokea ujumbe wako'));
    expect(said.map((m) => m.text)).toEqual(['👤 Afisa wa TEHAMA: Karibu, nimepokea ujumbe wako.']);
  });
});
