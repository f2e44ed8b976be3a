import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../bot/config.ts';
import { ShiftedClock } from '../../bot/sla/clock.ts';
import { createApp, type App } from '../../channels/app.ts';
import { TelegramChannel } from '../../channels/telegram/telegram.ts';
import { openStore } from '../../db/open.ts';
import { BACKENDS, databaseEnv, type Backend } from '../support/databases.ts';

const TOKEN = '123456:huduma-test-token';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A new, empty database of this backend: the settings that reach it. */
const freshDatabase = (backend: Backend, name: string) => databaseEnv(backend, join(mkdtempSync(join(tmpdir(), `huduma-${name}-`)), 'huduma.db'));

/** A second connection to an app's database, as another process would have. */
const openAgain = (env: Record<string, string>) => openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '' });

/** The Telegram channel of a running app. */
function telegramOf(app: App): TelegramChannel {
  const channel = app.channel('telegram')?.outbound;
  if (!(channel instanceof TelegramChannel)) throw new Error('Telegram is not on');
  return channel;
}

let emulator: TelegramServer;

beforeAll(async () => {
  emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 60 });
  await emulator.start();
});

afterAll(async () => {
  await emulator?.stop();
});

type BotMessage = { message: { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } } };

/** Everything the bot sent this client since the last call, waiting until `until` shows up. */
async function replies(client: ReturnType<TelegramServer['getClient']>, until: string): Promise<BotMessage[]> {
  const got: BotMessage[] = [];
  for (let i = 0; i < 60; i++) {
    const res = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: BotMessage[] };
    got.push(...res.result);
    if (got.some((m) => m.message.text.includes(until))) return got;
  }
  throw new Error(`the bot never said "${until}"; it said: ${got.map((m) => m.message.text).join(' | ')}`);
}

