import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/sla/clock.ts';
import { TelegramChannel } from '../../channels/telegram/telegram.ts';

// A loopback stand-in for api.telegram.org that answers sendMessage with the
// error a chat id asks for, in the Bot API's own JSON shape.
const answers: Record<string, { status: number; body: object }> = {
  '429': { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } },
  '403': { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
  '400': { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
  '502': { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
};
let url = '';
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  const api = new Hono();
  api.post('/:bot/sendMessage', async (c) => {
    const { chat_id } = (await c.req.json()) as { chat_id: string };
    const a = answers[String(chat_id)];
    if (a) return c.json(a.body, a.status as 400);
    return c.json({ ok: true, result: { message_id: 1, date: 0, chat: { id: Number(chat_id), type: 'private' }, text: 'ok' } });
  });
  server = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const channel = (apiRoot: string) =>
  new TelegramChannel({ token: '1:test', apiRoot, deliver: () => ({ status: 'handed_off' }), clock: new ManualClock('2026-11-23T08:00:00Z'), log: pino({ level: 'silent' }) });

describe("Telegram's answers, as the outbox sees them", () => {
  it('a sent message', async () => {
    expect(await channel(url).send('42', { text: 'habari' })).toEqual({ status: 'sent' });
  });
  it('429: retry after exactly what Telegram asked', async () => {
    expect(await channel(url).send('429', { text: 'habari' })).toEqual({ status: 'retry', reason: '429 Too Many Requests: retry after 3', afterMs: 3000 });
  });
  it('403 and chat not found: failed, with the reason, never retried', async () => {
    expect(await channel(url).send('403', { text: 'habari' })).toEqual({ status: 'failed', reason: '403 Forbidden: bot was blocked by the user' });
    expect(await channel(url).send('400', { text: 'habari' })).toEqual({ status: 'failed', reason: '400 Bad Request: chat not found' });
  });
  it('a server error or no network: retried', async () => {
    expect((await channel(url).send('502', { text: 'habari' })).status).toBe('retry');
    expect((await channel('http://127.0.0.1:9').send('42', { text: 'habari' })).status).toBe('retry');
  });
});
