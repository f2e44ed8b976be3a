import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../bot/sla/zoned.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { formatDeadline } from '../../locales/time.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchChromium } from '../support/chromium.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// Charter clocks staff start (issue 14, item 2): line 15 (six weeks from the
// equipment reaching the ICT workshop) and line 13 (the maintenance
// contract's schedule). Filed waiting; the event recorded or the date set
// through the API and the console; the person told the date on their
// channel; the SLA watch warns and breaches on the moved clock.

const TZ = 'Africa/Dar_es_Salaam';
const deadline = (locale: Locale, at: Date) => formatDeadline(translator(locale), toLocal(at, TZ));

async function fileBy(server: TestServer, session: string, lines: readonly string[]): Promise<string> {
  let said = '';
  for (const line of lines) said = (await say(server, session, line)).map((r) => r.text).join(' ');
  const reference = /ICT-\d{4}-\d{6}/.exec(said)?.[0];
  if (!reference) throw new Error(`no reference in: ${said}`);
  return reference;
}
/** Line 15: broken equipment not under a maintenance contract goes to the workshop. */
const fileWorkshop = (server: TestServer, session: string) => fileBy(server, session, ['the projector in the boardroom is broken', 'PRJ-0042', 'no', 'Boardroom, admin block', '0754 010 020', 'yes']);
/** Line 13: routine servicing by the maintenance contract's schedule. */
const fileServicing = (server: TestServer, session: string) => fileBy(server, session, ['when is the scheduled servicing of our computers', "don't know", 'Finance', '0754 808 909', 'yes']);

