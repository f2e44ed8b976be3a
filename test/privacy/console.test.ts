import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// The console's personal-data buttons, driven in Chromium: any officer
// downloads a request's person as JSON; a supervisor erases them after a
// confirmation step (an agent cannot); an administrator reads the access log.

const REFERENCE = /ICT-2026-\d{6}/;

describe.each(BACKENDS)('the console’s personal data on %s', (backend) => {
  let server: TestServer;
  let browser: Browser;
  const tokens = { agent: '', supervisor: '', admin: '' };
  beforeAll(async () => {
    server = await startTestServer({ backend, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    tokens.agent = (await addStaffToken(server.databaseEnv, 'Neema Agent', 'agent')).token;
    tokens.supervisor = (await addStaffToken(server.databaseEnv, 'Baraka Supervisor', 'supervisor')).token;
    tokens.admin = (await addStaffToken(server.databaseEnv, 'Juma Admin', 'admin')).token;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(who: keyof typeof tokens): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#token', tokens[who]);
    await page.click('#login button[type=submit]');
    await page.waitForURL(`${server.url}/staff`);
    return page;
  }
  async function fileFault(): Promise<string> {
    const session = ((await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId;
    const say = async (text: string) => {
      const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join(' ');
    };
    let said = await say('intaneti haifanyi kazi ofisini kwetu tangu asubuhi');
    // An article may fit the first message (the knowledge base): this test files a request.
    if (/Je, hili limesaidia\?/.test(said)) said = await say('Fungua ombi');
    for (const text of ['Masjala ya Wizara, chumba 7', '0713 000 999', 'ndiyo']) said = await say(text);
    return REFERENCE.exec(said)?.[0] ?? '';
  }

  it('downloads for anyone, erases after a confirmation for supervisors only, and shows administrators the log', async () => {
    const reference = await fileFault();
    expect(reference).toMatch(REFERENCE);

    // An agent: the download, no erasure.
    const agent = await signedIn('agent');
    await agent.goto(`${server.url}/staff/requests/${reference}`);
    const href = await agent.getAttribute('#export-person', 'href');
    expect(href).toBe(`/staff/requests/${reference}/person/export`);
    expect(await agent.locator('#erase-person').count()).toBe(0);
    const download = await agent.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="huduma-person-\d+-ICT-2026-\d{6}\.json"$/);
    expect(((await download.json()) as { requests: { reference: string; details: { office: string } }[] }).requests).toEqual([
      expect.objectContaining({ reference, details: expect.objectContaining({ office: 'Masjala ya Wizara, chumba 7' }) }),
    ]);
    await agent.click('#answer');
    await agent.waitForURL(/\/staff\/conversations\/\d+$/);
    const refused = await agent.goto(`${server.url}/staff/requests/${reference}/person/erase`);
    expect(refused?.status()).toBe(403);
    expect(await agent.textContent('main')).toContain('Ni msimamizi wa timu au msimamizi wa mfumo pekee anayeweza kufuta taarifa za mteja.');
    expect(await agent.locator('#nav-access-log').count()).toBe(0);
    expect((await agent.goto(`${server.url}/staff/access-log`))?.status()).toBe(403);

    // A supervisor: the confirmation step says what happens, and nothing happens unconfirmed.
    const supervisor = await signedIn('supervisor');
    await supervisor.goto(`${server.url}/staff/requests/${reference}`);
    await supervisor.click('#erase-person');
    await supervisor.waitForURL(`${server.url}/staff/requests/${reference}/person/erase`);
    expect(await supervisor.textContent('#erase-explain')).toContain('Hatua hii haiwezi kurudishwa');
    expect(await supervisor.textContent('#erase-open')).toContain(reference);
    // The box is required in the page; a post without it (a script, an old browser) is refused by the server too.
    await supervisor.locator('#erase-confirm').evaluate((box) => (box as unknown as { removeAttribute(name: string): void }).removeAttribute('required'));
    const [unconfirmed] = await Promise.all([supervisor.waitForResponse((r) => r.request().method() === 'POST'), supervisor.click('#erase-form button[type=submit]')]);
    expect(unconfirmed.status()).toBe(400);
    expect(await supervisor.textContent('#erase-problem')).toContain('weka alama kwenye kisanduku');
    expect(await supervisor.textContent('main')).not.toContain('zimefutwa');
    await supervisor.check('#erase-confirm');
    await supervisor.click('#erase-form button[type=submit]');
    expect(await supervisor.textContent('#erased')).toContain(`Taarifa binafsi za mteja wa ombi ${reference} zimefutwa`);
    expect(await supervisor.textContent('#erased-closed')).toContain(reference);
    await supervisor.click('#back');
    await supervisor.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await supervisor.textContent('#erased-on')).toContain('zilifutwa');
    expect(await supervisor.textContent('#status')).toBe('Limefungwa');
    const page = (await supervisor.textContent('main')) ?? '';
    for (const gone of ['Masjala ya Wizara', '0713', 'intaneti haifanyi kazi']) expect(page).not.toContain(gone);
    expect(page).toContain('Taarifa binafsi za mteja zimefutwa');

    // An administrator: the log, from the menu, in the console's words.
    const admin = await signedIn('admin');
    await admin.click('#nav-access-log');
    await admin.waitForURL(`${server.url}/staff/access-log`);
    const rows = await admin.locator('#access-log tbody tr').allTextContents();
    const has = (who: string, what: string) => rows.some((r) => r.includes(who) && r.includes(what) && r.includes(reference));
    expect(has('Neema Agent', 'Alifungua maelezo ya ombi')).toBe(true);
    expect(has('Neema Agent', 'Alipakua taarifa za mteja')).toBe(true);
    expect(has('Baraka Supervisor', 'Alifuta taarifa za mteja')).toBe(true);
    expect(rows.some((r) => r.includes('Neema Agent') && r.includes('Alifungua mazungumzo ya mteja'))).toBe(true);
    expect((await admin.goto(`${server.url}/staff/access-log?from=2026-11-30&to=2026-11-01`))?.status()).toBe(400);
    await admin.goto(`${server.url}/staff/access-log?from=2026-11-24`);
    expect(await admin.textContent('#access-log tbody')).toContain('Hakuna kumbukumbu katika kipindi hiki.');
  });
});
