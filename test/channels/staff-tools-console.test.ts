import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium, signInToConsole } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// The console's working tools (issue 14, item 4) in headless Chromium: the
// list with who asked and a search, notes, replies on the request page,
// canned replies in the person's language, the compliance chart and downloads.

async function fileMisAccountSw(server: TestServer, session: string): Promise<string> {
  let said = '';
  for (const line of ['naomba kufunguliwa akaunti ya e-office', 'Neema Mushi, Afisa Utumishi', 'Utumishi', '0754 777 888', 'ndiyo'])
    said = (await say(server, session, line)).map((r) => r.text).join(' ');
  return /ICT-\d{4}-\d{6}/.exec(said)?.[0] ?? '';
}

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  let agent = '';
  let admin = '';

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ backend });
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    admin = (await addStaffToken(server.databaseEnv, 'Juma Admin', 'admin')).token;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (token: string) => signInToConsole(browser, server.url, token);
  const cookieOf = async (page: Page) => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const csrfOf = async (page: Page) => (await page.locator('input[name=_csrf]').first().getAttribute('value')) ?? '';

  it('lists who asked, their office, a line of what they wrote, the assignee and the time left; searches and filters mine and unassigned', async () => {
    const fault = await fileNetworkFault(server, 'console-tools-list-1');
    const account = await fileMisAccountSw(server, 'console-tools-list-2');
    const page = await signedIn(agent);
    const row = page.locator(`tr[data-reference="${fault}"]`);
    expect(await row.locator('td.requester').textContent()).toBe('+255713000111');
    expect(await row.locator('td.office').textContent()).toBe('Registry, block B');
    expect(await row.locator('td.summary').textContent()).toBe('the internet in our office has been down since morning');
    expect(await row.locator('td.assignee').textContent()).toBe('Hajapangiwa');
    expect(await row.locator('.countdown').textContent()).toMatch(/^Zimebaki (siku 1 saa 0|saa 23) dakika \d+$/);
    expect(await page.locator(`tr[data-reference="${account}"] td.summary`).textContent()).toBe('e-Office · Neema Mushi, Afisa Utumishi');

    await page.fill('#search', '0754 777 888');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/q=0754/);
    expect(await page.locator('#requests tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')))).toEqual([account]);
    await page.fill('#search', 'INTERNET down');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/q=INTERNET/);
    expect(await page.locator(`tr[data-reference="${fault}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-reference="${account}"]`).count()).toBe(0);

    await server.app.store.transaction(async ({ orm, t }) => {
      const [asha] = await orm.select().from(t.staff).where(eq(t.staff.name, 'Asha Mushi'));
      await orm.update(t.requests).set({ assigneeId: asha?.id }).where(eq(t.requests.reference, fault));
    });
    await page.goto(`${server.url}/staff?owner=me`);
    expect(await page.locator('#requests tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')))).toEqual([fault]);
    expect(await page.locator(`tr[data-reference="${fault}"] td.assignee`).textContent()).toBe('Asha Mushi');
    await page.selectOption('#owner', 'none');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/owner=none/);
    expect(await page.locator(`tr[data-reference="${account}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-reference="${fault}"]`).count()).toBe(0);
    // A supervisor watches a team's queue: the network fault is the networks team's, the MIS account the systems team's.
    await page.goto(`${server.url}/staff`);
    await page.selectOption('#team', 'networks');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/team=networks/);
    expect(await page.locator(`tr[data-reference="${fault}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-reference="${account}"]`).count()).toBe(0);
    expect((await page.goto(`${server.url}/staff?team=Networks%3B`))?.status()).toBe(400);
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it('a note added on the request page is shown to staff and never reaches the person; a reply from the request page does', async () => {
    const session = 'console-tools-note-1';
    const reference = await fileNetworkFault(server, session);
    const page = await signedIn(agent);
    await page.goto(`${server.url}/staff/requests/${reference}`);
    const secret = 'Usimpigie kabla ya saa nne: yuko kikaoni. <b>siri</b>';
    await page.fill('#note-text', secret);
    await page.click('#note-form button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}#notes-section`);
    expect(await page.locator('.flash.ok').textContent()).toContain('Dokezo limewekwa');
    expect(await page.locator('#notes li.note .text').textContent()).toBe(secret);
    expect(await page.locator('#notes li.note .who').textContent()).toBe('Asha Mushi');
    expect(await page.locator('#history').textContent()).not.toContain('yuko kikaoni');

    await page.fill('#request-reply-text', 'Habari, fundi atafika Registry saa nane mchana.');
    await page.click('#request-reply button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    const said = await transcript(server, session);
    expect(said.at(-1)?.text).toBe('👤 ICT officer: Habari, fundi atafika Registry saa nane mchana.');
    expect(JSON.stringify(said)).not.toContain('kikaoni');
    const outbox = await server.app.store.read(({ orm, t }) => orm.select({ body: t.outbox.body }).from(t.outbox));
    expect(JSON.stringify(outbox)).not.toContain('kikaoni');
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it("canned replies: an admin keeps them; the agent's Swahili console sends an English speaker the English text, with or without the script", async () => {
    const adminPage = await signedIn(admin);
    await adminPage.goto(`${server.url}/staff/canned`);
    await adminPage.fill('#canned-new-title', 'Tatizo limetatuliwa?');
    await adminPage.fill('#canned-new-sw', 'Je, tatizo lako limetatuliwa sasa?');
    await adminPage.fill('#canned-new-en', 'Has your problem been solved now?');
    await adminPage.click('#canned-new button[type=submit]');
    await adminPage.waitForURL(`${server.url}/staff/canned`);
    expect(await adminPage.locator('.flash.ok').textContent()).toContain('Jibu lililoandaliwa limeongezwa');
    const id = await adminPage.locator('li.canned').last().getAttribute('data-id');
    expect(adminPage.cspErrors).toEqual([]);
    await adminPage.close();

    const english = 'console-tools-canned-en';
    const reference = await fileNetworkFault(server, english);
    const page = await signedIn(agent);
    // The agent reads them, but cannot change them.
    await page.goto(`${server.url}/staff/canned`);
    expect(await page.locator('#only-admins').count()).toBe(1);
    expect(await page.locator('#canned-new').count()).toBe(0);
    const refused = await fetch(`${server.url}/staff/canned/${id}/delete`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: await csrfOf(page) }),
      headers: { cookie: await cookieOf(page) },
      redirect: 'manual',
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Ni wasimamizi wa mfumo pekee');

    await page.goto(`${server.url}/staff/requests/${reference}`);
    await page.selectOption('#request-reply-text-canned', id ?? '');
    expect(await page.inputValue('#request-reply-text')).toBe('Has your problem been solved now?');
    await page.click('#request-reply button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect((await transcript(server, english)).at(-1)?.text).toBe('👤 ICT officer: Has your problem been solved now?');

    // Without the script: the chosen id alone, and the server picks the person's language.
    const swahili = 'console-tools-canned-sw';
    const account = await fileMisAccountSw(server, swahili);
    const posted = await fetch(`${server.url}/staff/requests/${account}/reply`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: await csrfOf(page), text: '', canned: id ?? '' }),
      headers: { cookie: await cookieOf(page) },
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect((await transcript(server, swahili)).at(-1)?.text).toMatch(/: Je, tatizo lako limetatuliwa sasa\?$/);
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it('draws the compliance chart with its words, and downloads the CSV of a range and of the month', async () => {
    const page = await signedIn(agent);
    await page.goto(`${server.url}/staff/dashboard`);
    const rows = await server.app.desk.dashboard();
    expect(await page.locator('svg#chart g[data-line]').count()).toBe(rows.length);
    const network = rows.find((r) => r.service === 'network_email_fault');
    expect(await page.locator('svg#chart g[data-line="2"] text').last().textContent()).toBe(`hakuna lililokamilika wala kuchelewa bado · yanayoendelea ${network?.open}`);
    expect(await page.locator('#chart-title').textContent()).toContain('Utekelezaji wa Hati ya Huduma');
    expect(await page.locator('#export-form input[name=from]').inputValue()).toBe('2026-11-01');
    expect(await page.locator('#export-form input[name=to]').inputValue()).toBe('2026-11-30');
    const cookie = await cookieOf(page);
    const csv = await fetch(`${server.url}/staff/reports/requests.csv?from=2026-11-01&to=2026-11-30`, { headers: { cookie } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('reference,service,service_name,status,created,due,resolved,on_time,assignee,team,rating');
    expect(lines.length - 1).toBe(rows.reduce((n, r) => n + r.total, 0));
    const href = (await page.locator('#export-compliance').getAttribute('href')) ?? '';
    expect(href).toBe('/staff/reports/compliance.csv?month=2026-11');
    expect((await (await fetch(`${server.url}${href}`, { headers: { cookie } })).text()).split('\r\n')[0]).toBe('line,service,service_name,total,on_time,late,open,cancelled,on_time_percent');

    await page.fill('#month-form input[name=month]', '2026-10');
    await page.click('#month-form button[type=submit]');
    await page.waitForURL(/month=2026-10/);
    expect(await page.locator('h1').textContent()).toBe('Takwimu za Oktoba 2026');
    expect(await page.locator('main p.empty').textContent()).toContain('Hakuna maombi');
    expect(page.cspErrors).toEqual([]);
    await page.close();
  });

  it('in English for an officer who chose it; bad input gets the page again with what is wrong', async () => {
    const page = await signedIn(agent);
    await page.click('#language button');
    await page.waitForURL(`${server.url}/staff`);
    expect(await page.locator('#requests thead').textContent()).toContain('What they wrote');
    await page.goto(`${server.url}/staff/canned`);
    expect(await page.locator('#only-admins').textContent()).toBe('Only administrators can add, change or delete canned replies.');
    const cookie = await cookieOf(page);
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
    const range = await get('/staff/reports/requests.csv?from=2026-11-30&to=2026-11-01');
    expect(range.status).toBe(400);
    expect(await range.text()).toContain('the start date must not be after the end date');
    expect(await (await get('/staff/reports/requests.csv?from=yesterday&to=2026-11-01')).text()).toContain('dates must be written as YYYY-MM-DD');
    const month = await get('/staff/dashboard?month=2026-13');
    expect(month.status).toBe(400);
    expect(await month.text()).toContain('the month must be written as YYYY-MM');
    expect((await get('/staff?owner=everyone')).status).toBe(400);
    const reference = (await server.app.desk.requests({ limit: 1 }))[0]?.reference ?? '';
    const post = (path: string, form: Record<string, string>) => fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie }, redirect: 'manual' });
    await page.goto(`${server.url}/staff/requests/${reference}`);
    const csrf = await csrfOf(page);
    const empty = await post(`/staff/requests/${reference}/reply`, { _csrf: csrf, text: ' ', canned: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('write a reply or choose a canned reply');
    expect((await post(`/staff/requests/${reference}/notes`, { _csrf: csrf, text: '' })).status).toBe(400);
    expect((await post(`/staff/requests/${reference}/reply`, { _csrf: csrf, canned: '999999' })).status).toBe(404);
    await page.click('#language button');
    await page.close();
  });
});