describe.each(BACKENDS)('charter clocks staff start, on %s', (backend) => {
  let server: TestServer;
  let token = '';
  let browser: Browser;

  beforeAll(async () => {
    // The people's web chat sessions must outlive the months these clocks run.
    server = await startTestServer({ backend, env: { WEBCHAT_SESSION_DAYS: '3650' } });
    token = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const api = async (path: string, body?: unknown) => {
    const res = await server.app.http.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: string } };
  };
  type Detail = { request: { dueAt: string | null; waitingFor: string | null }; events: { kind: string; actor: string; data: unknown }[] };
  const detail = async (reference: string) => (await api(`/api/requests/${reference}`)).json as unknown as Detail;

  it('line 15 through the API: filed waiting; the wrong event refused; the event sets six weeks from now and the person hears the date; the watch warns and breaches on that clock', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const reference = await fileWorkshop(server, 'clock-15-api');
    expect((await detail(reference)).request).toMatchObject({ dueAt: null, waitingFor: 'delivered_to_workshop' });

    const wrong = await api(`/api/requests/${reference}/events`, { event: 'scheduled', at: '2027-01-05T09:00:00+03:00' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toContain('delivered_to_workshop');
    expect((await api(`/api/requests/${reference}/events`, { event: 'collected' })).status).toBe(400);
    expect((await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop', extra: 1 })).status).toBe(400);
    expect((await api(`/api/requests/${reference}/events`, '{"event":')).status).toBe(400);
    expect((await api('/api/requests/ICT-2026-999999/events', { event: 'delivered_to_workshop' })).status).toBe(404);

    // Two days later the projector reaches the workshop (Wednesday 11:00).
    server.clock.set('2026-11-25T08:00:00Z');
    const done = await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop' });
    expect(done.status).toBe(200);
    // Six weeks from Wednesday 25 November end at the close of office hours (16:00) on Wednesday 6 January.
    const due = new Date('2027-01-06T13:00:00Z');
    expect(done.json).toMatchObject({ dueAt: due.toISOString(), customerNotified: true, request: { dueAt: due.toISOString(), waitingFor: null } });
    const told = (await transcript(server, 'clock-15-api')).at(-1)?.text ?? '';
    expect(told).toContain(reference);
    expect(told).toContain('Equipment delivered to the ICT workshop');
    expect(told).toContain(deadline('en', due));
    expect(told).toContain('Under our Service Charter (Within 6 weeks after the equipment reaches the ICT workshop), the work will be completed before Wednesday, 6 January 2027, 4:00 pm');

    // The same event again is refused, and nothing moves.
    const again = await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop' });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/already started.*2027-01-06T13:00:00.000Z/);
    const events = (await detail(reference)).events.filter((e) => e.kind === 'clock_started');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: expect.stringMatching(/^staff:\d+ Asha Mushi$/), data: { event: 'delivered_to_workshop', dueAt: due.toISOString() } });

    // The warning falls at 75% of the time promised counted from the workshop, not from filing: six weeks and five hours, so 31.5 days and 3 h 45 min on.
    const kinds = async () => (await detail(reference)).events.map((e) => e.kind);
    await server.app.sla.sweep(new Date('2026-12-26T23:44:00Z'));
    expect(await kinds()).not.toContain('sla_warning');
    await server.app.sla.sweep(new Date('2026-12-26T23:46:00Z'));
    expect(await kinds()).toContain('sla_warning');
    await server.app.sla.sweep(new Date('2027-01-06T12:59:00Z'));
    expect(await kinds()).not.toContain('sla_breach');
    server.clock.set('2027-01-06T13:01:00Z');
    await server.app.sla.sweep(new Date('2027-01-06T13:01:00Z'));
    expect(await kinds()).toContain('sla_breach');
    expect((await transcript(server, 'clock-15-api')).at(-1)?.text).toMatch(new RegExp(`We apologise: your request ${reference}`));
    server.clock.set('2026-11-23T08:00:00Z');
  });

  it('line 13 through the API: the scheduled date must be given and in the future; set, the person hears it; a breach follows it', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const reference = await fileServicing(server, 'clock-13-api');
    expect((await detail(reference)).request).toMatchObject({ dueAt: null, waitingFor: 'scheduled' });
    const missing = await api(`/api/requests/${reference}/events`, { event: 'scheduled' });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toContain('at');
    const bare = await api(`/api/requests/${reference}/events`, { event: 'scheduled', at: '2027-02-10 09:00' });
    expect(bare.status).toBe(400);
    expect(bare.json.error).toContain('ISO-8601 date and time with its offset');
    const past = await api(`/api/requests/${reference}/events`, { event: 'scheduled', at: '2026-11-20T09:00:00+03:00' });
    expect(past.status).toBe(400);
    expect(past.json.error).toContain('future');
    expect((await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop' })).status).toBe(400);

    const at = '2027-02-10T09:00:00+03:00';
    const set = await api(`/api/requests/${reference}/events`, { event: 'scheduled', at });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ dueAt: new Date(at).toISOString(), customerNotified: true });
    expect((await transcript(server, 'clock-13-api')).at(-1)?.text).toContain('before Wednesday, 10 February 2027, 9:00 am');
    // A date once set stays: moving it would hide a late request.
    expect((await api(`/api/requests/${reference}/events`, { event: 'scheduled', at: '2027-03-10T09:00:00+03:00' })).status).toBe(409);

    server.clock.set('2027-02-10T06:01:00Z');
    await server.app.sla.sweep(new Date('2027-02-10T06:01:00Z'));
    expect((await detail(reference)).events.map((e) => e.kind)).toContain('sla_breach');
    expect((await transcript(server, 'clock-13-api')).at(-1)?.text).toContain(`your request ${reference}`);
    server.clock.set('2026-11-23T08:00:00Z');
  });

  it('recorded while the request waits for the customer: the clock starts stopped, and the wait after the event is given back', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const reference = await fileWorkshop(server, 'clock-15-paused');
    expect((await api(`/api/requests/${reference}/status`, { status: 'waiting_for_customer', note: 'Tafadhali leta chaja pia' })).status).toBe(200);
    server.clock.set('2026-11-25T08:00:00Z');
    expect((await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop' })).json).toMatchObject({ dueAt: '2027-01-06T13:00:00.000Z' });
    // Two more days waiting for the charger, then back at work: the last day moves by those two days only, still at closing.
    server.clock.set('2026-11-27T08:00:00Z');
    const resumed = await api(`/api/requests/${reference}/status`, { status: 'in_progress' });
    expect(resumed.json).toMatchObject({ request: { dueAt: '2027-01-08T13:00:00.000Z', paused: false } });
    server.clock.set('2026-11-23T08:00:00Z');
  });

  it('a request whose clock started at filing has no event to record (409)', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const reference = await fileBy(server, 'clock-none', ['the internet in our office has been down since morning', 'Registry, block B', '0713 000 111', 'yes']);
    const refused = await api(`/api/requests/${reference}/events`, { event: 'delivered_to_workshop' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatch(/starts its clock when the request is filed/);
  });

  async function signedIn(as: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#token', as);
    await page.click('#login button[type=submit]');
    await page.waitForURL(`${server.url}/staff`);
    return page;
  }

  it('the console in Swahili: "waiting for" the workshop, the button records it, the person hears the date', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const reference = await fileWorkshop(server, 'clock-15-console');
    // The next morning the equipment arrives, and the officer records it.
    server.clock.set('2026-11-24T07:30:00Z');
    const page = await signedIn(token);
    await page.goto(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('#waiting-for').textContent()).toBe('Muda unasubiri: Kifaa kuwasilishwa karakana ya TEHAMA');
    await page.click('#clock-form button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('.flash.ok').textContent()).toContain(`Muda wa ombi ${reference} umeanza kuhesabiwa.`);
    expect(await page.locator('#waiting-for').count()).toBe(0);
    expect(await page.locator('#history').textContent()).toContain('Muda wa Hati ya Huduma umeanza kuhesabiwa');
    const due = new Date('2027-01-05T13:00:00Z');
    expect((await transcript(server, 'clock-15-console')).at(-1)?.text).toContain(deadline('en', due));
    // Pressed again (an old page): refused, said on the page, nothing moved.
    await page.goBack();
    await page.reload();
    expect(await page.locator('#clock-form').count()).toBe(0);
    expect((await detail(reference)).request.dueAt).toBe(due.toISOString());
    await page.close();
    server.clock.set('2026-11-23T08:00:00Z');
  });

  it('the console in English: the servicing date from the schedule, typed in the institution’s time; the person hears it', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const english = (await addStaffToken(server.databaseEnv, 'John Mrema', 'agent', { locale: 'en' })).token;
    const reference = await fileServicing(server, 'clock-13-console');
    const page = await signedIn(english);
    await page.goto(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('#waiting-for').textContent()).toBe('The clock is waiting for: Servicing date set from the contract schedule');
    // A date already past is refused, and said so in English.
    await page.fill('#clock-at', '2026-11-01T10:00');
    await page.click('#clock-form button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('.flash.error').textContent()).toContain('The scheduled date must be in the future');
    await page.fill('#clock-at', '2027-03-01T10:00');
    await page.click('#clock-form button[type=submit]');
    await page.waitForURL(`${server.url}/staff/requests/${reference}`);
    expect(await page.locator('.flash.ok').textContent()).toContain(`The clock of request ${reference} has started.`);
    expect((await detail(reference)).request.dueAt).toBe('2027-03-01T07:00:00.000Z');
    expect((await transcript(server, 'clock-13-console')).at(-1)?.text).toContain('before Monday, 1 March 2027, 10:00 am');
    await page.close();
  });
});
