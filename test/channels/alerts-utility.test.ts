import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV, notification, postAlerts } from '../support/alerts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { staffApi, times } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// Monitoring at an electricity utility (CHARTER=utility): a feeder's alert
// names the service and the area it cuts. It opens an incident there, so the
// people who reported the power cut hear it is known, and those who report
// it afterwards hear at once; when the alert clears, each hears once that the
// power is back. An incident staff opened themselves stays theirs to close.

const REFERENCE = /UMM-\d{4}-\d{6}/;
const BEGAN = '2026-11-23T07:40:00Z';
const feeder = {
  fingerprint: '5f3e9a0c2b7d4e11',
  labels: { alertname: 'FeederTripped', service: 'power_outage', area: 'Sinza', severity: 'critical', feeder: 'UB-11' },
  annotations: { summary: 'Feeder UB-11 (Sinza) tripped' },
  startsAt: BEGAN,
};
const OPENED_SW =
  'Tunafahamu hitilafu iliyotokea Sinza, Ubungo, Dar es Salaam (Kukatika kwa umeme): mfumo wetu wa ufuatiliaji umeigundua, na mafundi wetu wanaishughulikia. Tutawajulisha mara itakaporekebishwa.';
const OPENED_EN = 'We know of the fault in Sinza, Ubungo, Dar es Salaam (Power cut): our monitoring system detected it, and our crews are working on it. We will tell you as soon as it is mended.';
const FIXED_SW = 'Hitilafu iliyotokea Sinza, Ubungo, Dar es Salaam (Kukatika kwa umeme) imerekebishwa';
const FIXED_EN = 'The fault in Sinza, Ubungo, Dar es Salaam (Power cut) has been mended';

/** What a customer in Sinza Mori answers to what the power-cut form asks. */
function answerTo(asked: string, english: boolean): string {
  if (/taarifa hizi ni sahihi|details correct/i.test(asked)) return english ? 'yes' : 'ndiyo';
  if (/mjini au kijijini|town or .*village/i.test(asked)) return english ? 'in town' : 'mjini';
  if (/namba yako ya simu|phone number/i.test(asked)) return english ? '+255 713 000 222' : '0754 123 456';
  if (/mahali|eneo|where|place|area/i.test(asked)) return 'Sinza Mori';
  if (/Je, hili limesaidia|Did this help/.test(asked)) return english ? 'Open a request' : 'Fungua ombi';
  return english ? 'there is no power in the whole house' : 'hakuna umeme nyumba nzima';
}

