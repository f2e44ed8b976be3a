import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../bot/metrics.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { createServer } from '../../channels/server.ts';
import { staffConsoleRoutes } from '../../channels/staff/console/routes.ts';
import { translator } from '../../locales/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { sessionOf } from '../support/sessions.ts';
import { addStaffToken } from '../support/staff.ts';
import { outage, type Outage } from '../faults/outage.ts';
import { capturingLogger } from './whatsapp-fake.ts';

const CHROMIUM = '/usr/bin/chromium';
const PWNED = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let console_: ServerType;
  let url: string;
  let token: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is needed for the console test: apt-get install chromium (.ci/run does it)');
    server = await startTestServer({ backend });
    // The console beside the real app, as the app mounts it.
    const app = new Hono();
    app.route('/', staffConsoleRoutes(server.app.desk, { locale: 'sw', timeZone: 'Africa/Dar_es_Salaam', clock: server.clock }));
    app.all('*', (c) => server.app.http.fetch(c.req.raw));
    console_ = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => console_.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(console_.address() as AddressInfo).port}`;
    // A staff member as an administrator makes one: `npm run staff:add`.
    ({ token } = await addStaffToken(server.databaseEnv, 'Asha Mushi'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (console_ ? console_.close(() => resolve()) : resolve()));
    await server?.close();
  });

  /** A signed-in browser page that records any Content-Security-Policy complaint. */
  async function signedIn(): Promise<Page & { cspErrors: string[] }> {
    const page = Object.assign(await browser.newPage(), { cspErrors: [] as string[] });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) page.cspErrors.push(m.text());
    });
    await page.goto(`${url}/staff`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.waitForURL(`${url}/staff`);
    return page;
  }

  /** Signs in over plain fetch; the session cookie and the page's form token. */
  async function fetchSession(reference: string): Promise<{ cookie: string; csrf: string }> {
    const res = await fetch(`${url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^huduma_staff=[A-Za-z0-9_-]{20,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/staff/);
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(setCookie).not.toMatch(/Secure/i);
    const cookie = setCookie.split(';')[0] ?? '';
    const html = await (await fetch(`${url}/staff/requests/${reference}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csrf).not.toBe('');
    return { cookie, csrf };
  }

  type Browserish = { getComputedStyle(el: unknown): { color: string } };
  const redOf = (rgb: string) => (/rgba?\((\d+), (\d+), (\d+)/.exec(rgb) ?? []).slice(1).map(Number);

  describe('the staff console in Chromium', () => {
    it('shows a breached request in red; a status change from its page reaches the customer', async () => {
      const session = 'console-breach-1';
      const reference = await fileNetworkFault(server, session);
      server.clock.set('2026-11-24T09:00:00Z'); // Tuesday 12:00 in Dar es Salaam: an hour past due
      await server.app.sla.sweep(new Date('2026-11-24T09:00:00Z'));
      const page = await signedIn();
      const row = page.locator(`tr[data-reference="${reference}"]`);
      expect(await row.getAttribute('class')).toContain('breached');
      const [r = 0, g = 255, b = 255] = redOf(await row.evaluate((el) => (globalThis as unknown as Browserish).getComputedStyle(el).color));
      expect(r).toBeGreaterThan(150);
      expect(g).toBeLessThan(80);
      expect(b).toBeLessThan(80);
      await expect.poll(() => row.locator('.countdown').textContent()).toMatch(/^Limechelewa kwa saa 1 dakika \d+$/);
      expect(await row.locator('td').nth(4).textContent()).toBe('Jumanne 24 Nov 2026, 11:00');

      await row.locator('a').click();
      await page.waitForURL(`${url}/staff/requests/${reference}`);
      expect(await page.locator('#history').textContent()).toContain('Muda wa Hati ya Huduma umepitwa');
      // The number typed in the form is on the request, for staff to call; it is not the customer's identity.
      expect(await page.locator('#details').textContent()).toContain('+255713000111');
      await page.selectOption('#new-status', 'in_progress');
      await page.fill('#note', 'Fundi yuko njiani kuja Registry');
      await page.click('#status-form button[type=submit]');
      await page.waitForURL(`${url}/staff/requests/${reference}`);
      expect(await page.locator('.flash.ok').textContent()).toContain(`Hali ya ombi ${reference} imebadilishwa kuwa "Linashughulikiwa"`);
      expect(await page.locator('#status').textContent()).toBe('Linashughulikiwa');
      expect(await page.locator('#history').textContent()).toContain('Asha Mushi');

      const said = (await transcript(server, session)).at(-1);
      expect(said?.direction).toBe('out');
      expect(said?.text).toContain(reference);
      expect(said?.text).toContain('Fundi yuko njiani kuja Registry');
      expect(page.cspErrors).toEqual([]);
      await page.close();
    });

    it('answers a hand-off from the conversation page; the customer sees it, and their next message appears live', async () => {
      const session = 'console-handoff-1';
      await say(server, session, 'nataka kuongea na afisa');
      const chat = await sessionOf(server, session);
      const handoff = (await server.app.desk.handoffs()).find((h) => h.chatId === chat);
      expect(handoff?.handoffTakenBy).toBeNull();
      const page = await signedIn();
      expect(await page.locator('#nav-handoffs').textContent()).toContain('(1)');
      await page.goto(`${url}/staff/handoffs`);
      const row = page.locator(`tr[data-conversation="${handoff?.id}"]`);
      expect(await row.textContent()).toContain('Anasubiri afisa');
      await row.locator('a').click();
      await page.waitForURL(`${url}/staff/conversations/${handoff?.id}`);
      expect(await page.locator('#transcript li.msg.in').first().textContent()).toContain('nataka kuongea na afisa');

      await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
      await page.fill('#reply-text', 'Habari, mimi ni Asha wa TEHAMA. Nikusaidie nini?');
      await page.click('#reply button[type=submit]');
      const officer = translator('sw')('staff.reply', { text: 'Habari, mimi ni Asha wa TEHAMA. Nikusaidie nini?' });
      await expect.poll(async () => (await transcript(server, session)).map((m) => m.text)).toContain(officer);
      await expect.poll(() => page.locator('#transcript li.msg.staff').last().textContent()).toContain('Afisa: Asha Mushi');

      await say(server, session, 'Printa ya ofisi yangu haichapishi kabisa');
      await expect.poll(() => page.locator('#transcript li.msg.in').last().textContent(), { timeout: 10_000 }).toContain('Printa ya ofisi yangu haichapishi kabisa');
      expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      await page.click('#end button[type=submit]');
      await page.waitForURL(`${url}/staff/handoffs`);
      expect((await server.app.desk.handoffs()).find((h) => h.chatId === chat)).toBeUndefined();
      expect(page.cspErrors).toEqual([]);
      await page.close();
    });

    it('shows what a customer wrote as text, never as markup, on the request and conversation pages', async () => {
      const session = 'console-xss-1';
      const reference = await fileNetworkFault(server, session);
      const page = await signedIn();
      await page.goto(`${url}/staff/requests/${reference}`);
      const conversationId = Number(/\/staff\/conversations\/(\d+)/.exec((await page.locator('#answer').getAttribute('href')) ?? '')?.[1]);
      // First drawn by the server (the request page), then arriving by polling (the conversation page).
      await page.goto(`${url}/staff/conversations/${conversationId}`);
      await say(server, session, PWNED);
      await expect.poll(() => page.locator('#transcript li.msg.in').last().textContent(), { timeout: 10_000 }).toContain(PWNED);
      await page.goto(`${url}/staff/requests/${reference}`);
      expect(await page.locator('#request-transcript li.msg.in').last().locator('.text').textContent()).toBe(PWNED);
      await page.goto(`${url}/staff/conversations/${conversationId}`);
      expect(await page.locator('#transcript li.msg.in').last().locator('.text').textContent()).toBe(PWNED);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main img').count()).toBe(0);
      await page.close();
    });

    it('draws the month on the dashboard: one bar per service with requests', async () => {
      const page = await signedIn();
      await page.goto(`${url}/staff/dashboard`);
      const services = await server.app.desk.dashboard();
      expect(services.length).toBeGreaterThan(0);
      expect(await page.locator('svg#chart rect.bar').count()).toBe(services.length);
      expect(await page.locator('#dashboard tbody tr').count()).toBe(services.length);
      expect(await page.locator('h1').textContent()).toBe('Takwimu za Novemba 2026');
      expect(page.cspErrors).toEqual([]);
      await page.close();
    });
  });

  describe('the staff console refuses', () => {
    it('a wrong token: 401, the form again, and no cookie', async () => {
      const res = await fetch(`${url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token: 'not-a-real-token-at-all-00000000' }), redirect: 'manual' });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      const body = await res.text();
      expect(body).toContain('Tokeni hiyo haikubaliki');
      expect(body).toContain('id="login"');
    });

    it('pages without a session: a redirect to sign in (401 JSON for polling)', async () => {
      for (const path of ['/staff', '/staff/dashboard', '/staff/handoffs', '/staff/requests/ICT-2026-000001']) {
        const res = await fetch(`${url}${path}`, { redirect: 'manual', headers: { cookie: 'huduma_staff=forgedforgedforgedforgedforged' } });
        expect(res.status, path).toBe(303);
        expect(res.headers.get('location'), path).toBe('/staff/login');
      }
      const poll = await fetch(`${url}/staff/conversations/1/messages?after=0`);
      expect(poll.status).toBe(401);
      expect(await poll.json()).toHaveProperty('error');
    });

    it('a status change without the right form token or from another origin: 403, nothing changed', async () => {
      const reference = await fileNetworkFault(server, 'console-csrf-1');
      const { cookie, csrf } = await fetchSession(reference);
      const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
        fetch(`${url}/staff/requests/${reference}/status`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie, ...headers }, redirect: 'manual' });
      const missing = await post({ status: 'cancelled' });
      expect(missing.status).toBe(403);
      expect(await missing.text()).toContain('Hakuna kilichobadilishwa');
      expect((await post({ status: 'cancelled', _csrf: `${csrf.slice(0, -2)}xx` })).status).toBe(403);
      expect((await post({ status: 'cancelled', _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
      expect((await server.app.desk.request(reference))?.request.status).toBe('received');
      // With the token it goes through.
      expect((await post({ status: 'cancelled', _csrf: csrf })).status).toBe(303);
      expect((await server.app.desk.request(reference))?.request.status).toBe('cancelled');
      // A move the status rules refuse comes back as an error on the page.
      const refused = await post({ status: 'in_progress', _csrf: csrf });
      expect(refused.status).toBe(303);
      const flash = (refused.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const shown = await (await fetch(`${url}/staff/requests/${reference}`, { headers: { cookie: `${cookie}; ${flash}` } })).text();
      expect(shown).toContain('Ombi lenye hali &quot;Limeghairiwa&quot; haliwezi kubadilishwa kuwa &quot;Linashughulikiwa&quot;');
      expect((await server.app.desk.request(reference))?.request.status).toBe('cancelled');
    });

    it('signing out only with the form token; afterwards the old cookie opens nothing', async () => {
      const reference = (await server.app.desk.requests({}))[0]?.reference ?? '';
      const { cookie, csrf } = await fetchSession(reference);
      const logout = (form: Record<string, string>) => fetch(`${url}/staff/logout`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie }, redirect: 'manual' });
      expect((await logout({})).status).toBe(403);
      const out = await logout({ _csrf: csrf });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/^huduma_staff=;.*Max-Age=0/);
      const after = await fetch(`${url}/staff`, { headers: { cookie }, redirect: 'manual' });
      expect(after.headers.get('location')).toBe('/staff/login');
    });

    it('bad input with a 4xx page saying what is wrong, and strict headers', async () => {
      const { cookie } = await fetchSession((await server.app.desk.requests({}))[0]?.reference ?? '');
      const get = (path: string) => fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
      const status = await get('/staff?status=imekwisha');
      expect(status.status).toBe(400);
      expect(await status.text()).toContain('hali hiyo ya ombi haijulikani');
      expect(await (await get('/staff?service=kahawa')).text()).toContain('huduma hiyo haipo kwenye Hati ya Huduma');
      expect(await (await get('/staff/requests/hello')).text()).toContain('ICT-2026-000123');
      expect((await get('/staff/requests/ICT-2026-999999')).status).toBe(404);
      expect((await get('/staff/conversations/-4')).status).toBe(400);
      const ok = await get('/staff');
      expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(ok.headers.get('x-frame-options')).toBe('DENY');
      expect(ok.headers.get('cache-control')).toBe('no-store');
    });
  });
});

