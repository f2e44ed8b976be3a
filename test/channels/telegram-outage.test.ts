import type { Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import { Metrics } from '../../bot/metrics.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { createServer } from '../../channels/server.ts';
import { TelegramChannel, type TelegramTiming } from '../../channels/telegram/telegram.ts';
import { telegramWebhookRoutes } from '../../channels/telegram/webhook.ts';
import { startTestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// Telegram's Bot API down or failing, and the database failing for a moment:
// what a person writing to the bot, and the operator reading the logs, notice.

/** Tries and pauses short enough for a test; the shape of the production ones. */
const FAST: Partial<TelegramTiming> = { attempts: 2, callTimeoutMs: 200, backoffMs: 50, againAfterMs: 300, turnRetryMs: 50, turnRetryMaxMs: 200 };

type Line = { level: number; msg: string; [key: string]: unknown };

/** A logger whose lines the test reads, at info level as in production. */
function recorder() {
  const lines: Line[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { log, lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 25) {
    if (await ok()) return;
    await sleep(25);
  }
  throw new Error(`waited ${ms} ms for ${what}`);
}

/** The promise's value, or 'still waiting' after `ms`. */
const within = <T>(ms: number, p: Promise<T>): Promise<T | 'still waiting'> => Promise.race([p, sleep(ms).then(() => 'still waiting' as const)]);

/** A private chat's text message, in the Bot API's update shape. */
const textUpdate = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: { message_id: updateId, date: 1795392000, chat: { id: chatId, type: 'private' as const, first_name: 'Asha' }, from: { id: chatId, is_bot: false, first_name: 'Asha' }, text },
});

/**
 * A loopback stand-in for api.telegram.org that long polling can use: getMe,
 * deleteWebhook, getUpdates (the updates from `offset` on, as Telegram keeps
 * them), sendMessage. While `down`, it takes each request and never answers.
 */
async function botApi() {
  const state = { down: false, updates: [] as { update_id: number }[], offsets: [] as (number | undefined)[] };
  const api = new Hono();
  api.post('/:bot/:method', async (c) => {
    if (state.down) return new Promise<Response>(() => undefined);
    const method = c.req.param('method');
    const body = (await c.req.json().catch(() => ({}))) as { offset?: number; timeout?: number; limit?: number; chat_id?: number; text?: string };
    if (method === 'getUpdates') {
      state.offsets.push(body.offset);
      for (let waited = 0; ; waited += 20) {
        const ready = state.updates.filter((u) => u.update_id >= (body.offset ?? 0)).slice(0, body.limit ?? 100);
        if (ready.length > 0 || waited >= Math.min((body.timeout ?? 0) * 1000, 200)) return c.json({ ok: true, result: ready });
        await sleep(20);
      }
    }
    const results: Record<string, unknown> = {
      getMe: { id: 777, is_bot: true, first_name: 'Huduma', username: 'huduma_outage_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false },
      deleteWebhook: true,
      setWebhook: true,
      answerCallbackQuery: true,
      sendMessage: { message_id: 1, date: 0, chat: { id: body.chat_id, type: 'private' }, text: body.text },
    };
    return method in results ? c.json({ ok: true, result: results[method] }) : c.json({ ok: false, error_code: 404, description: 'Not Found' }, 404);
  });
  const server = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A Bot API that is down the unkind way: it accepts every connection and never answers. */
async function blackHole() {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The error a driver gives when the database is busy for a moment. */
const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe.each(BACKENDS)('Telegram with the Bot API or the database failing, on %s', (backend) => {
  it('a webhook post with the Bot API down is answered 200 within a few seconds, and its reply waits in the outbox', async () => {
    const hole = await blackHole();
    const server = await startTestServer({ backend, env: { TELEGRAM_BOT_TOKEN: '888:outage-hook', TELEGRAM_API_ROOT: hole.url, TELEGRAM_WEBHOOK_SECRET: 'outage-secret' } });
    try {
      const res = await fetch(`${server.url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'outage-secret' },
        body: JSON.stringify(textUpdate(910001, 91001, 'msaada')),
        signal: AbortSignal.timeout(5_000), // Telegram gives a webhook 10 s
      });
      expect(res.status).toBe(200);
      const queued = await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox));
      const mine = queued.filter((r) => r.channel === 'telegram' && r.chatId === '91001');
      // The menu, then the privacy notice (the person's first answer).
      expect(mine.map((r) => r.status)).toEqual(['pending', 'pending']);
      expect(mine.map((r) => (r.body as { text: string }).text).join('\n')).toContain('Tafadhali chagua unachohitaji');
    } finally {
      await hole.close();
      await server.close();
    }
  }, 20_000);

  it('webhook mode starts and stops at once with the Bot API down', async () => {
    const hole = await blackHole();
    try {
      const starting = startTestServer({
        backend,
        start: true,
        env: { TELEGRAM_BOT_TOKEN: '888:outage-hook', TELEGRAM_API_ROOT: hole.url, TELEGRAM_WEBHOOK_SECRET: 'outage-secret', TELEGRAM_WEBHOOK_URL: 'https://huduma.example/telegram/webhook' },
      });
      const server = await within(5_000, starting);
      expect(server).not.toBe('still waiting');
      if (server !== 'still waiting') expect(await within(5_000, server.close())).not.toBe('still waiting');
    } finally {
      await hole.close();
    }
  }, 20_000);

  it('a polled update the database refused for a moment is delivered again, and answered once', async () => {
    const api = await botApi();
    const server = await startTestServer({ backend });
    const { log, lines } = recorder();
    const delivered: string[] = [];
    let refused = false;
    const deliver = async (m: InboundMessage): Promise<TurnOutcome> => {
      delivered.push(m.channelMessageId);
      if (!refused) {
        refused = true;
        throw busy();
      }
      return server.app.inbox.submit(m);
    };
    const channel = new TelegramChannel({ token: '777:outage', apiRoot: api.url, deliver, clock: server.clock, log, timing: FAST });
    const answers = async (chatId: string) => (await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox))).filter((r) => r.channel === 'telegram' && r.chatId === chatId);
    try {
      api.state.updates.push(textUpdate(920001, 92001, 'habari'), textUpdate(920002, 92002, 'habari'));
      await channel.start();
      await waitUntil('both people answered', async () => (await answers('92001')).length > 0 && (await answers('92002')).length > 0);
      await sleep(300); // room for a second answer, were there one
      expect(delivered).toEqual(['update:920001', 'update:920001', 'update:920002']);
      const first = await answers('92001');
      const second = await answers('92002');
      // The refused one got exactly the answer the other got: once.
      expect(first.map((r) => (r.body as { text: string }).text)).toEqual(second.map((r) => (r.body as { text: string }).text));
      expect(first.filter((r) => /karibu/i.test((r.body as { text: string }).text))).toHaveLength(1);
      expect(lines.some((l) => l.update === 920001 && /tried again/.test(l.msg))).toBe(true);
    } finally {
      await channel.stop();
      await api.close();
      await server.close();
    }
  }, 20_000);
});

describe.each(BACKENDS)('the Telegram webhook when a turn fails, on %s', (backend) => {
  /** The webhook as the server mounts it (its error answers included), on a channel whose deliveries the test controls. */
  async function webhookWith(deliver: (m: InboundMessage, inbox: (m: InboundMessage) => Promise<TurnOutcome>) => Promise<TurnOutcome>) {
    const api = await botApi();
    const server = await startTestServer({ backend });
    const { log, lines } = recorder();
    const channel = new TelegramChannel({ token: '777:outage', apiRoot: api.url, deliver: (m) => deliver(m, (x) => server.app.inbox.submit(x)), clock: server.clock, log, timing: FAST });
    const http = createServer({ store: server.app.store, metrics: new Metrics(), log, routes: [telegramWebhookRoutes('outage-secret', (u) => channel.handleUpdate(u))] });
    const post = (update: object) =>
      http.request('/telegram/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'outage-secret' }, body: JSON.stringify(update) });
    const answers = async (chatId: string) =>
      (await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox))).filter((r) => r.channel === 'telegram' && r.chatId === chatId).map((r) => (r.body as { text: string }).text);
    const close = async () => {
      await channel.stop();
      await api.close();
      await server.close();
    };
    return { post, answers, lines, close };
  }

  it('the database refusing an update: 503, so Telegram sends it again; the re-sent one is answered, once', async () => {
    let refusals = 1;
    const hook = await webhookWith(async (m, inbox) => {
      if (refusals-- > 0) throw busy();
      return inbox(m);
    });
    try {
      const update = textUpdate(960001, 96001, 'habari');
      expect((await hook.post(update)).status).toBe(503);
      expect(await hook.answers('96001')).toEqual([]);
      expect((await hook.post(update)).status).toBe(200);
      expect((await hook.post(update)).status).toBe(200); // and again: still the one answer
      const said = await hook.answers('96001');
      expect(said.filter((t) => /karibu/i.test(t))).toHaveLength(1);
    } finally {
      await hook.close();
    }
  }, 20_000);

  it('a defect in an update: logged without the message, and answered 200 so Telegram does not send it again and again', async () => {
    const hook = await webhookWith(async (m) => {
      throw Object.assign(new Error(`Failed query: insert into messages params: ${m.text}`), { cause: new TypeError("Cannot read properties of undefined (reading 'id')") });
    });
    try {
      expect((await hook.post(textUpdate(970001, 97001, 'namba yangu ni 0754 123 456'))).status).toBe(200);
      expect(hook.lines.filter((l) => l.update === 970001).map((l) => l.level)).toEqual([50]);
      expect(JSON.stringify(hook.lines)).not.toMatch(/0754|namba yangu/);
    } finally {
      await hook.close();
    }
  }, 20_000);
});

describe('Telegram polling', () => {
  it('goes on after an update whose handling fails for another reason, which is logged without the message and not retried', async () => {
    const api = await botApi();
    const { log, lines } = recorder();
    const delivered: string[] = [];
    const deliver = async (m: InboundMessage): Promise<TurnOutcome> => {
      delivered.push(m.channelMessageId);
      // A defect deep in a query: the outer message lists the query's parameters, as drizzle's does.
      if (m.text.includes('0754'))
        throw Object.assign(new Error(`Failed query: insert into messages params: ${m.text}`), { cause: new TypeError("Cannot read properties of undefined (reading 'id')") });
      return { status: 'replied', replies: [] };
    };
    const channel = new TelegramChannel({ token: '777:outage', apiRoot: api.url, deliver, clock: new ManualClock('2026-11-23T08:00:00Z'), log, timing: FAST });
    try {
      api.state.updates.push(textUpdate(930001, 93001, 'namba yangu ni 0754 123 456'), textUpdate(930002, 93002, 'habari'));
      await channel.start();
      await waitUntil('the next update handled', () => delivered.includes('update:930002'));
      api.state.updates.push(textUpdate(930003, 93003, 'msaada'));
      await waitUntil('a later update handled', () => delivered.includes('update:930003'));
      expect(delivered).toEqual(['update:930001', 'update:930002', 'update:930003']);
      const failed = lines.filter((l) => l.update === 930001);
      expect(failed.map((l) => l.level)).toEqual([50]); // one error line
      expect(JSON.stringify(failed[0])).toMatch(/Cannot read properties of undefined/);
      expect(JSON.stringify(lines)).not.toMatch(/0754|namba yangu/);
    } finally {
      await channel.stop();
      await api.close();
    }
  }, 20_000);

  it('started with the Bot API down: start ends at once, the operator is told, and polling begins by itself when it is back', async () => {
    const api = await botApi();
    api.state.down = true;
    const { log, lines } = recorder();
    const delivered: string[] = [];
    const deliver = async (m: InboundMessage): Promise<TurnOutcome> => {
      delivered.push(m.channelMessageId);
      return { status: 'replied', replies: [] };
    };
    const channel = new TelegramChannel({ token: '777:outage', apiRoot: api.url, deliver, clock: new ManualClock('2026-11-23T08:00:00Z'), log, timing: FAST });
    try {
      expect(await within(2_000, channel.start())).not.toBe('still waiting');
      await waitUntil('an error saying Telegram cannot be reached', () => lines.some((l) => l.level === 50 && l.call === 'getMe'), 3_000);
      const told = lines.find((l) => l.level === 50 && l.call === 'getMe');
      expect(told?.msg).toMatch(/could not reach the Telegram Bot API \(http:\/\/127\.0\.0\.1:\d+\) for getMe.*polling starts when Telegram answers; trying again/);
      api.state.down = false;
      api.state.updates.push(textUpdate(940001, 94001, 'habari'));
      await waitUntil('the update taken once Telegram answers', () => delivered.includes('update:940001'));
      expect(lines.some((l) => l.msg === 'telegram long polling started' && l.username === 'huduma_outage_bot')).toBe(true);
    } finally {
      expect(await within(3_000, channel.stop())).not.toBe('still waiting');
      await api.close();
    }
  }, 20_000);

  it('started with nothing listening at the Bot API address: start ends, and the log names the failure but never the token', async () => {
    const { log, lines } = recorder();
    const token = '777:never-in-the-logs';
    const channel = new TelegramChannel({ token, apiRoot: 'http://127.0.0.1:9', deliver: () => ({ status: 'handed_off' }), clock: new ManualClock('2026-11-23T08:00:00Z'), log, timing: FAST });
    try {
      expect(await within(2_000, channel.start())).not.toBe('still waiting');
      await waitUntil('an error saying Telegram cannot be reached', () => lines.some((l) => l.level === 50 && l.call === 'getMe'), 3_000);
      expect(JSON.stringify(lines)).toMatch(/ECONNREFUSED/);
      expect(JSON.stringify(lines)).not.toContain('never-in-the-logs');
    } finally {
      expect(await within(2_000, channel.stop())).not.toBe('still waiting');
    }
  }, 20_000);

  it('stopped while the database is away: the update is not confirmed to Telegram, so the next poller gets it', async () => {
    const api = await botApi();
    const { log } = recorder();
    const deliver = async (): Promise<TurnOutcome> => {
      throw busy();
    };
    const channel = new TelegramChannel({ token: '777:outage', apiRoot: api.url, deliver, clock: new ManualClock('2026-11-23T08:00:00Z'), log, timing: FAST });
    try {
      api.state.updates.push(textUpdate(950001, 95001, 'habari'));
      await channel.start();
      await waitUntil('the update fetched', () => api.state.offsets.length > 0);
      await sleep(300);
      expect(await within(3_000, channel.stop())).not.toBe('still waiting');
      // Every getUpdates since asked from the refused update on: Telegram still has it.
      expect(api.state.offsets.every((o) => o === undefined || o <= 950001)).toBe(true);
    } finally {
      await channel.stop();
      await api.close();
    }
  }, 20_000);
});

describe('Telegram webhook registration', () => {
  it('with the Bot API down ends at once, and the operator is told', async () => {
    const hole = await blackHole();
    const { log, lines } = recorder();
    const channel = new TelegramChannel({
      token: '888:outage-hook',
      apiRoot: hole.url,
      deliver: () => ({ status: 'handed_off' }),
      clock: new ManualClock('2026-11-23T08:00:00Z'),
      log,
      timing: FAST,
    });
    try {
      expect(await within(1_000, channel.useWebhook('https://huduma.example/telegram/webhook', 'outage-secret'))).not.toBe('still waiting');
      await waitUntil('an error about the webhook', () => lines.some((l) => l.level === 50 && l.call === 'setWebhook'), 3_000);
      expect(lines.find((l) => l.call === 'setWebhook')?.msg).toMatch(/could not reach the Telegram Bot API .* for setWebhook.*Telegram keeps posting to the address it was given before/);
    } finally {
      expect(await within(2_000, channel.stop())).not.toBe('still waiting');
      await hole.close();
    }
  }, 20_000);
});
