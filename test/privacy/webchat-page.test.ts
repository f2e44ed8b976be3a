import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium } from '../support/chromium.ts';

// The web chat page in Chromium: the privacy line under the title, in both
// languages, opening to the whole notice; and a person who erases their data
// sees the goodbye, and their next message starts afresh in a new session.

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const sessionIn = (page: import('playwright-core').Page) =>
  page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('huduma-session'));

describe('privacy on the web chat page', () => {
  it('shows a privacy line in both languages that opens to the whole notice in each', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    const line = page.locator('#privacy summary');
    expect(await line.isVisible()).toBe(true);
    expect(await line.textContent()).toBe('Faragha yako: jinsi tunavyotunza taarifa zako · Your privacy: how we keep your data');
    expect(await page.locator('#privacy p[lang="sw"]').isVisible()).toBe(false);
    await line.click();
    expect(await page.locator('#privacy p[lang="sw"]').textContent()).toMatch(/^Kuhusu faragha yako: Kitengo cha TEHAMA huhifadhi .* miezi 24 /);
    expect(await page.locator('#privacy p[lang="en"]').textContent()).toMatch(/^About your privacy: the ICT Unit keeps .* 24 months /);
    expect(await page.locator('#privacy p[lang="en"]').isVisible()).toBe(true);
  });

  it('after "futa taarifa zangu" and the yes button: the goodbye, then a new session told the notice again', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.fill('#text', 'habari');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.out').allTextContents()).toContainEqual(expect.stringMatching(/^Kuhusu faragha yako/));
    const first = await sessionIn(page);
    await page.fill('#text', 'futa taarifa zangu');
    await page.press('#text', 'Enter');
    const yes = page.locator('.options button', { hasText: 'Ndiyo, zifutwe' });
    await expect.poll(() => yes.count()).toBe(1);
    await yes.click();
    await expect.poll(() => page.locator('.msg.out').last().textContent()).toMatch(/^Taarifa zako zimefutwa\./);
    expect(await page.locator('.msg.in').last().textContent()).toBe('Ndiyo, zifutwe');
    const second = await sessionIn(page);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    await page.fill('#text', 'habari');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.out').last().textContent()).toMatch(/^Kuhusu faragha yako/);
  });
});
