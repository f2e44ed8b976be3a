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
    await menu.nth(2).click();
    await expect.poll(() => page.locator('.msg.out').last().textContent()).toContain('Huduma zetu na muda wa kuzitoa');
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
});
