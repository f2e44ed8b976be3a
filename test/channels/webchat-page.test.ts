import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';

const CHROMIUM = '/usr/bin/chromium';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is needed for the page test: apt-get install chromium (.ci/run does it)');
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web chat page in Chromium', () => {
  it('sends a message, shows the answer with its option buttons, and a click answers', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await expect.poll(() => page.locator('.msg.out').first().textContent()).toContain('Karibu');
    await page.fill('#text', 'msaada');
    await page.press('#text', 'Enter');
    const menu = page.locator('.options button');
    await expect.poll(() => menu.count()).toBe(4);
    expect(await menu.allTextContents()).toEqual(['1. Kuripoti tatizo au kuomba huduma', '2. Kufuatilia ombi langu', '3. Huduma zetu na muda wa kuzitoa', '4. Kuzungumza na afisa']);
    const answers = await page.locator('.msg.out').count();
    await menu.nth(2).click();
    // The click is sent as the person's answer, and the bot answers it (the service list: its words are the charter's).
    await expect.poll(() => page.locator('.msg.in').last().textContent()).toBe('Huduma zetu na muda wa kuzitoa');
    await expect.poll(() => page.locator('.msg.out').count()).toBeGreaterThan(answers);
    expect(await page.locator('.msg.out').last().textContent()).toMatch(/huduma zetu/i);
    await page.screenshot({ path: join(tmpdir(), 'huduma-webchat.png') });
  });

  it('shows what a person typed as text, never as markup', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('#text', '<img src=x onerror="window.pwned=1"> printa imeharibika');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.in').first().textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('.msg img').count()).toBe(0);
  });

  it('keeps the session the server issued, and after it expires starts a new one and says so', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('#text', 'habari');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.in').count()).toBe(1);
    const first = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('huduma-session'));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Thirty-one silent days later (the default limit is 30).
    server.clock.advance(31 * 86_400_000);
    await page.fill('#text', 'habari tena');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.out').allTextContents()).toContainEqual(expect.stringContaining('Mazungumzo yako ya awali hapa yalifungwa'));
    const second = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('huduma-session'));
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    // The message went through on the new session.
    await expect.poll(() => page.locator('.msg.in').allTextContents()).toContain('habari tena');
  });
});