describe.each(BACKENDS)('monitoring at the utility on %s', (backend) => {
  let server: TestServer;
  let api: ReturnType<typeof staffApi>;
  let supervisor = '';
  let incident = 0;
  const ref: Record<string, string> = {};
  const out = async (name: string) => (await transcript(server, name)).filter((m) => m.direction === 'out').map((m) => m.text);
  /** A power cut reported on the web chat by `name`: every reply of the turn that gave the reference. */
  async function report(name: string, first: string, english = false): Promise<string> {
    let said = (await say(server, name, first)).map((r) => r.text).join('\n---\n');
    for (let i = 0; i < 8 && !REFERENCE.test(said); i++) said = (await say(server, name, answerTo(said.split('\n---\n').at(-1) ?? said, english))).map((r) => r.text).join('\n---\n');
    ref[name] = REFERENCE.exec(said)?.[0] ?? '';
    expect(ref[name], said).toMatch(REFERENCE);
    return said;
  }
  const statusOf = async (reference: string) => ((await api(supervisor, `/api/requests/${reference}`)).body.request as { status: string }).status;

  beforeAll(async () => {
    server = await startTestServer({ backend, env: { CHARTER: 'utility', ...ALERTS_ENV } });
    await server.app.ready;
    api = staffApi(server);
    supervisor = (await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor')).token;
    await report('alu-amina', 'umeme umekatika Sinza Mori tangu asubuhi');
  }, 300_000);
  afterAll(() => server?.close());

  it('an alert naming a place it cannot place is reported back, and opens nothing', async () => {
    const posted = await postAlerts(
      server,
      notification('firing', [
        { ...feeder, fingerprint: '00000000000000b1', labels: { ...feeder.labels, area: 'kata ya Majengo' } },
        { ...feeder, fingerprint: '00000000000000b2', labels: { ...feeder.labels, area: 'Atlantis' } },
      ]),
    );
    expect(posted.status).toBe(200);
    expect(posted.body.alerts?.[0]).toMatchObject({ outcome: 'refused', code: 'ambiguous_area', candidates: expect.arrayContaining([expect.objectContaining({ key: 'mbeya/mbeya-city/majengo' })]) });
    expect(posted.body.alerts?.[1]).toMatchObject({ outcome: 'refused', code: 'unknown_area', error: expect.stringContaining('area "Atlantis"') });
    expect((await api(supervisor, '/api/incidents?status=all')).body.incidents).toEqual([]);
  });

  it('an alert naming a service and an area opens an incident there: the reports there are linked, and each reporter told', async () => {
    const posted = await postAlerts(server, notification('firing', [feeder], 'tanesco-scada'));
    expect(posted).toMatchObject({ status: 200, body: { alerts: [{ outcome: 'incident_opened', linked: 1 }] } });
    incident = Number(posted.body.alerts?.[0]?.incident);
    const detail = (await api(supervisor, `/api/incidents/${incident}`)).body.incident as Record<string, unknown>;
    expect(detail).toMatchObject({ service: 'power_outage', area: 'dar-es-salaam/ubungo/sinza', status: 'open', source: 'alert', message: { sw: OPENED_SW, en: OPENED_EN } });
    expect(detail.requests).toEqual([ref['alu-amina']]);
    expect((await out('alu-amina')).at(-1)).toBe(`📢 Kuhusu ombi lako ${ref['alu-amina']}:\n${OPENED_SW}`);
    // Posted again: nothing new.
    expect(await postAlerts(server, notification('firing', [feeder], 'tanesco-scada'))).toMatchObject({ body: { alerts: [{ outcome: 'already_raised', incident }] } });
    expect(times(await out('alu-amina'), OPENED_SW)).toBe(1);
  });

  it('one who reports the power cut there afterwards is linked at once and told, with their own reference', async () => {
    const said = await report('alu-carol', 'There is no power in Sinza Mori since morning', true);
    expect(said).toContain('We already know of this problem in Sinza, Ubungo, Dar es Salaam');
    expect(said).toContain(OPENED_EN);
    const detail = (await api(supervisor, `/api/incidents/${incident}`)).body.incident as { requests: string[] };
    expect([...detail.requests].sort()).toEqual([ref['alu-amina'], ref['alu-carol']].sort());
  });

  it('an alert where staff have an incident open already leaves it to them, even when it clears', async () => {
    const opened = await api(supervisor, '/api/incidents', {
      body: { service: 'power_outage', area: 'Kariakoo', message: { sw: 'Mafundi wako njiani Kariakoo.', en: 'A crew is on its way to Kariakoo.' } },
    });
    expect(opened.status).toBe(201);
    const theirs = (opened.body.incident as { id: number }).id;
    const kariakoo = { ...feeder, fingerprint: '7a7a7a7a7a7a7a7a', labels: { ...feeder.labels, area: 'dar-es-salaam/ilala/kariakoo', feeder: 'IL-04' } };
    expect(await postAlerts(server, notification('firing', [kariakoo]))).toMatchObject({ body: { alerts: [{ outcome: 'incident_already_open', incident: theirs }] } });
    expect(await postAlerts(server, notification('resolved', [{ ...kariakoo, endsAt: '2026-11-23T09:00:00Z' }]))).toMatchObject({
      body: { alerts: [{ outcome: 'resolved', incident: theirs, closed: false }] },
    });
    expect((await api(supervisor, `/api/incidents/${theirs}`)).body.incident).toMatchObject({ status: 'open', source: 'staff' });
  });

  it('when the alert clears, the incident is resolved with every report in it, and each reporter told once', async () => {
    server.clock.advance(2 * 60 * 60_000);
    const cleared = await postAlerts(server, notification('resolved', [{ ...feeder, endsAt: '2026-11-23T10:05:00Z' }], 'tanesco-scada'));
    expect(cleared).toMatchObject({ status: 200, body: { alerts: [{ outcome: 'resolved', incident, closed: true, joined: 2 }] } });
    expect((await api(supervisor, `/api/incidents/${incident}`)).body.incident).toMatchObject({ status: 'resolved' });
    for (const who of ['alu-amina', 'alu-carol']) expect(await statusOf(ref[who] ?? ''), who).toBe('resolved');
    expect(times(await out('alu-amina'), FIXED_SW)).toBe(1);
    expect(times(await out('alu-carol'), FIXED_EN)).toBe(1);
    expect(await postAlerts(server, notification('resolved', [{ ...feeder, endsAt: '2026-11-23T10:05:00Z' }], 'tanesco-scada'))).toMatchObject({ body: { alerts: [{ outcome: 'already_resolved' }] } });
    expect(times(await out('alu-amina'), FIXED_SW)).toBe(1);
  });
});
