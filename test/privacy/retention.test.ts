import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Metrics } from '../../bot/metrics.ts';
import { monthsBefore, RetentionJob } from '../../bot/privacy/retention.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// Retention (RETENTION_MONTHS, 24 by default): the leader's daily job erases
// people none of whose requests is open and with whom nothing has happened
// for that long; everyone else is kept. Time is the test's clock, moved.

const REFERENCE = /ICT-2026-\d{6}|ICT-2027-\d{6}|ICT-2028-\d{6}/;

describe('the retention period', () => {
  it('counts calendar months back, keeping the day or the month’s last', () => {
    expect(monthsBefore(new Date('2028-11-23T08:00:00Z'), 24).toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(monthsBefore(new Date('2027-03-31T10:00:00Z'), 1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(monthsBefore(new Date('2028-03-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(monthsBefore(new Date('2027-01-15T00:00:00Z'), 1).toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(monthsBefore(new Date('2027-01-15T00:00:00Z'), 25).toISOString()).toBe('2024-12-15T00:00:00.000Z');
  });
});

describe.each(BACKENDS)('the retention job on %s', (backend) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer({ backend });
    token = (await addStaffToken(server.databaseEnv, 'Baraka Supervisor', 'supervisor')).token;
  });
  afterAll(() => server?.close());

  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  async function chat(session: string, text: string): Promise<string> {
    const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  }
  /** A new person files a network fault over the web chat; its reference. */
  async function fileFault(words: string): Promise<string> {
    const session = ((await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId;
    let said = await chat(session, words);
    for (let i = 0; i < 8 && !REFERENCE.test(said); i++) {
      if (/ofisi au idara|office or department/.test(said)) said = await chat(session, 'Masjala, chumba 4');
      else if (/namba yako ya simu|phone number/.test(said)) said = await chat(session, '0713 000 111');
      else if (/taarifa hizi ni sahihi|details correct/.test(said)) said = await chat(session, 'ndiyo');
      // An article fitted the words (the knowledge base): this test files a request.
      else if (/Je, hili limesaidia\?|Did this help\?/.test(said)) said = await chat(session, 'Fungua ombi');
      else said = await chat(session, words);
    }
    const reference = REFERENCE.exec(said)?.[0];
    if (!reference) throw new Error(`not filed: ${said}`);
    return reference;
  }
  const setStatus = async (reference: string, status: string) => expect((await api(`/api/requests/${reference}/status`, { method: 'POST', body: JSON.stringify({ status }) })).status).toBe(200);
  const personOf = (reference: string) =>
    server.app.store.read(async (tx) => {
      const r = (await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)))[0];
      const p = r && (await tx.orm.select().from(tx.t.people).where(eq(tx.t.people.id, r.personId)))[0];
      return { request: r, person: p };
    });
  const metric = async (name: string) => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  };

  it('erases the long-closed person, keeps the open, the recent and the recently noted ones, and says so in /metrics', async () => {
    expect(await metric('huduma_retention_erased_people_total')).toBe(0);
    const done = await fileFault('intaneti haifanyi kazi ofisini kwetu tangu asubuhi');
    await setStatus(done, 'closed');
    const stillOpen = await fileFault('barua pepe yangu haifanyi kazi tangu jana');
    const noted = await fileFault('mtandao wa ofisi yetu unakatika kila mara');
    await setStatus(noted, 'closed');

    // 13 months on, an officer writes a note on the closed request: activity, and the clock starts again for it.
    server.clock.set('2027-12-23T08:00:00Z');
    expect((await api(`/api/requests/${noted}/notes`, { method: 'POST', body: JSON.stringify({ text: 'Imekaguliwa tena' }) })).status).toBe(201);
    // 23 months on: nothing is old enough yet.
    server.clock.set('2028-10-23T08:00:00Z');
    expect(await server.app.retention.run()).toMatchObject({ erased: 0 });
    const recent = await fileFault('intaneti haipatikani kabisa ofisini');
    await setStatus(recent, 'closed');

    // 24 months and a day after: the closed one goes; the open, the noted and the recent stay.
    server.clock.set('2028-11-24T08:00:00Z');
    const run = await server.app.retention.run();
    expect(run).toMatchObject({ erased: 1, cutoff: new Date('2026-11-24T08:00:00Z') });
    const erased = await personOf(done);
    expect(erased.person).toMatchObject({ phone: null, name: null, email: null, erasedAt: new Date('2028-11-24T08:00:00Z') });
    expect(erased.request).toMatchObject({ status: 'closed', details: {} });
    for (const kept of [stillOpen, noted, recent]) {
      const { person, request } = await personOf(kept);
      expect(person?.erasedAt, kept).toBeNull();
      expect(request?.details, kept).toMatchObject({ office: 'Masjala, chumba 4' });
    }
    const events = await server.app.store.read((tx) =>
      tx.orm
        .select()
        .from(tx.t.requestEvents)
        .where(eq(tx.t.requestEvents.requestId, erased.request?.id ?? 0)),
    );
    expect(events.at(-1)).toMatchObject({ kind: 'erased', actor: 'retention', note: null });

    expect(await metric('huduma_retention_erased_people_total')).toBe(1);
    expect(await metric('huduma_retention_last_run_timestamp_seconds')).toBe(Date.parse('2028-11-24T08:00:00Z') / 1000);
    // The next day's run finds no one new: the erased are not erased again.
    server.clock.advance(86_400_000);
    expect(await server.app.retention.run()).toMatchObject({ erased: 0 });
    expect(await metric('huduma_retention_erased_people_total')).toBe(1);
    // The open request's person once it is closed and 24 months pass; the people looked through two ids at a time.
    await setStatus(stillOpen, 'closed');
    server.clock.set('2030-11-26T08:00:00Z');
    const metrics = new Metrics();
    const job = new RetentionJob({ store: server.app.store, clock: server.clock, log: pino({ level: 'silent' }), metrics, months: 24, window: 2 });
    expect(await job.run()).toMatchObject({ erased: 3 });
    expect(metrics.render()).toMatch(/^huduma_retention_erased_people_total 3$/m);
    for (const reference of [stillOpen, noted, recent]) expect((await personOf(reference)).person?.erasedAt).toEqual(new Date('2030-11-26T08:00:00Z'));
  });
});
