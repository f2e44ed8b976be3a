import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which the page tests drive headless (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with nothing of its own going to the network. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is needed for the page tests: apt-get install chromium (.ci/run does it)');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records any Content-Security-Policy complaint the console's strict headers cause. */
export type WatchedPage = Page & { cspErrors: string[] };

/** A new page signed in to the staff console at `url` with a staff token. */
export async function signInToConsole(browser: Browser, url: string, token: string): Promise<WatchedPage> {
  const page = Object.assign(await browser.newPage(), { cspErrors: [] as string[] });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) page.cspErrors.push(m.text());
  });
  await page.goto(`${url}/staff/login`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForURL(`${url}/staff`);
  return page;
}
