import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium, signInToConsole } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// The console in each officer's language, and the administrator's staff page
// (issue 14, item 5), in headless Chromium: the sign-in page speaks the
// institution's language; an officer's chosen language is kept on their staff
// row and speaks on every page; a switch changes it (a form with the CSRF
// token); the staff page adds officers (the token shown once), changes role,
// team and Telegram link, reissues and revokes; agents cannot reach it.

describe.each(BACKENDS)('the console’s languages and the staff page, on %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  let asha = ''; // an agent, console in Swahili (the default)
  let john = ''; // an agent who chose English
  let admin = '';
  let daudi = ''; // a supervisor of the networks team, console in English

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ backend });
    asha = (await addStaffToken(server.databaseEnv, 'Asha Mushi', 'agent', { team: 'networks' })).token;
    john = (await addStaffToken(server.databaseEnv, 'John Mrema', 'agent', { team: 'networks', locale: 'en' })).token;
    admin = (await addStaffToken(server.databaseEnv, 'Rehema Admin', 'admin')).token;
    daudi = (await addStaffToken(server.databaseEnv, 'Daudi Kweka', 'supervisor', { team: 'networks', locale: 'en' })).token;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (token: string) => signInToConsole(browser, server.url, token);
  const h1 = (page: Page) => page.locator('h1').textContent();

  it('signs in in the institution’s language; each officer then reads their own, on every page', async () => {
    const login = await browser.newPage();
    await login.goto(`${server.url}/staff/login`);
    expect(await h1(login)).toBe('Kuingia kwenye Dawati la Maafisa');
    expect(await login.locator('html').getAttribute('lang')).toBe('sw');
    await login.close();

    const reference = await fileNetworkFault(server, 'roles-language-1');
    const english = await signIn(john);
    expect(await english.locator('html').getAttribute('lang')).toBe('en');
    expect(await h1(english)).toBe('Requests');
    await english.goto(`${server.url}/staff/requests/${reference}`);
    expect(await h1(english)).toBe(`Request ${reference}`);
    expect(await english.locator('#status').textContent()).toBe('Received');
    expect(await english.locator('#owner-now').textContent()).toContain('In the Networks and ICT Security team’s queue'.replace('’', "'"));
    await english.goto(`${server.url}/staff/handoffs`);
    expect(await h1(english)).toBe('Customers waiting for an officer');
    await english.goto(`${server.url}/staff/dashboard`);
    expect(await h1(english)).toBe('Figures for November 2026');
    // Bad input is answered in the officer's language too.
    expect(await (await english.goto(`${server.url}/staff?status=imekwisha`))?.text()).toContain('that request status is not known');
    expect(english.cspErrors).toEqual([]);
    await english.close();

    const swahili = await signIn(asha);
    expect(await h1(swahili)).toBe('Maombi');
    await swahili.goto(`${server.url}/staff/requests/${reference}`);
    expect(await swahili.locator('#status').textContent()).toBe('Limepokelewa');
    await swahili.close();
  });

  it('the switch keeps the officer’s choice: the same page again in the other language, and at the next sign-in', async () => {
    const reference = await fileNetworkFault(server, 'roles-language-2');
    const page = await signIn(asha);
    await page.goto(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('#language button').textContent()).toBe('English');
    await page.click('#language button');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await h1(page)).toBe(`Request ${reference}`);
    expect(await page.locator('#language button').textContent()).toBe('Kiswahili');
    await page.close();

    const again = await signIn(asha);
    expect(await h1(again)).toBe('Requests');
    await again.click('#language button');
    await again.waitForURL(`${server.url}/staff`);
    expect(await h1(again)).toBe('Maombi');
    await again.close();
  });

  it('the switch is a POST with the form token: without it, 403 and nothing changed; a language we do not have, 400', async () => {
    const login = await fetch(`${server.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token: john }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await (await fetch(`${server.url}/staff`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const post = (form: Record<string, string>) => fetch(`${server.url}/staff/language`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie }, redirect: 'manual' });
    expect((await post({ locale: 'sw' })).status).toBe(403);
    expect((await post({ locale: 'fr', _csrf: csrf })).status).toBe(400);
    expect(await (await fetch(`${server.url}/staff`, { headers: { cookie } })).text()).toContain('<html lang="en">');
    // Back to the page it came from, a page of the console only: another address is not followed.
    const switchTo = (back: string) =>
      fetch(`${server.url}/staff/language`, { method: 'POST', body: new URLSearchParams({ locale: 'en', _csrf: csrf, back }), headers: { cookie }, redirect: 'manual' });
    expect((await switchTo('/staff/dashboard?month=2026-11')).headers.get('location')).toBe('/staff/dashboard?month=2026-11');
    for (const back of ['https://evil.example/staff', '//evil.example', '/elsewhere', '/staff"><script>']) {
      const moved = await switchTo(back);
      expect(moved.status, back).toBe(303);
      expect(moved.headers.get('location'), back).toBe('/staff');
    }
  });

  it('take and assign from the request page: an agent takes it (Swahili); another agent may not; a supervisor hands it on (English)', async () => {
    const reference = await fileNetworkFault(server, 'roles-owner-1');
    const ashaPage = await signIn(asha);
    await ashaPage.goto(`${server.url}/staff/requests/${reference}`);
    expect(await ashaPage.locator('#owner-now').textContent()).toBe('Liko kwenye foleni ya timu ya Mitandao na Usalama wa TEHAMA; bado hakuna afisa aliyelichukua.');
    await ashaPage.click('#take button');
    await ashaPage.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await ashaPage.locator('.flash.ok').textContent()).toBe(`Ombi ${reference} sasa ni lako.`);
    expect(await ashaPage.locator('#owner-now').textContent()).toBe('Linashughulikiwa na Asha Mushi.');
    expect(await ashaPage.locator('#take').count()).toBe(0);
    expect(await ashaPage.locator('#history').textContent()).toContain('Limekabidhiwa kwa Asha Mushi');
    expect(ashaPage.cspErrors).toEqual([]);
    await ashaPage.close();

    // John, an agent of the same team: it is Asha's now; nothing to take, nothing to hand on.
    const johnPage = await signIn(john);
    await johnPage.goto(`${server.url}/staff/requests/${reference}`);
    expect(await johnPage.locator('#owner-now').textContent()).toBe('Handled by Asha Mushi.');
    expect(await johnPage.locator('#take').count()).toBe(0);
    expect(await johnPage.locator('#assign-form').count()).toBe(0);
    await johnPage.close();

    const lead = await signIn(daudi);
    await lead.goto(`${server.url}/staff/requests/${reference}`);
    await lead.selectOption('#assign-to', { label: 'John Mrema (Networks and ICT Security)' });
    await lead.click('#assign-form button[type=submit]');
    await lead.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await lead.locator('.flash.ok').textContent()).toBe(`Request ${reference} has been assigned.`);
    expect(await lead.locator('#owner-now').textContent()).toBe('Handled by John Mrema.');
    expect(await lead.locator('#history').textContent()).toContain('Assigned to John Mrema');
    await lead.click('#unassign button');
    await lead.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await lead.locator('.flash.ok').textContent()).toBe(`Request ${reference} is back in the team's queue.`);
    await lead.close();
  });

  it('an agent has no staff page: no menu entry, and 403 when asked directly', async () => {
    const page = await signIn(asha);
    expect(await page.locator('#nav-staff').count()).toBe(0);
    const res = await page.goto(`${server.url}/staff/admin/staff`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('.problem').textContent()).toBe('Ukurasa huu ni wa msimamizi wa mfumo pekee.');
    await page.close();
  });

  it('an administrator adds an officer (token shown once, and it signs in), changes their team and Telegram link, reissues and revokes, in Swahili then English', async () => {
    const page = await signIn(admin);
    await page.click('#nav-staff');
    await page.waitForURL(`${server.url}/staff/admin/staff`);
    expect(await h1(page)).toBe('Wafanyakazi wa dawati');
    await page.fill('#add-name', 'Neema Said');
    await page.selectOption('#add-role', 'supervisor');
    await page.selectOption('#add-team', 'workshop');
    await page.selectOption('#add-locale', 'en');
    await page.click('#add-staff button[type=submit]');
    expect(await page.locator('#new-token').textContent()).toContain('Tokeni ya Neema Said');
    const token = (await page.locator('#new-token code').textContent()) ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = page.locator('#staff tbody tr', { hasText: 'Neema Said' });
    expect(await row.locator('select[name=role]').inputValue()).toBe('supervisor');
    const neemaLogin = await fetch(`${server.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    expect(neemaLogin.status).toBe(303);
    // The token is never shown again.
    await page.goto(`${server.url}/staff/admin/staff`);
    expect(await page.locator('#new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    await row.locator('select[name=team]').selectOption('networks');
    await row.locator('input[name=telegram]').fill('7301');
    await row.locator('form[id^=staff-] button').click();
    await page.waitForURL(`${server.url}/staff/admin/staff`);
    expect(await page.locator('.flash.ok').textContent()).toMatch(/^Taarifa za afisa Na\. \d+ zimehifadhiwa\.$/);
    const id = Number(await row.getAttribute('data-staff'));
    const saved = await server.app.store.read(({ orm, t }) => orm.select().from(t.staff));
    expect(saved.find((s) => s.id === id)).toMatchObject({ team: 'networks', telegramUserId: '7301', role: 'supervisor' });
    // A Telegram id that is not digits: the page again, saying why.
    await row.locator('input[name=telegram]').fill('@neema');
    await page.evaluate(() => {
      for (const input of (globalThis as unknown as { document: { querySelectorAll(s: string): { removeAttribute(a: string): void }[] } }).document.querySelectorAll('input[name=telegram]'))
        input.removeAttribute('pattern');
    });
    await row.locator('form[id^=staff-] button').click();
    expect(await page.locator('#admin-message').textContent()).toContain('namba ya mtumiaji wa Telegram iandikwe kwa tarakimu tu');

    // In English now (from the staff page itself: a page drawn for a form sent has no address to come back to).
    await page.goto(`${server.url}/staff/admin/staff`);
    await page.click('#language button');
    await page.waitForURL(`${server.url}/staff/admin/staff`);
    expect(await h1(page)).toBe("The desk's staff");
    await page.locator('#staff tbody tr', { hasText: 'Neema Said' }).locator('form.reissue button').click();
    expect(await page.locator('#new-token').textContent()).toContain("Neema Said's token");
    const fresh = (await page.locator('#new-token code').textContent()) ?? '';
    expect((await fetch(`${server.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${server.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token: fresh }), redirect: 'manual' })).status).toBe(303);
    await page.locator('#staff tbody tr', { hasText: 'Neema Said' }).locator('form.revoke button').click();
    await page.waitForURL(`${server.url}/staff/admin/staff`);
    expect(await page.locator('.flash.ok').textContent()).toContain('token has been revoked');
    expect(await page.locator('#staff tbody tr', { hasText: 'Neema Said' }).locator('.state').textContent()).toBe('Token revoked');
    expect((await fetch(`${server.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token: fresh }), redirect: 'manual' })).status).toBe(401);
    expect(page.cspErrors).toEqual([]);
    await page.click('#language button');
    await page.close();
  });
});
