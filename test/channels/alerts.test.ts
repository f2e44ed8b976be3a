import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest } from '../../db/queries/requests.ts';
import { ALERTS_ENV, notification, postAlerts } from '../support/alerts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { fileByUssd, PHONE_CHANNELS_ENV, queuedTo, REFERENCE } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { reportByWebchat, staffApi, times } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// Monitoring raises requests (issue 16, ICT charter lines 2 and 3: "detected
// by system monitoring"): Alertmanager posts its webhook; a firing alert files
// one request on the line it names, however often it is posted; people who
// report that service meanwhile are told it is known and joined to it; when
// it clears, the request and theirs are resolved and each of them told once.

const STAFF_GROUP = '-1004242';
const ENV = { ...ALERTS_ENV, ...PHONE_CHANNELS_ENV, TELEGRAM_BOT_TOKEN: '123456:alerts-test', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', TELEGRAM_STAFF_CHAT_ID: STAFF_GROUP };
const PHONE = '+255712000501';
const BEGAN = '2026-11-23T07:55:12.739266876+03:00';

const mailDown = {
  fingerprint: 'c6eadffa33fcdf37',
  labels: { alertname: 'MailServerDown', charter_line: '2', severity: 'critical', instance: 'mail.ict.example.go.tz:25', job: 'blackbox' },
  annotations: { summary: 'Seva ya barua pepe haipatikani', description: 'SMTP probe of mail.ict.example.go.tz failed for 5 minutes.' },
  startsAt: BEGAN,
};
const logins = {
  fingerprint: '1a30ba71cca2921f',
  labels: { alertname: 'SuspiciousLogins', service: 'security_incident', severity: 'warning' },
  annotations: { summary: '240 failed logins to the HR system from one address' },
  startsAt: '2026-11-23T07:58:00Z',
};

describe.each(BACKENDS)('monitoring alerts on %s', (backend) => {
  let server: TestServer;
  let api: ReturnType<typeof staffApi>;
  let agent = '';
  let mail = '';
  const ref: Record<string, string> = {};
  const out = async (name: string) => (await transcript(server, name)).filter((m) => m.direction === 'out').map((m) => m.text);
  const requests = async (service: string) => ((await api(agent, `/api/requests?service=${service}`)).body.requests as { reference: string; status: string }[]) ?? [];
  const request = async (reference: string) => (await api(agent, `/api/requests/${reference}`)).body;

  beforeAll(async () => {
    server = await startTestServer({ backend, env: ENV });
    api = staffApi(server);
    agent = (await addStaffToken(server.databaseEnv, 'Juma Ali', 'agent')).token;
    // Reported on the web chat just after the fault began, before the alert reached Huduma.
    ref.asha = await reportByWebchat(server, 'al-asha', 'sw');
  }, 120_000);
  afterAll(() => server?.close());

  it('is off (503) without ALERTS_TOKEN, and refuses a missing or wrong token (401)', async () => {
    const off = await startTestServer({ backend });
    try {
      expect(await postAlerts(off, notification('firing', [mailDown]))).toMatchObject({ status: 503, body: { code: 'alerts_off' } });
    } finally {
      await off.close();
    }
    const body = notification('firing', [mailDown]);
    expect(await postAlerts(server, body, null)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(await postAlerts(server, body, 'alertmanager-test-token-wrong-0000')).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    // A staff token is not the monitoring token.
    expect(await postAlerts(server, body, agent)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('answers 400 to a body that is not an Alertmanager notification, and raises nothing', async () => {
    expect(await postAlerts(server, '{"receiver":')).toMatchObject({ status: 400, body: { code: 'not_json' } });
    expect(await postAlerts(server, {})).toMatchObject({ status: 400, body: { code: 'bad_payload', error: expect.stringContaining('version') } });
    const good = notification('firing', [mailDown]);
    expect(await postAlerts(server, { ...good, version: '3' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('version') } });
    const { fingerprint: _gone, ...noFingerprint } = good.alerts[0] ?? mailDown;
    expect(await postAlerts(server, { ...good, alerts: [noFingerprint] })).toMatchObject({ status: 400, body: { error: expect.stringContaining('alerts.0.fingerprint') } });
    expect(await postAlerts(server, { ...good, alerts: [{ ...good.alerts[0], startsAt: 'yesterday' }] })).toMatchObject({ status: 400, body: { error: expect.stringContaining('alerts.0.startsAt') } });
    expect(await postAlerts(server, { ...good, alerts: [{ ...good.alerts[0], status: 'pending' }] })).toMatchObject({ status: 400, body: { error: expect.stringContaining('alerts.0.status') } });
    expect((await requests('network_email_fault')).map((r) => r.reference)).toEqual([ref.asha]);
  });

  it('a firing alert files one request on the line it names; one naming no line the charter serves is reported back, the others raised', async () => {
    const posted = await postAlerts(
      server,
      notification('firing', [
        mailDown,
        logins,
        { fingerprint: '00000000000000a1', labels: { alertname: 'DiskFull', instance: 'db1' }, startsAt: BEGAN },
        { fingerprint: '00000000000000a2', labels: { alertname: 'Lost', charter_line: '99' }, startsAt: BEGAN },
        { fingerprint: '00000000000000a3', labels: { alertname: 'Calls', charter_line: '1' }, startsAt: BEGAN },
        { fingerprint: '00000000000000a4', labels: { alertname: 'Mixed', charter_line: '3', service: 'network_email_fault' }, startsAt: BEGAN },
        { fingerprint: '00000000000000a5', labels: { alertname: 'Water', service: 'water_bill' }, startsAt: BEGAN },
      ]),
    );
    expect(posted.status).toBe(200);
    const [first, second, ...refused] = posted.body.alerts ?? [];
    expect(first).toMatchObject({ fingerprint: mailDown.fingerprint, alertname: 'MailServerDown', status: 'firing', outcome: 'raised', request: expect.stringMatching(REFERENCE), joined: 1 });
    expect(second).toMatchObject({ alertname: 'SuspiciousLogins', outcome: 'raised', request: expect.stringMatching(REFERENCE), joined: 0 });
    expect(refused.map((r) => [r.alertname, r.outcome, r.code])).toEqual([
      ['DiskFull', 'refused', 'no_target'],
      ['Lost', 'refused', 'unknown_line'],
      ['Calls', 'refused', 'not_a_service'],
      ['Mixed', 'refused', 'conflicting_target'],
      ['Water', 'refused', 'unknown_service'],
    ]);
    expect(refused[1]?.error).toMatch(/charter_line "99" is not a line of the charter in use; lines a monitoring alert may raise: 2, 3, /);
    mail = String(first?.request);
    ref.logins = String(second?.request);

    // Its reference is in the staff's list, on line 2, filed for the monitoring system with the alert's words.
    expect((await requests('network_email_fault')).map((r) => r.reference).sort()).toEqual([ref.asha, mail].sort());
    const detail = await request(mail);
    expect(detail.request).toMatchObject({
      service: 'network_email_fault',
      charterLine: 2,
      status: 'received',
      summary: 'Seva ya barua pepe haipatikani',
      requester: { name: 'Mfumo wa ufuatiliaji (huduma-ict)', phone: null },
      details: {
        alertname: 'MailServerDown',
        fingerprint: mailDown.fingerprint,
        severity: 'critical',
        generator_url: expect.stringContaining('http://prometheus.ict.example.go.tz:9090/graph'),
        description: 'Seva ya barua pepe haipatikani\nSMTP probe of mail.ict.example.go.tz failed for 5 minutes.',
      },
    });
    expect(detail.events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'created', actor: 'monitoring:huduma-ict' })]));
    expect((await request(ref.logins)).request).toMatchObject({ service: 'security_incident', charterLine: 3 });

    // Asha, who reported it on the web chat before, hears that monitoring found it.
    expect((await out('al-asha')).at(-1)).toBe(
      `ℹ️ Kuhusu ombi lako ${ref.asha}: mfumo wetu wa ufuatiliaji umegundua hitilafu katika huduma hii (ombi ${mail}), ambayo huenda ndiyo tatizo ulilotuandikia. Wataalamu wetu wanaishughulikia, na tutakujulisha hapa mara itakaporekebishwa.`,
    );
    const staff = await queuedTo(server, 'telegram', STAFF_GROUP);
    expect(times(staff, `🔔 Ufuatiliaji: tahadhari "MailServerDown (critical)" imefungua ombi ${mail} (Urekebishaji wa mtandao au barua pepe): Seva ya barua pepe haipatikani.`)).toBe(1);
  });

  it('posted again (a repeat, or a second Alertmanager) it raises nothing new', async () => {
    for (const receiver of ['huduma-ict', 'huduma-ict-dr']) {
      const again = await postAlerts(server, notification('firing', [mailDown], receiver));
      expect(again).toMatchObject({ status: 200, body: { alerts: [{ outcome: 'already_raised', request: mail }] } });
    }
    expect((await requests('network_email_fault')).map((r) => r.reference).sort()).toEqual([ref.asha, mail].sort());
    expect(times(await out('al-asha'), `(ombi ${mail})`)).toBe(1);
    expect(times(await queuedTo(server, 'telegram', STAFF_GROUP), `imefungua ombi ${mail}`)).toBe(1);
  });

  it('two Alertmanagers posting a new alert at the same moment raise one request', async () => {
    const printer = { fingerprint: '9b1c2d3e4f5a6b7c', labels: { alertname: 'CoreSwitchDown', charter_line: '2', severity: 'critical' }, startsAt: '2026-11-23T08:00:30Z' };
    const both = await Promise.all(['huduma-ict', 'huduma-ict-dr'].map((receiver) => postAlerts(server, notification('firing', [printer], receiver))));
    const outcomes = both.map((p) => p.body.alerts?.[0]?.outcome).sort();
    expect(outcomes).toEqual(['already_raised', 'raised']);
    const [a, b] = both.map((p) => p.body.alerts?.[0]?.request);
    expect(a).toBe(b);
    ref.switch = String(a);
    expect((await requests('network_email_fault')).filter((r) => r.reference === a)).toHaveLength(1);
    // Cleared at once, so that the rest of this file meets Mail alone.
    expect(await postAlerts(server, notification('resolved', [{ ...printer, endsAt: '2026-11-23T08:01:00Z' }]))).toMatchObject({
      body: { alerts: [{ outcome: 'resolved', closed: true, joined: 0 }] },
    });
  });

  it('people who report the service meanwhile are told at once, with their own reference', async () => {
    ref.baraka = await reportByWebchat(server, 'al-baraka', 'en');
    // With the receipt that gives Baraka's own reference (an offer to link the phone he typed follows it).
    const receipt = (await out('al-baraka')).find((t) => t.includes(ref.baraka ?? '-'));
    expect(receipt).toContain(
      `ℹ️ Our monitoring system had already detected a fault in this service (request ${mail}), and our engineers are working on it; it may be the problem you have written to us about.`,
    );
    ref.ussd = await fileByUssd(server, 'al-ussd-1', PHONE, 'Barua pepe haifanyi kazi ofisini');
    const sms = await queuedTo(server, 'sms', PHONE);
    expect(sms.at(-2)).toContain(ref.ussd);
    expect(sms.at(-1)).toBe(`Mfumo wetu wa ufuatiliaji umeshagundua hitilafu hii (ombi ${mail}); wataalamu wanaishughulikia. Tutakujulisha ikirekebishwa.`);
    expect((await request(ref.baraka)).events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'alert_joined', actor: 'monitoring' })]));
  });

  it('a report that missed the alert (filed on another instance while it was raised) is joined by the leader soon after, its reporter told once', async () => {
    // What the race leaves on PostgreSQL: a request filed in a chat, its receipt without the alert's word, joined to nothing.
    await say(server, 'al-late', 'habari');
    const late = await server.app.store.transaction(async (tx) => {
      const [chat] = await tx.orm.select().from(tx.t.conversations).orderBy(desc(tx.t.conversations.id)).limit(1);
      if (!chat) throw new Error('no conversation');
      const at = server.clock.now();
      return createRequest(tx, {
        personId: chat.personId,
        conversationId: chat.id,
        service: 'network_email_fault',
        charterLine: 2,
        details: { description: 'barua pepe haifanyi kazi' },
        prefix: 'ICT',
        year: 2026,
        at,
        actor: `person:${chat.personId}`,
      });
    });
    ref.late = late.reference;
    expect(await server.app.alerts.joinLate()).toBe(1);
    expect((await out('al-late')).at(-1)).toBe(
      `ℹ️ Kuhusu ombi lako ${late.reference}: mfumo wetu wa ufuatiliaji umegundua hitilafu katika huduma hii (ombi ${mail}), ambayo huenda ndiyo tatizo ulilotuandikia. Wataalamu wetu wanaishughulikia, na tutakujulisha hapa mara itakaporekebishwa.`,
    );
    expect((await request(late.reference)).events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'alert_joined', actor: 'monitoring' })]));
    // Joined once: the next round finds nothing to do and tells nobody again.
    expect(await server.app.alerts.joinLate()).toBe(0);
    expect(times(await out('al-late'), `ombi ${mail}`)).toBe(1);
  });

  it('when it clears, its request is resolved, so are the reports joined to it, and each reporter is told once', async () => {
    server.clock.advance(90 * 60_000);
    const cleared = await postAlerts(server, notification('resolved', [{ ...mailDown, endsAt: '2026-11-23T09:25:00Z' }]));
    expect(cleared).toMatchObject({ status: 200, body: { alerts: [{ outcome: 'resolved', request: mail, closed: true, joined: 4 }] } });
    const detail = await request(mail);
    expect(detail.request).toMatchObject({ status: 'resolved' });
    expect(detail.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'status', actor: 'monitoring:huduma-ict', note: 'Tahadhari ya ufuatiliaji "MailServerDown (critical)" imekwisha.' })]),
    );
    for (const who of ['asha', 'baraka', 'ussd', 'late']) expect((await request(ref[who] ?? '')).request, who).toMatchObject({ status: 'resolved' });
    expect((await out('al-asha')).at(-1)).toBe(
      `✅ Kuhusu ombi lako ${ref.asha}: hitilafu iliyogunduliwa na mfumo wetu wa ufuatiliaji (ombi ${mail}) imerekebishwa, hivyo ombi lako limeshughulikiwa. Ikiwa bado una tatizo, tafadhali tuandikie tena nasi tutalishughulikia.`,
    );
    expect((await out('al-baraka')).at(-1)).toContain(`✅ About your request ${ref.baraka}: the fault our monitoring system detected (request ${mail}) has been mended`);
    expect(times(await queuedTo(server, 'sms', PHONE), `Ombi ${ref.ussd}: hitilafu (ombi ${mail}) imerekebishwa.`)).toBe(1);
    expect(times(await queuedTo(server, 'telegram', STAFF_GROUP), `✅ Ufuatiliaji: tahadhari "MailServerDown (critical)" imekwisha; ombi ${mail} limetatuliwa`)).toBe(1);
    // The other alert still fires: its request is untouched.
    expect((await request(ref.logins ?? '')).request).toMatchObject({ status: 'received' });
  });

  it('a repeat of the resolution, or a late repeat of the firing, changes nothing and tells nobody again', async () => {
    expect(await postAlerts(server, notification('resolved', [{ ...mailDown, endsAt: '2026-11-23T09:25:00Z' }]))).toMatchObject({ body: { alerts: [{ outcome: 'already_resolved' }] } });
    expect(await postAlerts(server, notification('firing', [mailDown]))).toMatchObject({ body: { alerts: [{ outcome: 'already_resolved' }] } });
    expect(await postAlerts(server, notification('resolved', [{ fingerprint: 'ffffffffffffffff', labels: { alertname: 'Never', charter_line: '2' }, startsAt: BEGAN }]))).toMatchObject({
      body: { alerts: [{ outcome: 'not_firing' }] },
    });
    expect(
      (await requests('network_email_fault'))
        .filter((r) => ![ref.baraka, ref.ussd, ref.switch, ref.late].includes(r.reference))
        .map((r) => r.reference)
        .sort(),
    ).toEqual([ref.asha, mail].sort());
    expect(times(await out('al-asha'), 'imerekebishwa')).toBe(1);
    expect(times(await queuedTo(server, 'sms', PHONE), 'imerekebishwa')).toBe(1);
  });

  it('the same alert firing again later is a new fault: a new request, raised once across a restart', async () => {
    server.clock.advance(24 * 60 * 60_000);
    const later = { ...mailDown, startsAt: '2026-11-24T08:10:00Z' };
    const raised = await postAlerts(server, notification('firing', [later]));
    expect(raised).toMatchObject({ status: 200, body: { alerts: [{ outcome: 'raised', joined: 0 }] } });
    const second = String(raised.body.alerts?.[0]?.request);
    expect(second).not.toBe(mail);
    const databaseEnv = server.databaseEnv;
    const now = server.clock.now().toISOString();
    await server.close();
    server = await startTestServer({ backend, databaseEnv, env: ENV, now });
    expect(await postAlerts(server, notification('firing', [later]))).toMatchObject({ body: { alerts: [{ outcome: 'already_raised', request: second }] } });
    expect(await postAlerts(server, notification('resolved', [{ ...later, endsAt: '2026-11-24T09:00:00Z' }]))).toMatchObject({
      body: { alerts: [{ outcome: 'resolved', request: second, closed: true }] },
    });
    expect(await postAlerts(server, notification('resolved', [{ ...later, endsAt: '2026-11-24T09:00:00Z' }]))).toMatchObject({ body: { alerts: [{ outcome: 'already_resolved' }] } });
    expect(times(await queuedTo(server, 'telegram', STAFF_GROUP), `imefungua ombi ${second}`)).toBe(1);
  });
});
