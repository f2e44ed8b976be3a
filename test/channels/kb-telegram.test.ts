import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { ShiftedClock } from '../../bot/sla/clock.ts';
import { createApp, type App } from '../../channels/app.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';

// Answers without a ticket on Telegram (the same engine as the web chat): the
// steps, then "Je, hili limesaidia?" as inline buttons; the "Fungua ombi"
// button starts the form of the article's service.

const TOKEN = '123456:huduma-kb-token';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

type BotMessage = { message: { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } } };

let emulator: TelegramServer;
beforeAll(async () => {
  emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 60 });
  await emulator.start();
});
afterAll(async () => {
  await emulator?.stop();
});

describe.each(BACKENDS)('the knowledge base on Telegram, %s', (backend) => {
  let app: App;
  beforeAll(async () => {
    const database = await databaseEnv(backend, join(mkdtempSync(join(tmpdir(), 'huduma-kb-telegram-')), 'huduma.db'));
    app = await createApp(loadConfig({ ...database, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL }), new ShiftedClock('2026-11-23T08:00:00Z'), pino({ level: 'silent' }));
    await app.start();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a question gets the steps and two buttons; "2. Fungua ombi" starts the form', async () => {
    const id = 8100 + (backend === 'sqlite' ? 0 : 100_000);
    const client = emulator.getClient(TOKEN, { userId: id, chatId: id, timeout: 2000, interval: 50 });
    const replies = async (until: string): Promise<BotMessage[]> => {
      const got: BotMessage[] = [];
      for (let i = 0; i < 60; i++) {
        const res = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: BotMessage[] };
        got.push(...res.result);
        if (got.some((m) => m.message.text.includes(until))) return got;
      }
      throw new Error(`the bot never said "${until}"; it said: ${got.map((m) => m.message.text).join(' | ')}`);
    };
    await client.sendMessage(client.makeMessage('projekta ya ukumbi haionyeshi kitu kutoka kwenye laptop, nifanyeje?'));
    const answered = await replies('Je, hili limesaidia?');
    expect(answered.map((m) => m.message.text).join('\n')).toContain('Windows+P');
    const keyboard = answered.find((m) => m.message.reply_markup)?.message.reply_markup?.inline_keyboard;
    expect(keyboard?.map((row) => row[0]?.text)).toEqual(['1. Ndiyo', '2. Fungua ombi']);
    await client.sendCallback(client.makeCallbackQuery(keyboard?.[1]?.[0]?.callback_data ?? '2'));
    expect((await replies('Tafadhali taja ofisi au idara yako')).map((m) => m.message.text).join('\n')).toContain('Samahani kwamba hatua hizo hazikutatua tatizo');
    const counted = await app.store.read((tx) =>
      tx.orm
        .select({ article: tx.t.kbAnswers.articleId, outcome: tx.t.kbAnswers.outcome, channel: tx.t.conversations.channel })
        .from(tx.t.kbAnswers)
        .innerJoin(tx.t.conversations, eq(tx.t.conversations.id, tx.t.kbAnswers.conversationId)),
    );
    expect(counted).toEqual([{ article: 'projector_meeting', outcome: 'request', channel: 'telegram' }]);
  }, 60_000);
});
