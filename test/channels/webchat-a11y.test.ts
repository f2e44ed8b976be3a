import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertReplies } from '../../db/queries/messages.ts';
import { translator } from '../../locales/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { axeProblems, boxValue, contrast, conversationOf, notes, phone as phoneOn, SESSION_KEY, sessionIn, smallTargets, transcript, warm, write } from '../support/webchat-phone.ts';

// The web chat page as a citizen meets it on a phone (375×740), in headless
// Chromium against the real server: axe-core finds nothing serious, every
// control is big enough for a thumb, the language switch, long and refused
// messages, a lost session or server, an officer's reply, the reference.

const sw = translator('sw');
const en = translator('en');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
const phone = (server: TestServer, before?: (page: Page) => Promise<unknown>) => phoneOn(browser, server, before);

describe.each(BACKENDS)('the web chat page a citizen trusts (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await warm(await startTestServer({ backend }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows who it belongs to, passes axe-core in both languages with options shown, and every control is at least 44×44 px', async () => {
    const page = await phone(server);
    expect(await page.locator('header h1').textContent()).toBe('Kitengo cha TEHAMA');
    const emblem = page.locator('header img');
    expect(await emblem.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const served = await fetch(`${server.url}${icon}`);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(200);
    // Every control has a name a screen reader can say; the box and the controls' borders stand out (>= 3:1).
    expect(await page.getByRole('textbox', { name: 'Ujumbe wako' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Lugha' }).count()).toBe(1);
    const [border, behind] = await page.locator('#text').evaluate((el) => {
      const s = (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string; backgroundColor: string } }).getComputedStyle(el);
      return [s.borderTopColor, s.backgroundColor];
    });
    expect(contrast(border, behind)).toBeGreaterThanOrEqual(3);
    expect(await axeProblems(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);

    await write(page, 'msaada');
    const options = page.locator('.options button');
    await expect.poll(() => options.count()).toBe(4);
    expect(await options.first().textContent()).toBe('1. Kuripoti tatizo au kuomba huduma');
    expect(await axeProblems(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);

    // "Start again" asks first; the dialog passes too, and "no" leaves everything as it was.
    await page.click('#again');
    expect(await page.locator('#again-dialog').isVisible()).toBe(true);
    expect(await axeProblems(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Hapana, endelea' }).click();
    expect(await page.locator('#again-dialog').isVisible()).toBe(false);
    expect(await options.count()).toBe(4);

    // English: the page's words change at once, and the bot hears it.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('en');
    expect(await page.locator('header h1').textContent()).toBe('ICT Unit');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe(en('webchat.placeholder'));
    expect(await page.locator('form#send button[type=submit]').textContent()).toBe('Send');
    expect(await page.locator('#again').textContent()).toBe('Start again');
    expect(await page.locator('#privacy summary').textContent()).toMatch(/^Your privacy: .* · Faragha yako: /);
    expect(await page.locator('#privacy p').first().getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('.msg.out').last().textContent()).toBe(en('chat.language_set'));
    await write(page, 'help');
    await expect.poll(() => page.locator('.msg.out').last().locator('.options button').count()).toBe(4);
    expect(await page.locator('.msg.out').last().locator('.options button').first().textContent()).toMatch(/^1\. [A-Z]/);
    expect(await axeProblems(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);

    // The choice is kept: the page opens in English again, with the conversation.
    await page.reload();
    await expect.poll(() => page.locator('.msg.in').count()).toBe(3);
    expect(await page.locator('header h1').textContent()).toBe('ICT Unit');
    expect(await page.locator('.msg.out').first().textContent()).toBe(en('webchat.intro'));

    // Start again, after a yes: a new session and a clear screen.
    const before = await sessionIn(page);
    await page.click('#again');
    await page.getByRole('button', { name: 'Yes, start again' }).click();
    await expect.poll(() => sessionIn(page)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionIn(page)).not.toBe(before);
    expect(await page.locator('.msg').allTextContents()).toEqual([en('webchat.intro')]);
    await page.screenshot({ path: join(tmpdir(), `huduma-webchat-a11y-${backend}.png`) });
    expect(page.problems).toEqual([]);
  });

  it("shows an officer's reply with their name and its own style, the reference set apart and copyable, and options numbered once", async () => {
    const page = await phone(server);
    await write(page, 'habari');
    await expect.poll(() => page.locator('.msg.in').count()).toBe(1);
    const conversationId = await conversationOf(server, page);
    const officer = { kind: 'telegram' as const, userId: '7001', name: 'Baraka Mollel' };
    expect(await server.app.desk.reply(officer, conversationId, 'Ombi lako ICT-2026-000123 limepokelewa; nitakupigia simu saa nne.')).toEqual({ status: 'sent', conversationId });
    const said = page.locator('.msg.officer');
    await expect.poll(() => said.count()).toBe(1);
    expect(await said.locator('.who').textContent()).toBe('Afisa: Baraka Mollel');
    const style = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const s = (globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftWidth: string; borderLeftColor: string } }).getComputedStyle(el);
          return `${s.borderLeftWidth} ${s.borderLeftColor}`;
        });
    expect(await style('.msg.officer')).not.toBe(await style('.msg.out:not(.officer)'));
    // The API says who wrote it; the bot's own replies carry no `from`.
    const messages = await transcript(server, (await sessionIn(page)) ?? '');
    expect(messages.filter((m) => m.from)).toEqual([expect.objectContaining({ from: { kind: 'officer', name: 'Baraka Mollel' } })]);

    expect(await said.locator('mark.ref code').allTextContents()).toEqual(['ICT-2026-000123']);
    const copy = said.getByRole('button', { name: 'Nakili namba ICT-2026-000123' });
    await copy.click();
    await expect.poll(() => said.locator('.refs button').textContent()).toBe('Namba ICT-2026-000123 imenakiliwa');
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe('ICT-2026-000123');

    // A rating question: its labels carry their own numbers, so the page does not number them again.
    const labels = ['1', '2', '3', '4', '5'].map((n) => ({ id: n, label: sw(`rating.label.${n}`) }));
    await server.app.store.transaction((tx) =>
      insertReplies(tx, { conversationId, channel: 'webchat', chatId: '', replies: [{ text: sw('rating.ask'), options: labels }], at: server.clock.now(), viaOutbox: false }),
    );
    const rating = page.locator('.msg.out').last().locator('.options button');
    await expect.poll(() => rating.count()).toBe(5);
    expect(await rating.allTextContents()).toEqual(labels.map((l) => l.label));
    await page.screenshot({ path: join(tmpdir(), `huduma-webchat-officer-${backend}.png`) });
    expect(await axeProblems(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    expect(page.problems).toEqual([]);
  });

  it('limits a 5,000-character paste to what the server takes, counts down near the limit, and loses nothing', async () => {
    const page = await phone(server);
    const words = Array.from({ length: 1000 }, (_, i) => `neno${i % 10}`);
    const long = words.join(' ');
    expect(long.length).toBeGreaterThan(5000);
    await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), long);
    await page.focus('#text');
    await page.keyboard.press('ControlOrMeta+V');
    await expect.poll(() => boxValue(page)).not.toBe('');
    const first = await boxValue(page);
    expect(first.length).toBeLessThanOrEqual(4000);
    expect(first.length).toBeGreaterThan(3500);
    expect(await page.locator('#counter').isVisible()).toBe(true);
    expect(await page.locator('#counter').textContent()).toMatch(/^Zimebaki herufi \d+$|^Umefikia kikomo/);
    expect((await notes(page)).at(-1)).toBe(sw('webchat.split', { total: long.length, max: 4000 }));
    // The counter is said to a screen reader once the typing pauses.
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/herufi/);

    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.in').count()).toBe(1);
    await expect.poll(() => boxValue(page)).not.toBe('');
    const second = await boxValue(page);
    expect((await notes(page)).at(-1)).toBe(sw('webchat.next_part'));
    expect(await page.locator('#counter').isVisible()).toBe(false);
    await page.click('form#send button[type=submit]');
    await expect.poll(() => page.locator('.msg.in').count()).toBe(2);
    expect(await boxValue(page)).toBe('');
    const sent = (await transcript(server, (await sessionIn(page)) ?? '')).filter((m) => m.direction === 'in').map((m) => m.text);
    expect(sent).toEqual([first, second]);
    expect(sent.join(' ')).toBe(long);

    // Typed rather than pasted: the box stops at the limit, and the counter says so.
    await page.fill('#text', 'a'.repeat(3700));
    await page.type('#text', 'b');
    expect(await page.locator('#counter').textContent()).toBe('Zimebaki herufi 299');
    await page.fill('#text', 'a'.repeat(4000));
    await page.type('#text', 'zz');
    expect((await boxValue(page)).length).toBe(4000);
    expect(await page.locator('#counter').textContent()).toBe(sw('webchat.at_limit', { max: 4000 }));
    await page.fill('#text', 'fupi');
    expect(await page.locator('#counter').isVisible()).toBe(false);
    expect(page.problems).toEqual([]);
  });

  it("says why the server refused a message (400), in the person's language, and keeps the text", async () => {
    const refused = await fetch(`${server.url}/webchat/sessions/${((await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(4001) }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'text must be at most 4000 characters', code: 'too_long' });

    const page = await phone(server);
    // A page whose limit was taken off (an old copy, a tool): the server's 400 is explained, not called a lost connection.
    await page.locator('#text').evaluate((el) => (el as unknown as { removeAttribute(a: string): void }).removeAttribute('maxlength'));
    const tooLong = 'b'.repeat(4500);
    await write(page, tooLong);
    await expect.poll(() => notes(page)).toContain(sw('webchat.error.too_long', { max: 4000 }));
    expect(await boxValue(page)).toBe(tooLong);
    expect(await notes(page)).not.toContain(sw('webchat.offline'));

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('.msg.out').allTextContents()).toContain(en('chat.language_set'));
    await page.press('#text', 'Enter');
    await expect.poll(() => notes(page)).toContain(en('webchat.error.too_long', { max: 4000 }));
    expect(await boxValue(page)).toBe(tooLong);
    expect(page.problems).toEqual([]);
  });

  it('replaces an unknown session without a word, and an expired one saying so, and the message still goes through', async () => {
    const page = await phone(server, (p) =>
      p.addInitScript(
        (key) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(key, 'never-issued-by-this-server-0123456789abcd'),
        SESSION_KEY,
      ),
    );
    await expect.poll(() => sessionIn(page)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await write(page, 'habari');
    await expect.poll(() => page.locator('.msg.in').allTextContents()).toEqual(['habari']);
    expect(await notes(page)).toEqual([]);

    const before = await sessionIn(page);
    server.clock.advance(31 * 86_400_000);
    try {
      await write(page, 'printa imeharibika');
      await expect.poll(() => page.locator('.msg.in').allTextContents()).toEqual(['habari', 'printa imeharibika']);
      expect(await notes(page)).toEqual([sw('webchat.session_expired')]);
      expect(await sessionIn(page)).not.toBe(before);
      expect(await boxValue(page)).toBe('');
    } finally {
      server.clock.advance(-31 * 86_400_000);
    }
    expect(page.problems).toEqual([]);
  });

  it('says it cannot reach the server only when the server is gone, and keeps what was typed or chosen', async () => {
    const own = await warm(await startTestServer({ backend }));
    const page = await phone(own);
    await write(page, 'msaada');
    const options = page.locator('.options button');
    await expect.poll(() => options.count()).toBe(4);
    await own.close();
    await write(page, 'printa yangu imeharibika');
    await expect.poll(() => notes(page)).toEqual([sw('webchat.offline')]);
    expect(await boxValue(page)).toBe('printa yangu imeharibika');
    await page.fill('#text', '');
    await options.nth(1).click();
    await expect.poll(() => notes(page)).toHaveLength(2);
    expect(await boxValue(page)).toBe('Kufuatilia ombi langu');
    expect(page.problems).toEqual([]);
  });
});
