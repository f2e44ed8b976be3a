import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { queuedTo } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { transcript } from '../support/flows.ts';
import { placeReport, reportByWebchat, SERVICE, SINZA, staffApi, times } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// Huduma proposes an incident when N reports of one service in one area (a
// ward, or a district where reports name no ward) arrive within T minutes
// (INCIDENT_PROPOSE_REPORTS, INCIDENT_PROPOSE_MINUTES), tells the staff chat,
// and staff confirm it (its reporters are then told) or dismiss it.

const STAFF_GROUP = '-1005550001';
const ENV = {
  INCIDENT_PROPOSE_REPORTS: '3',
  INCIDENT_PROPOSE_MINUTES: '30',
  TELEGRAM_BOT_TOKEN: '123456:incidents-test',
  TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  TELEGRAM_STAFF_CHAT_ID: STAFF_GROUP,
};
const MESSAGE = { sw: 'Tunafahamu hitilafu ya mtandao eneo lenu; tunaishughulikia.', en: 'We know of the network fault in your area and are working on it.' };

describe.each(BACKENDS)('incident proposals on %s', (backend) => {
  let server: TestServer;
  let api: ReturnType<typeof staffApi>;
  let supervisor = '';
  let agent = '';
  let n = 0;
  /** A report of the service in `area`, by a new web chat person; their name. */
  const report = async (area: string) => {
    const name = `prop-${backend}-${++n}`;
    await placeReport(server, await reportByWebchat(server, name, 'en'), area);
    return name;
  };
  const sweep = () => server.app.proposals.sweep();
  const staffAlerts = () => queuedTo(server, 'telegram', STAFF_GROUP);

  beforeAll(async () => {
    server = await startTestServer({ backend, env: ENV });
    api = staffApi(server);
    supervisor = (await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Juma Ali', 'agent')).token;
  });
  afterAll(() => server?.close());

  let first = 0;
  const early: string[] = [];

  it('proposes one incident when the third report of a ward comes within 30 minutes, and tells the staff chat once', async () => {
    early.push(await report(`${SINZA}/sinza-mori`), await report(SINZA));
    await report('dar-es-salaam/kinondoni/mbezi-juu');
    expect(await sweep()).toEqual([]);
    server.clock.advance(31 * 60_000);
    // The first two are older than 30 minutes now: with this one, two in the window.
    early.push(await report(`${SINZA}/sinza-kijiweni`));
    expect(await sweep()).toEqual([]);
    server.clock.advance(5 * 60_000);
    early.push(await report(SINZA), await report(`${SINZA}/sinza-mori`));
    const proposed = await sweep();
    expect(proposed).toEqual([expect.objectContaining({ service: SERVICE, area: SINZA, status: 'proposed', source: 'proposal', message: null })]);
    first = proposed[0]?.id ?? 0;
    expect(await sweep()).toEqual([]);
    const alerts = await staffAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(new RegExp(`^⚠️ Pendekezo la tukio #${first}: ripoti 3 za "Urekebishaji wa mtandao au barua pepe" kutoka Sinza, Ubungo, Dar es Salaam ndani ya dakika 30\\.`));
    expect(alerts[0]).toContain(`POST /api/incidents/${first}/confirm`);
    // Nobody is told anything of a proposal.
    for (const name of early)
      expect(
        times(
          (await transcript(server, name)).map((m) => m.text),
          'About your request',
        ),
      ).toBe(0);
    const listed = await api(agent, '/api/incidents');
    expect(listed.body.incidents).toEqual([expect.objectContaining({ id: first, status: 'proposed', requests: 0 })]);
    const detail = (await api(agent, `/api/incidents/${first}`)).body.incident as { candidates: unknown[]; requests: unknown[] };
    expect(detail.requests).toEqual([]);
    expect(detail.candidates).toHaveLength(5);
  });

  it('a dismissed proposal is not proposed again from the same reports; new reports after it make a new one', async () => {
    expect(await api(agent, `/api/incidents/${first}/dismiss`, { method: 'POST' })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await api(supervisor, `/api/incidents/${first}/dismiss`, { method: 'POST' })).toMatchObject({ status: 200, body: { incident: { id: first, status: 'dismissed' } } });
    expect(await api(supervisor, `/api/incidents/${first}/dismiss`, { method: 'POST' })).toMatchObject({ status: 409, body: { code: 'incident_dismissed' } });
    expect(await sweep()).toEqual([]);
    server.clock.advance(60_000);
    await report(SINZA);
    await report(`${SINZA}/sinza-mori`);
    expect(await sweep()).toEqual([]);
    await report(`${SINZA}/sinza-kijiweni`);
    const again = await sweep();
    expect(again).toEqual([expect.objectContaining({ area: SINZA, status: 'proposed' })]);
    expect(again[0]?.id).not.toBe(first);
    expect(await staffAlerts()).toHaveLength(2);
  });

  it('confirming links every open report of the ward and tells each reporter; confirming twice is refused', async () => {
    const [{ id } = { id: 0 }] = (await api(agent, '/api/incidents?status=proposed')).body.incidents as { id: number }[];
    expect(await api(supervisor, `/api/incidents/${id}/confirm`, { body: {} })).toMatchObject({ status: 400, body: { code: 'bad_input' } });
    const confirmed = await api(supervisor, `/api/incidents/${id}/confirm`, { body: { message: MESSAGE } });
    // The five before the dismissal and the three after: every open report of the ward.
    expect(confirmed).toMatchObject({ status: 200, body: { incident: { id, status: 'open', message: MESSAGE }, linked: 8, told: 8 } });
    for (const name of early)
      expect(
        times(
          (await transcript(server, name)).map((m) => m.text),
          MESSAGE.en,
        ),
      ).toBe(1);
    expect(await api(supervisor, `/api/incidents/${id}/confirm`, { body: { message: MESSAGE } })).toMatchObject({ status: 409, body: { code: 'incident_open' } });
  });

  it('a district where reports name no ward is proposed as the district; a region alone never is; staff opening a proposed one confirm it', async () => {
    for (let i = 0; i < 3; i++) await report('pwani');
    expect(await sweep()).toEqual([]);
    for (let i = 0; i < 3; i++) await report('pwani/kibaha-town');
    const [kibaha] = await sweep();
    expect(kibaha).toMatchObject({ area: 'pwani/kibaha-town', status: 'proposed' });
    const opened = await api(supervisor, '/api/incidents', { body: { service: SERVICE, area: 'pwani/kibaha-town', message: MESSAGE } });
    expect(opened).toMatchObject({ status: 201, body: { incident: { id: kibaha?.id, status: 'open' }, confirmedProposal: true, linked: 3, told: 3 } });
  });
});
