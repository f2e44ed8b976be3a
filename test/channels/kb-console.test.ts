import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium, signInToConsole } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { say } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// The knowledge base kept by staff (issue 15, item 9), in headless Chromium:
// a supervisor changes an article and the bot's answer changes at once, on
// this instance and on another one on the same database, and after a
// restart; articles are added, refused with the reason when they break the
// rules, retired and brought back; agents only read them. The dashboard and
// /metrics count the questions answered without a request.

const QUESTION = 'Nimesahau nywila ya barua pepe, nifanyeje?';
const NEW_STEP = 'Piga simu kwa Dawati la TEHAMA, kiambishi 2040, tukuwekee nywila ya muda.';
const text = (replies: readonly { text: string }[]) => replies.map((r) => r.text).join('\n');

describe.each(BACKENDS)('the knowledge base in the console, %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  let supervisor = '';
  let agent = '';

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ backend });
    supervisor = (await addStaffToken(server.databaseEnv, 'Rehema Msimamizi', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a supervisor changes an article; the answer changes at once here, on a second instance and after a restart', async () => {
    const second = await startTestServer({ databaseEnv: server.databaseEnv, now: server.clock.now().toISOString() });
    try {
      // The second instance has built its matcher over the articles as they were.
      expect(text(await say(second, 'kb-edit-0', QUESTION))).toContain('1. Fungua tovuti ya barua pepe ya taasisi');
      const page = await signInToConsole(browser, server.url, supervisor);
      await page.click('#nav-articles');
      await page.waitForURL(`${server.url}/staff/articles`);
      expect(await page.locator('#articles tbody tr').count()).toBe(12);
      await page.click('tr[data-id="forgot_email_password"] a');
      await page.waitForURL(`${server.url}/staff/articles/forgot_email_password`);
      const steps = await page.inputValue('#article-stepsSw');
      await page.fill('#article-stepsSw', `${NEW_STEP}\n${steps.split('\n').slice(1).join('\n')}`);
      await page.click('#article-form button[type=submit]');
      await page.waitForURL(`${server.url}/staff/articles/forgot_email_password`);
      expect(await page.locator('.flash.ok').textContent()).toContain('Makala yamehifadhiwa');
      expect(page.cspErrors).toEqual([]);
      await page.close();

      // Another instance reads the articles' version at most once a second.
      second.clock.advance(1000);
      for (const [where, s] of [
        ['here', server],
        ['the second instance', second],
      ] as const) {
        const answer = text(await say(s, `kb-edit-${where}`, QUESTION));
        expect(answer, where).toContain(`1. ${NEW_STEP}`);
        expect(answer, where).not.toContain('Fungua tovuti ya barua pepe ya taasisi');
      }
    } finally {
      await second.close();
    }
    // A restart seeds from the file again: staff's version wins.
    const { databaseEnv, clock } = server;
    await server.close();
    server = await startTestServer({ databaseEnv, now: clock.now().toISOString() });
    expect(text(await say(server, 'kb-edit-restart', QUESTION))).toContain(`1. ${NEW_STEP}`);
  });

  it('adds an article (refused with the reason while it breaks the rules), retires it and brings it back', async () => {
    const page = await signInToConsole(browser, server.url, supervisor);
    await page.goto(`${server.url}/staff/articles`);
    await page.click('#article-add');
    await page.fill('#article-id', 'scanner_to_email');
    await page.fill('#article-titleSw', 'Kutuma nakala ya skana kwa barua pepe');
    await page.fill('#article-titleEn', 'Scanning a document to e-mail');
    await page.fill('#article-questionsSw', 'nawezaje kuskani hati na kuituma kwa email?\nskana haitumi kwenye barua pepe yangu\njinsi ya kuscan document kwenda email');
    await page.fill('#article-questionsEn', 'how do I scan a document to my email\nthe scanner does not send to my email');
    await page.fill('#article-stepsSw', 'x'.repeat(250));
    await page.fill('#article-stepsEn', 'Put the pages face down, choose "Scan to e-mail" and pick your name from the list.');
    await page.selectOption('#article-offer', 'user_support');
    await page.click('#article-form button[type=submit]');
    // Shown again, with what was typed and why it was refused.
    expect(await page.locator('#article-problems').textContent()).toContain('Hatua (Kiswahili)');
    expect(await page.inputValue('#article-titleSw')).toBe('Kutuma nakala ya skana kwa barua pepe');
    await page.fill('#article-stepsSw', 'Weka kurasa kifudifudi, chagua "Scan to e-mail" kisha chagua jina lako kwenye orodha.\nSubiri ujumbe uingie kwenye sanduku lako la barua pepe.');
    await page.click('#article-form button[type=submit]');
    await page.waitForURL(`${server.url}/staff/articles/scanner_to_email`);
    expect(await page.locator('.flash.ok').textContent()).toContain('Makala yameongezwa');
    expect(text(await say(server, 'kb-add-1', 'nawezaje kuskani hati na kuituma kwa email yangu?'))).toContain('1. Weka kurasa kifudifudi');

    await page.click('#article-retire button[type=submit]');
    await page.waitForURL(`${server.url}/staff/articles/scanner_to_email`);
    expect(await page.locator('#article-status').textContent()).toBe('Imesitishwa');
    expect(text(await say(server, 'kb-add-2', 'nawezaje kuskani hati na kuituma kwa email yangu?'))).not.toContain('Weka kurasa kifudifudi');
    await page.click('#article-retire button[type=submit]');
    await page.waitForURL(`${server.url}/staff/articles/scanner_to_email`);
    expect(await page.locator('#article-status').textContent()).toBe('Inatumika');
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it('agents read the articles but cannot change them', async () => {
    const page = await signInToConsole(browser, server.url, agent);
    await page.goto(`${server.url}/staff/articles/printer_not_printing`);
    expect(await page.locator('#article-form').count()).toBe(0);
    expect(await page.locator('dl.article').textContent()).toContain('Printa haichapishi');
    const csrf = (await page.locator('input[name=_csrf]').first().getAttribute('value')) ?? '';
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(`${server.url}/staff/articles/printer_not_printing/retire`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect((await server.app.desk.articles.get('printer_not_printing'))?.retired).toBe(false);
    await page.close();
  });

  it('the dashboard and /metrics count the questions answered without a request', async () => {
    const before = await metric();
    await say(server, 'kb-count-1', 'printa haichapishi nifanyeje');
    await say(server, 'kb-count-1', 'Ndiyo');
    await say(server, 'kb-count-2', 'my computer is very slow, what can I do?');
    await say(server, 'kb-count-2', 'Open a request');
    const after = await metric();
    expect(after.helped - before.helped).toBe(1);
    expect(after.request - before.request).toBe(1);

    const page = await signInToConsole(browser, server.url, supervisor);
    await page.goto(`${server.url}/staff/dashboard`);
    const row = page.locator('#kb-articles tr[data-article="printer_not_printing"]');
    expect(await row.locator('td.helped').textContent()).toBe('1');
    expect(await page.locator('#kb-channels tr[data-channel="webchat"] td.helped').textContent()).toBe(String(after.helped));
    expect(await page.locator('#kb-answered strong').textContent()).toBe(String(after.helped));
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  async function metric(): Promise<{ helped: number; request: number }> {
    const body = await (await fetch(`${server.url}/metrics`)).text();
    const value = (outcome: string) => Number(new RegExp(`^huduma_kb_answers\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(body)?.[1] ?? Number.NaN);
    return { helped: value('helped'), request: value('request') };
  }
});
