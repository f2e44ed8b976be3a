import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { contrast as hexContrast } from '../../channels/webchat/brand.ts';
import { findConversation } from '../../db/queries/conversations.ts';
import type { TestServer } from './app.ts';

// The web chat page on a phone, for the page tests: a page that records its
// own problems, axe-core's findings, controls too small for a thumb, and what
// the page and the server hold.

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const SESSION_KEY = 'huduma-session';

export type Watched = Page & { problems: string[] };

/** A 375×740 page on the server (clipboard allowed), recording script errors and Content-Security-Policy complaints. */
export async function phone(browser: Browser, server: TestServer, before?: (page: Page) => Promise<unknown>): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = Object.assign(await context.newPage(), { problems: [] as string[] });
  page.on('pageerror', (e) => page.problems.push(e.message));
  page.on('console', (m) => {
    // A refusal the page explains (400, 404, 410) or a server that is gone is logged by Chromium too: not a problem of the page.
    if (/Failed to load resource: (the server responded with a status of (400|404|410)|net::ERR_CONNECTION_REFUSED)/.test(m.text())) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) page.problems.push(m.text());
  });
  if (before) await before(page);
  await page.goto(server.url);
  await expect.poll(() => page.locator('.msg.out').count()).toBeGreaterThan(0);
  return page;
}

type AxeResults = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A/AA and best practice). */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run())) as AxeResults;
  return found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

type Box = { getBoundingClientRect(): { width: number; height: number }; textContent: string | null; tagName: string };

/** Every visible control smaller than 44×44 px. */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Box> } }).document;
    const small: string[] = [];
    for (const el of doc.querySelectorAll('button, summary, textarea, input, select, a[href]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown (a closed dialog)
      if (r.width < 44 || r.height < 44) small.push(`${el.tagName} "${el.textContent?.trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}

export const sessionIn = (page: Page) => page.evaluate((key) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(key), SESSION_KEY);
export const boxValue = (page: Page) => page.locator('#text').inputValue();
/** What the page itself said (not the bot): refusals, lost connections, a new session, a long paste. */
export const notes = (page: Page) => page.locator('.msg.note').allTextContents();

export async function write(page: Page, text: string) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** A server whose first turn is behind it: a new app's first turn may load what the understanding keeps on disk. */
export async function warm(server: TestServer): Promise<TestServer> {
  const { sessionId } = (await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string };
  await fetch(`${server.url}/webchat/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'habari' }) });
  return server;
}

/** The transcript as the API gives it. */
export async function transcript(server: TestServer, session: string) {
  const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`);
  return ((await res.json()) as { messages: { direction: string; text: string; from?: { kind: string; name: string } }[] }).messages;
}

export async function conversationOf(server: TestServer, page: Page): Promise<number> {
  const session = await sessionIn(page);
  const conversation = await server.app.store.read((tx) => findConversation(tx, 'webchat', session ?? ''));
  if (!conversation) throw new Error('no conversation for this page');
  return conversation.id;
}

/** WCAG contrast of two computed CSS colours, rgb(r, g, b). */
export function contrast(a: string, b: string): number {
  const hex = (css: string) =>
    `#${(css.match(/\d+/g) ?? [])
      .slice(0, 3)
      .map((v) => Number(v).toString(16).padStart(2, '0'))
      .join('')}`;
  return hexContrast(hex(a), hex(b));
}