describe.each(BACKENDS)('the staff console on %s when the database is out', (backend) => {
  let server: TestServer;
  let http: Hono;
  let database: Outage;
  let token: string;
  const captured = capturingLogger();
  beforeAll(async () => {
    // A short busy timeout: on SQLite the outage is another connection's lock.
    server = await startTestServer({ backend, env: { DATABASE_BUSY_TIMEOUT_MS: '50' } });
    // The console behind the server, as the app mounts it, with a log to read.
    const console_ = staffConsoleRoutes(server.app.desk, { locale: 'sw', timeZone: 'Africa/Dar_es_Salaam', clock: server.clock });
    http = createServer({ store: server.app.store, metrics: new Metrics(), log: captured.log, routes: [console_] });
    ({ token } = await addStaffToken(server.databaseEnv, 'Neema Said'));
    database = outage(backend, server.databaseEnv);
  });
  afterAll(async () => {
    await database?.end().catch(() => undefined);
    await server?.close();
  });

  it('answers 503 with a page in the staff language saying so (JSON for the page script), and logs it; then works again', async () => {
    const reference = await fileNetworkFault(server, 'console-outage-1');
    const login = await http.request('/staff/login', { method: 'POST', body: new URLSearchParams({ token }) });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await (await http.request(`/staff/requests/${reference}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const change = () => http.request(`/staff/requests/${reference}/status`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, status: 'in_progress' }), headers: { cookie } });
    const t = translator('sw');

    await database.begin();
    try {
      const refused = await change();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(refused.headers.get('retry-after')).toBe('60');
      const html = await refused.text();
      expect(html).toContain(t('outage.staff_title'));
      expect(html).toContain('hakuna kilichobadilishwa');
      expect(html).toContain('lang="sw"');
      const polled = await http.request('/staff/conversations/1/reply', {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrf, text: 'tunashughulikia' }),
        headers: { cookie, accept: 'application/json' },
      });
      expect(polled.status).toBe(503);
      expect(await polled.json()).toEqual({ error: t('outage.staff') });
    } finally {
      await database.end();
    }
    const logged = captured.lines.filter((l) => l.level === 50 && l.msg === 'database unavailable');
    expect(logged.find((l) => l.route === '/staff/requests/:reference/status')).toMatchObject({ method: 'POST', status: 503, err: { code: expect.stringMatching(/^(SQLITE_BUSY|25006)$/) } });
    expect(logged.find((l) => l.route === '/staff/conversations/:id/reply')).toMatchObject({ status: 503 });
    expect((await server.app.desk.request(reference))?.request.status).toBe('received');
    // Back: the same change goes through.
    expect((await change()).status).toBe(303);
    expect((await server.app.desk.request(reference))?.request.status).toBe('in_progress');
  });

  it('a defect: 500 with the polite page, and the error logged with its stack (it was silent before)', async () => {
    const broken: StaffDesk = Object.assign(Object.create(server.app.desk) as StaffDesk, { dashboard: () => Promise.reject(new RangeError('a defect in the figures')) });
    const app = createServer({
      store: server.app.store,
      metrics: new Metrics(),
      log: captured.log,
      routes: [staffConsoleRoutes(broken, { locale: 'en', timeZone: 'Africa/Dar_es_Salaam', clock: server.clock })],
    });
    const login = await http.request('/staff/login', { method: 'POST', body: new URLSearchParams({ token }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await app.request('/staff/dashboard', { headers: { cookie } });
    expect(res.status).toBe(500);
    // In the signed-in officer's language (Neema's console speaks Swahili), not the institution's.
    expect(await res.text()).toContain(translator('sw')('console_staff.errors.internal'));
    const line = captured.lines.find((l) => l.msg === 'unexpected error' && l.route === '/staff/dashboard');
    expect(line).toMatchObject({ level: 50, status: 500, err: { message: 'a defect in the figures' } });
    expect(JSON.stringify(line)).toContain('RangeError');
  });
});
