import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { sendAll, webPerson } from '../support/announcements.ts';
import { times } from '../support/incidents.ts';
import { launchChromium, signInToConsole } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// Planned outages in the staff console, in headless Chromium: a supervisor
// announces one by a place's name (a form that does not pass comes back with
// the reason and what was typed), sees what subscribers will read and how
// many were told, and calls it off; an agent only reads; a desk whose forms
// never ask where (the ICT unit) has no such page in its menu.

const REASON = { sw: 'Kubadilisha nguzo zilizochakaa.', en: 'Replacing worn-out poles.' };

describe.each(BACKENDS)('planned outages in the console, %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  let supervisor = '';
  let agent = '';
  let subscriber: Awaited<ReturnType<typeof webPerson>>;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ backend, env: { CHARTER: 'utility' } });
    supervisor = (await addStaffToken(server.databaseEnv, 'Rehema Msimamizi', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    subscriber = await webPerson(() => server);
    expect(await subscriber.say('nijulishe kuhusu katizo la umeme Kimara')).toContain('Kimara');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Fills the console's form for 24 November and sends it. */
  const announce = async (page: Page, f: { area: string; from: string; to: string }) => {
    await page.fill('#announcement-area', f.area);
    await page.fill('#announcement-day', '2026-11-24');
    await page.fill('#announcement-from', f.from);
    await page.fill('#announcement-to', f.to);
    await page.fill('#announcement-reason-sw', REASON.sw);
    await page.fill('#announcement-reason-en', REASON.en);
    await page.click('#announcement-new button[type=submit]');
  };

  it('a supervisor announces an interruption by a place name, sees it told, and calls it off; each subscriber hears each once', async () => {
    const page = await signInToConsole(browser, server.url, supervisor);
    await page.click('#nav-announcements');
    await page.waitForURL(`${server.url}/staff/announcements`);
    expect(await page.locator('#announcements-none').count()).toBe(1);
    // An area nobody knows: the form comes back with the reason and what was typed.
    await announce(page, { area: 'Atlantis', from: '09:00', to: '13:30' });
    expect(await page.locator('#announcement-problems').textContent()).toContain('Eneo hili halijulikani');
    expect(await page.inputValue('#announcement-reason-sw')).toBe(REASON.sw);
    expect(await page.inputValue('#announcement-day')).toBe('2026-11-24');
    // The end before the start: refused with the reason.
    await page.fill('#announcement-area', 'Kimara');
    await page.fill('#announcement-to', '08:00');
    await page.click('#announcement-new button[type=submit]');
    expect(await page.locator('#announcement-problems').textContent()).toContain('baada ya saa ya kuanza');
    await page.fill('#announcement-to', '13:30');
    await page.click('#announcement-new button[type=submit]');
    await page.waitForURL(/\/staff\/announcements\/\d+$/);
    expect(await page.locator('.flash.ok').textContent()).toContain('waliojiunga na eneo hili (1)');
    expect(await page.locator('#announcement-phase').textContent()).toBe('Linakuja');
    expect(await page.locator('#announcement-text-sw').textContent()).toContain('kuanzia saa tatu asubuhi hadi saa saba na nusu mchana');
    expect(await page.locator('#announcement-text-en').textContent()).toContain('from 9:00 am to 1:30 pm');

    // It starts within a day: the leader's sender tells the subscriber at once, once.
    expect(await sendAll(server)).toBe(1);
    expect(times(await subscriber.heard(), 'TAARIFA YA KATIZO LA UMEME')).toBe(1);
    await page.reload();
    expect(await page.locator('#announcement-told').textContent()).toContain('kabla: 1');
    await page.click('#announcement-cancel button[type=submit]');
    await page.waitForURL(/\/staff\/announcements\/\d+$/);
    expect(await page.locator('.flash.ok').textContent()).toContain('waliokwisha ambiwa (1)');
    expect(await page.locator('#announcement-phase').textContent()).toBe('Limesitishwa');
    expect(await page.locator('#announcement-cancel').count()).toBe(0);
    expect(await sendAll(server)).toBe(1);
    expect(await sendAll(server)).toBe(0);
    expect(times(await subscriber.heard(), 'KATIZO LIMESITISHWA')).toBe(1);
    await page.click('#nav-announcements');
    expect(await page.locator('#announcements-past tbody tr').count()).toBe(1);

    // Past midnight: said with the box, and the notice names the day it ends.
    await announce(page, { area: 'Kimara', from: '22:00', to: '04:00' });
    expect(await page.locator('#announcement-problems').textContent()).toContain('Linaishia siku inayofuata');
    expect(await page.isChecked('#announcement-next-day')).toBe(false);
    await page.check('#announcement-next-day');
    await page.click('#announcement-new button[type=submit]');
    await page.waitForURL(/\/staff\/announcements\/\d+$/);
    expect(await page.locator('#announcement-text-sw').textContent()).toContain('kuanzia saa nne usiku hadi saa kumi alfajiri siku ya Jumatano tarehe 25 Novemba 2026');
    expect(await page.locator('#announcement-text-en').textContent()).toContain('from 10:00 pm to 4:00 am on Wednesday, 25 November 2026');
    await page.click('#nav-announcements');
    expect(await page.locator('#announcements tbody tr td:nth-child(4)').textContent()).toBe('22:00 hadi 04:00 (siku inayofuata)');
    await page.click('#announcements a');
    await page.click('#announcement-cancel button[type=submit]');
    await page.waitForURL(/\/staff\/announcements\/\d+$/);
    expect(page.cspErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('an agent reads them but is offered neither the form nor the cancellation', async () => {
    const page = await signInToConsole(browser, server.url, agent);
    await page.goto(`${server.url}/staff/announcements`);
    expect(await page.locator('#only-leads').count()).toBe(1);
    expect(await page.locator('#announcement-new').count()).toBe(0);
    await page.click('#announcements-past a');
    await page.waitForURL(/\/staff\/announcements\/\d+$/);
    expect(await page.locator('#announcement-cancel').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('a desk whose forms never ask where has no planned outages in its menu', async () => {
    const ict = await startTestServer({ backend });
    try {
      const token = (await addStaffToken(ict.databaseEnv, 'Juma Ali', 'supervisor')).token;
      const page = await signInToConsole(browser, ict.url, token);
      expect(await page.locator('#nav-incidents').count()).toBe(1);
      expect(await page.locator('#nav-announcements').count()).toBe(0);
      await page.close();
      // Asked in its chat, it says politely that it sends no area notices.
      const person = await webPerson(() => ict);
      expect(await person.say('nijulishe kuhusu katizo la umeme Sinza')).toContain('dawati hili halitumi taarifa za katizo');
    } finally {
      await ict.close();
    }
  }, 60_000);
});
