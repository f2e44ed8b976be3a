import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium, signInToConsole } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { transcript } from '../support/flows.ts';
import { placeReport, reportByWebchat, SINZA, times } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// Incidents in the staff console, in headless Chromium: a supervisor opens
// one by a place's name, posts news and resolves it, each reporter hearing
// each once; a form that does not pass comes back with the reason and what
// was typed; a proposal is confirmed or dismissed; an agent only reads.

const OPENING = { sw: 'Tunafahamu hitilafu ya mtandao Sinza; mafundi wako njiani.', en: 'We know of the network fault in Sinza; engineers are on the way.' };
const NEWS = { sw: 'Mafundi wamefika eneo la tukio.', en: 'The engineers are on site.' };
const DONE = { sw: 'Mtandao umerudi Sinza.', en: 'The network is back in Sinza.' };

describe.each(BACKENDS)('incidents in the console, %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  let supervisor = '';
  let agent = '';
  const said = async (name: string) => (await transcript(server, name)).map((m) => m.text);

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ backend, env: { INCIDENT_PROPOSE_REPORTS: '2' } });
    supervisor = (await addStaffToken(server.databaseEnv, 'Rehema Msimamizi', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    for (const [name, language] of [
      ['con-sw', 'sw'],
      ['con-en', 'en'],
    ] as const)
      await placeReport(server, await reportByWebchat(server, name, language), `${SINZA}/sinza-mori`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a supervisor opens an incident by a place name, posts news and resolves it; each reporter hears each once', async () => {
    const page = await signInToConsole(browser, server.url, supervisor);
    await page.click('#nav-incidents');
    await page.waitForURL(`${server.url}/staff/incidents`);
    expect(await page.locator('#incidents-none').count()).toBe(1);
    // An area nobody knows: the form comes back with the reason and what was typed.
    await page.selectOption('#incident-service', 'network_email_fault');
    await page.fill('#incident-area', 'Atlantis');
    await page.fill('#incident-new-sw', OPENING.sw);
    await page.fill('#incident-new-en', OPENING.en);
    await page.click('#incident-new button[type=submit]');
    expect(await page.locator('#incident-problems').textContent()).toContain('Eneo hili halijulikani');
    expect(await page.inputValue('#incident-new-sw')).toBe(OPENING.sw);
    await page.fill('#incident-area', 'Sinza');
    await page.click('#incident-new button[type=submit]');
    await page.waitForURL(/\/staff\/incidents\/\d+$/);
    expect(await page.locator('.flash.ok').textContent()).toContain('walioripoti 2 wamejulishwa');
    expect(await page.locator('#incident-requests tbody tr').count()).toBe(2);
    expect(times(await said('con-sw'), OPENING.sw)).toBe(1);
    expect(times(await said('con-en'), OPENING.en)).toBe(1);

    await page.fill('#incident-update-sw', NEWS.sw);
    await page.fill('#incident-update-en', NEWS.en);
    await page.click('#incident-update button[type=submit]');
    await page.waitForURL(/\/staff\/incidents\/\d+$/);
    expect(await page.locator('.flash.ok').textContent()).toContain('Taarifa imetumwa kwa walioripoti 2');
    expect(times(await said('con-en'), NEWS.en)).toBe(1);

    // A resolution without its English (past the browser's own check): refused, nothing sent.
    await page.$eval('#incident-resolve', (f) => f.setAttribute('novalidate', ''));
    await page.fill('#incident-resolve-sw', DONE.sw);
    await page.click('#incident-resolve button[type=submit]');
    expect(await page.locator('#incident-problems').textContent()).toContain('Kiingereza');
    expect(times(await said('con-sw'), DONE.sw)).toBe(0);
    await page.fill('#incident-resolve-en', DONE.en);
    await page.click('#incident-resolve button[type=submit]');
    await page.waitForURL(/\/staff\/incidents\/\d+$/);
    expect(await page.locator('#incident-status').textContent()).toBe('Limetatuliwa');
    expect(await page.locator('#incident-resolve').count()).toBe(0);
    expect(times(await said('con-sw'), DONE.sw)).toBe(1);
    expect(times(await said('con-en'), DONE.en)).toBe(1);
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it('a proposal is confirmed (its reporters told) or dismissed from its page', async () => {
    const areas = ['pwani/kibaha-town', 'pwani/kibaha-town', 'dar-es-salaam/ilala/kariakoo', 'dar-es-salaam/ilala/kariakoo'];
    for (const [i, area] of areas.entries()) await placeReport(server, await reportByWebchat(server, `con-proposal-${i}`, 'en'), area);
    const proposed = await server.app.proposals.sweep();
    expect(proposed.map((i) => i.area).sort()).toEqual(['dar-es-salaam/ilala/kariakoo', 'pwani/kibaha-town']);
    const page = await signInToConsole(browser, server.url, supervisor);
    const kibaha = proposed.find((i) => i.area === 'pwani/kibaha-town')?.id;
    await page.goto(`${server.url}/staff/incidents/${kibaha}`);
    expect(await page.locator('#incident-candidates tbody tr').count()).toBe(2);
    await page.fill('#incident-confirm-sw', OPENING.sw);
    await page.fill('#incident-confirm-en', OPENING.en);
    await page.click('#incident-confirm button[type=submit]');
    await page.waitForURL(`${server.url}/staff/incidents/${kibaha}`);
    expect(await page.locator('.flash.ok').textContent()).toContain('Pendekezo limethibitishwa; walioripoti 2 wamejulishwa');
    expect(await page.locator('#incident-status').textContent()).toBe('Linaendelea');
    await page.goto(`${server.url}/staff/incidents/${proposed.find((i) => i.area !== 'pwani/kibaha-town')?.id}`);
    await page.click('#incident-dismiss button[type=submit]');
    expect(await page.locator('#incident-status').textContent()).toBe('Limekataliwa');
    await page.close();
  });

  it('an agent reads incidents but has no forms, and a forged post is refused', async () => {
    const page = await signInToConsole(browser, server.url, agent);
    await page.goto(`${server.url}/staff/incidents`);
    expect(await page.locator('#only-leads').count()).toBe(1);
    expect(await page.locator('#incident-new').count()).toBe(0);
    const id = await page.locator('#incidents tbody tr').first().getAttribute('data-id');
    await page.goto(`${server.url}/staff/incidents/${id}`);
    expect(await page.locator('#incident-update').count()).toBe(0);
    const csrf = await page.locator('#language input[name=_csrf]').inputValue();
    const status = await page.evaluate(async ([path, token]) => (await fetch(path, { method: 'POST', body: new URLSearchParams({ _csrf: token, messageSw: 'x y', messageEn: 'x y' }) })).status, [
      `/staff/incidents/${id}/updates`,
      csrf,
    ] as const);
    expect(status).toBe(403);
    await page.close();
  });
});