describe.each(BACKENDS)('Telegram on %s', (backend) => {
  // The emulator outlives each backend's apps: each backend talks with its own people there.
  const person = (n: number) => n + (backend === 'sqlite' ? 0 : 100_000);
  let app: App;
  let database: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase(backend, 'telegram');
    const config = loadConfig({ ...database, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL });
    // Monday 11:00 in Dar es Salaam, running at real speed so the per-chat pacing lets replies out.
    app = await createApp(config, new ShiftedClock('2026-11-23T08:00:00Z'), pino({ level: 'silent' }));
    await app.start();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('Telegram through grammY and a local Bot API emulator', () => {
    it('takes a person from /start to a reference number, with inline-keyboard answers', async () => {
      const client = emulator.getClient(TOKEN, { userId: person(5001), chatId: person(5001), timeout: 2000, interval: 50 });
      await client.sendCommand(client.makeCommand('/start'));
      await replies(client, 'karibu');
      await client.sendMessage(client.makeMessage('barua pepe yangu haifanyi kazi tangu jana'));
      await replies(client, 'ofisi au idara');
      await client.sendMessage(client.makeMessage('Masjala, jengo A'));
      await replies(client, 'namba yako ya simu');
      await client.sendMessage(client.makeMessage('0754 123 456'));
      const confirm = await replies(client, 'Je, taarifa hizi ni sahihi?');
      const keyboard = confirm.find((m) => m.message.reply_markup)?.message.reply_markup?.inline_keyboard;
      expect(keyboard?.map((row) => row[0]?.text)).toEqual(['1. Ndiyo, wasilisha', '2. Badilisha taarifa', '3. Ghairi']);
      await client.sendCallback(client.makeCallbackQuery(keyboard?.[0]?.[0]?.callback_data ?? '1'));
      const done = await replies(client, 'Namba yake ni');
      expect(done.map((m) => m.message.text).join('\n')).toMatch(/ICT-2026-000001.*kabla ya saa tano asubuhi, Jumanne tarehe 24 Novemba 2026/s);
    }, 60_000);

    it('answers an update delivered twice only once', async () => {
      const id = person(6001);
      const update = {
        update_id: 990001,
        message: { message_id: 1, date: 1795392000, chat: { id, type: 'private' as const, first_name: 'Asha' }, from: { id, is_bot: false, first_name: 'Asha' }, text: 'habari' },
      };
      await telegramOf(app).handleUpdate(update);
      await telegramOf(app).handleUpdate(update);
      const client = emulator.getClient(TOKEN, { userId: id, chatId: id, timeout: 1500, interval: 50 });
      const got = await replies(client, 'karibu');
      await new Promise((r) => setTimeout(r, 1500)); // room for a second answer, were there one
      const later = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: BotMessage[] };
      expect([...got, ...later.result].filter((m) => m.message.text.includes('karibu'))).toHaveLength(1);
    }, 30_000);
  });

  describe('Telegram webhook mode', () => {
    it('refuses a wrong or missing secret with 401, and answers a real-shaped update through the outbox', async () => {
      const hook = await createApp(
        loadConfig({
          ...(await freshDatabase(backend, 'telegram-hook')),
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: emulator.config.apiURL,
          TELEGRAM_WEBHOOK_SECRET: 'a-very-secret-token',
        }),
        new ShiftedClock('2026-11-23T08:00:00Z'),
        pino({ level: 'silent' }),
      );
      const post = (headers: Record<string, string>, body: object) =>
        hook.http.request('/telegram/webhook', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const id = person(7001);
      const update = {
        update_id: 770001,
        message: { message_id: 9, date: 1795392000, chat: { id, type: 'private', first_name: 'Juma' }, from: { id, is_bot: false, first_name: 'Juma' }, text: 'msaada' },
      };
      expect((await post({}, update)).status).toBe(401);
      expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'guess' }, update)).status).toBe(401);
      // As long as the secret in characters, but not in bytes: still 401, never an error.
      expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'é'.repeat('a-very-secret-token'.length) }, update)).status).toBe(401);
      expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'a-very-secret-token' }, { hello: 1 })).status).toBe(400);
      const ok = await post({ 'X-Telegram-Bot-Api-Secret-Token': 'a-very-secret-token' }, update);
      expect(ok.status).toBe(200);
      await hook.start();
      const client = emulator.getClient(TOKEN, { userId: id, chatId: id, timeout: 1500, interval: 50 });
      const menu = await replies(client, 'Tafadhali chagua unachohitaji');
      expect(menu.find((m) => m.message.reply_markup)?.message.reply_markup?.inline_keyboard).toHaveLength(4);
      await hook.close();
    }, 30_000);
  });

  describe('Telegram webhook under a burst', () => {
    it('acknowledges forty updates posted at once only after each is committed, with one reply each', async () => {
      const burstDatabase = await freshDatabase(backend, 'telegram-burst');
      const hook = await createApp(
        loadConfig({ ...burstDatabase, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, TELEGRAM_WEBHOOK_SECRET: 'burst-secret' }),
        new ShiftedClock('2026-11-23T08:00:00Z'),
        pino({ level: 'silent' }),
      );
      const updates = Array.from({ length: 40 }, (_, i) => ({
        update_id: 880000 + i,
        message: {
          message_id: i + 1,
          date: 1795392000,
          chat: { id: person(8100 + i), type: 'private', first_name: 'Asha' },
          from: { id: person(8100 + i), is_bot: false, first_name: 'Asha' },
          text: 'habari',
        },
      }));
      // Telegram re-sends an update it got no answer for: the first ten come twice.
      const posts = [...updates, ...updates.slice(0, 10)].map((u) =>
        hook.http.request('/telegram/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'burst-secret' }, body: JSON.stringify(u) }),
      );
      const statuses = await Promise.all(posts.map(async (p) => (await p).status));
      expect(statuses.every((s) => s === 200)).toBe(true);
      // A second connection sees every reply queued: the 200s came after the commits.
      const other = await openAgain(burstDatabase);
      const queued = await other.read((tx) => tx.orm.select().from(tx.t.outbox));
      await other.close();
      expect(new Set(queued.map((r) => r.chatId)).size).toBe(40);
      const perChat = new Map<string, number>();
      for (const r of queued) perChat.set(r.chatId, (perChat.get(r.chatId) ?? 0) + 1);
      // Everyone got the same greeting, and the re-sent ten got nothing more.
      expect(new Set(perChat.values()).size).toBe(1);
      await hook.close();
    }, 30_000);
  });

  describe('Telegram photos, documents, voice notes and locations', () => {
    it('are acknowledged and kept with the request', async () => {
      const user = { id: person(8001), is_bot: false, first_name: 'Rehema' };
      const chat = { id: person(8001), type: 'private' as const, first_name: 'Rehema' };
      let id = 880000;
      const send = (message: object) => telegramOf(app).handleUpdate({ update_id: ++id, message: { message_id: id, date: 1795392000, chat, from: user, ...message } } as never);
      const client = emulator.getClient(TOKEN, { userId: person(8001), chatId: person(8001), timeout: 1500, interval: 50 });
      await send({ text: 'printa ya ofisi imeharibika haitoi karatasi' });
      await replies(client, 'Namba ya utambulisho');
      await send({
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 90 },
          { file_id: 'large-photo', file_unique_id: 'l', width: 1280, height: 960 },
        ],
        caption: 'printa yenyewe',
      });
      await replies(client, 'Nimepokea picha; nitaviweka pamoja na ombi hili');
      await replies(client, 'Namba ya utambulisho'); // and the question again
      for (const text of ['PR-77', 'ndiyo', 'Masjala', '0754 000 999', 'ndiyo']) await send({ text });
      const done = await replies(client, 'Namba yake ni');
      const reference = /ICT-2026-\d{6}/.exec(done.map((m) => m.message.text).join('\n'))?.[0];
      await send({ location: { latitude: -6.7924, longitude: 39.2083 } });
      await replies(client, `nimeviweka pamoja na ombi lako ${reference}`);
      const other = await openAgain(database);
      const kept = await other.read((tx) => tx.orm.select().from(tx.t.requestEvents).where(eq(tx.t.requestEvents.kind, 'attachment')));
      await other.close();
      expect(kept.map((e) => e.data)).toEqual([
        { kind: 'photo', fileId: 'large-photo', caption: 'printa yenyewe' },
        { kind: 'location', latitude: -6.7924, longitude: 39.2083 },
      ]);
    }, 60_000);
  });
});
