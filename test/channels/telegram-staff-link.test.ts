import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { ShiftedClock } from '../../bot/sla/clock.ts';
import { createApp, type App } from '../../channels/app.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// A Telegram staff-group member linked to their staff row (issue 14, item 5):
// `npm run staff:link-telegram` links them; what they answer in the group is
// then theirs in the audit trail (actor kind staff), and an SLA warning on a
// request they own mentions them, so Telegram notifies them. An unlinked
// member is still named by their Telegram name.

const TOKEN = '654322:huduma-staff-link';
const STAFF_GROUP = -1001234568;
const root = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

type BotMessage = { message: { message_id: number; text: string; date: number; chat: { id: number }; entities?: { type: string; offset: number; length: number; user?: { id: number } }[] } };

describe.each(BACKENDS)('a linked Telegram staff-group member, on %s', (backend) => {
  let emulator: TelegramServer;
  let app: App;
  let database: Record<string, string>;
  const clock = new ShiftedClock('2026-11-23T08:00:00Z');

  beforeAll(async () => {
    emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 60 });
    await emulator.start();
    database = await databaseEnv(backend, join(mkdtempSync(join(tmpdir(), 'huduma-telegram-link-')), 'huduma.db'));
    const config = loadConfig({ ...database, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, TELEGRAM_STAFF_CHAT_ID: String(STAFF_GROUP) });
    app = await createApp(config, clock, pino({ level: 'silent' }));
    await app.start();
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.stop();
  });

  async function waitFor(chatId: number, until: RegExp, seen: BotMessage[] = []): Promise<BotMessage[]> {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${emulator.config.apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, chatId }) });
      seen.push(...((await res.json()) as { result: BotMessage[] }).result);
      if (seen.some((m) => until.test(m.message.text))) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`never saw ${until}; saw: ${seen.map((m) => m.message.text).join(' | ')}`);
  }

  it('names the linked officer in the audit trail, an unlinked member by their Telegram name, and mentions the owner in a warning', async () => {
    const made = await addStaffToken(database, 'Baraka Juma', 'agent', { team: 'networks' });
    const id = Number(/#(\d+)/.exec(made.stdout)?.[1]);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/staff-link-telegram.ts', '--staff', String(id), '--telegram-user', '9102'], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: undefined, DATABASE_URL: undefined, ...database, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toContain(`#${id} Baraka Juma is linked to Telegram user 9102`);

    const customer = emulator.getClient(TOKEN, { userId: 7401, chatId: 7401, firstName: 'Neema', timeout: 2000, interval: 50 });
    for (const [text, until] of [
      ['the internet in our office has been down since morning', /Which office/],
      ['Registry, block B', /phone number/],
      ['+255 713 000 111', /correct\?/],
      ['yes', /ICT-2026-\d{6}/],
    ] as const) {
      await customer.sendMessage(customer.makeMessage(text));
      await waitFor(7401, until);
    }
    const [request] = await app.desk.requests({});
    const reference = request?.reference ?? '';
    const officer = await app.desk.staffOfTelegram('9102');
    if (!officer) throw new Error('the link was not made');
    expect((await app.desk.assign(officer, reference, 'me')).status).toBe('assigned');

    await customer.sendMessage(customer.makeMessage('nataka kuongea na afisa'));
    const posted = (await waitFor(STAFF_GROUP, /🙋 #M\d+/)).find((m) => /🙋 #M\d+/.test(m.message.text));
    const replyTo = {
      message_id: posted?.message.message_id ?? 0,
      date: posted?.message.date ?? 0,
      chat: { id: STAFF_GROUP, type: 'supergroup' as const, title: 'TEHAMA staff' },
      text: posted?.message.text ?? '',
    };
    const baraka = emulator.getClient(TOKEN, { userId: 9102, chatId: STAFF_GROUP, type: 'supergroup', chatTitle: 'TEHAMA staff', firstName: 'Bara', timeout: 2000, interval: 50 });
    await baraka.sendMessage(baraka.makeMessage('Habari, mimi ni Baraka wa TEHAMA.', { reply_to_message: replyTo }));
    await waitFor(7401, /Habari, mimi ni Baraka wa TEHAMA/);
    const guest = emulator.getClient(TOKEN, { userId: 9103, chatId: STAFF_GROUP, type: 'supergroup', chatTitle: 'TEHAMA staff', firstName: 'Mgeni', timeout: 2000, interval: 50 });
    await guest.sendMessage(guest.makeMessage('Tunakuja sasa hivi.', { reply_to_message: replyTo }));
    await waitFor(7401, /Tunakuja sasa hivi/);

    const events = (await app.desk.request(reference))?.events ?? [];
    const replies = events.filter((e) => e.kind === 'staff_reply').map((e) => [e.actor, e.note]);
    expect(replies).toEqual([
      [`staff:${id} Baraka Juma`, 'Habari, mimi ni Baraka wa TEHAMA.'],
      ['telegram:9103 Mgeni', 'Tunakuja sasa hivi.'],
    ]);

    // Six working hours after filing (Monday 11:00), Tuesday 09:00: the warning, mentioning Baraka.
    clock.jump('2026-11-24T06:30:00Z');
    expect(await app.sla.sweep()).toMatchObject({ warned: 1 });
    const warning = (await waitFor(STAFF_GROUP, /^⏳/)).find((m) => m.message.text.startsWith('⏳'));
    expect(warning?.message.text).toMatch(new RegExp(`${reference}.*\\n👤 Anayelishughulikia: Baraka Juma$`, 's'));
    const text = warning?.message.text ?? '';
    expect(warning?.message.entities).toEqual([
      { type: 'text_mention', offset: text.lastIndexOf('Baraka Juma'), length: 'Baraka Juma'.length, user: { id: 9102, is_bot: false, first_name: 'Baraka Juma' } },
    ]);
  }, 90_000);
});
