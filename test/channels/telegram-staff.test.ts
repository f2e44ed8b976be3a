import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../channels/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { ShiftedClock } from '../../bot/sla/clock.ts';

// A Telegram customer and the Telegram staff group, both through the Bot API emulator:
// the breach notice reaches the customer unasked, the staff group hears of it and of
// hand-offs, and what staff answer there reaches the customer.
const TOKEN = '654321:huduma-staff-test';
const STAFF_GROUP = -1001234567;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

type BotMessage = { message: { message_id: number; text: string; date: number; chat: { id: number } } };
type Client = ReturnType<TelegramServer['getClient']>;

let emulator: TelegramServer;
let app: App;
/** The staff group, as one member (Baraka) sees it: the emulator keeps one reader a chat. */
let staff: Client;
const clock = new ShiftedClock('2026-11-23T08:00:00Z');

beforeAll(async () => {
  emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 60 });
  await emulator.start();
  const config = loadConfig({
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'huduma-telegram-staff-')), 'huduma.db'),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.config.apiURL,
    TELEGRAM_STAFF_CHAT_ID: String(STAFF_GROUP),
  });
  app = await createApp(config, clock, pino({ level: 'silent' }));
  await app.start();
  staff = emulator.getClient(TOKEN, { userId: 9002, chatId: STAFF_GROUP, type: 'supergroup', chatTitle: 'TEHAMA staff', firstName: 'Baraka', timeout: 2000, interval: 50 });
});

afterAll(async () => {
  await app?.close();
  await emulator?.stop();
});

/**
 * What the bot sent a chat, waiting until a message matches `until`. It asks the
 * emulator directly: its client's getUpdates keeps polling after its own timeout
 * and would swallow messages that arrive later.
 */
async function waitFor(chatId: number, until: RegExp, seen: BotMessage[] = []): Promise<BotMessage[]> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${emulator.config.apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, chatId }) });
    seen.push(...((await res.json()) as { result: BotMessage[] }).result);
    if (seen.some((m) => until.test(m.message.text))) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw ${until}; saw: ${seen.map((m) => m.message.text).join(' | ')}`);
}

describe('Telegram customer and Telegram staff group', () => {
  it('a breached request: the customer hears of it unasked, and the staff group is alerted', async () => {
    const customer = emulator.getClient(TOKEN, { userId: 7101, chatId: 7101, firstName: 'Neema', timeout: 2000, interval: 50 });
    for (const [text, until] of [
      ['the internet in our office has been down since morning', /Which office/],
      ['Registry, block B', /phone number/],
      ['+255 713 000 111', /correct\?/],
      ['yes', /ICT-2026-\d{6}/],
    ] as const) {
      await customer.sendMessage(customer.makeMessage(text));
      await waitFor(7101, until);
    }
    clock.jump('2026-11-24T08:05:00Z'); // Tuesday, five minutes past the due time
    expect(await app.sla.sweep()).toMatchObject({ breached: 1 });
    const notice = await waitFor(7101, /We apologise/);
    expect(notice.find((m) => /We apologise/.test(m.message.text))?.message.text).toMatch(/ICT-2026-\d{6}.*supervisor/s);
    const group = await waitFor(STAFF_GROUP, /🔴/);
    const alert = group.find((m) => m.message.text.startsWith('🔴'));
    expect(alert?.message.text).toMatch(/ICT-2026-\d{6}.*limepita muda/s);
  }, 60_000);

  it('a hand-off is posted to the staff group; a reply to it reaches the customer; /maliza hands the chat back', async () => {
    const customer = emulator.getClient(TOKEN, { userId: 7202, chatId: 7202, firstName: 'Juma', timeout: 2000, interval: 50 });
    await customer.sendMessage(customer.makeMessage('nataka kuongea na afisa'));
    await waitFor(7202, /Nimekuunganisha na afisa/);
    const posted = (await waitFor(STAFF_GROUP, /🙋 #M\d+/)).find((m) => /🙋 #M\d+/.test(m.message.text));
    expect(posted?.message.text).toContain('nataka kuongea na afisa');
    const replyTo = {
      message_id: posted?.message.message_id ?? 0,
      date: posted?.message.date ?? 0,
      chat: { id: STAFF_GROUP, type: 'supergroup' as const, title: 'TEHAMA staff' },
      text: posted?.message.text ?? '',
    };
    await staff.sendMessage(staff.makeMessage('Shikamoo, mimi ni Baraka. Tatizo ni nini?', { reply_to_message: replyTo }));
    await waitFor(7202, /Afisa wa TEHAMA: Shikamoo, mimi ni Baraka/);
    await staff.sendMessage(staff.makeMessage('/maliza', { reply_to_message: replyTo }));
    await waitFor(7202, /Mazungumzo yako na afisa wetu yamekamilika/);
    await customer.sendMessage(customer.makeMessage('habari'));
    await waitFor(7202, /karibu/i);
  }, 60_000);
});
