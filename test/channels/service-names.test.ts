import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharter } from '../../bot/charter/charter.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { PHONE_CHANNELS_ENV } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { say } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// One name per service (issue 15, item 6): a request's service is called by
// its charter line's name from the charter bundle on every screen — the
// form's start, the receipt, a status answer, USSD, the staff console's list,
// detail, filter and dashboard, the staff API and the report CSV.

const charter = loadCharter();
const line14 = charter.byNumber(14);
if (!line14) throw new Error('the charter has no line 14');
const { sw, en } = line14.name;
/** HTML escaping leaves these names as they are: no &, <, > or quotes in them. */
const plain = (s: string) => expect(s).not.toMatch(/[&<>"']/);

describe.each(BACKENDS)('one name per service on %s', (backend) => {
  let server: TestServer;
  let reference = '';
  const told: string[] = [];
  let supervisor = '';
  let englishAgent = '';

  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
    supervisor = (await addStaffToken(server.databaseEnv, 'Asha Mushi', 'supervisor', { locale: 'sw' })).token;
    englishAgent = (await addStaffToken(server.databaseEnv, 'John Mrema', 'agent', { locale: 'en' })).token;
    // Line 14, chosen from the list of services: equipment under a maintenance contract.
    const session = 'names-1';
    for (const text of ['huduma zenu ni zipi?', '14', 'kompyuta ya mezani', 'PC-0042', 'Haiwaki kabisa tangu jana asubuhi', 'Masjala, jengo B', '0754 010 020', 'ndiyo', 'hali ya ombi langu']) {
      told.push((await say(server, session, text)).map((r) => r.text).join('\n'));
    }
    reference = /ICT-\d{4}-\d{6}/.exec(told.join('\n'))?.[0] ?? '';
  });
  afterAll(() => server?.close());

  const api = async (path: string, token: string) => server.app.http.request(path, { headers: { Authorization: `Bearer ${token}` } });
  async function consolePage(path: string, token: string): Promise<string> {
    const login = await server.app.http.request('/staff/login', { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await server.app.http.request(path, { headers: { cookie } });
    expect(res.status, path).toBe(200);
    return res.text();
  }

  it('the chat: the form starts, the receipt and the status answer all say the line name', () => {
    plain(sw);
    expect(reference).toMatch(/^ICT-2026-\d{6}$/);
    expect(told[1]).toContain(`Sawa, nitakusaidia kuhusu: ${sw}.`);
    expect(told[7]).toContain(`Huduma: ${sw}.`);
    expect(told[8]).toContain(`${reference} — ${sw}:`);
  });

  it('USSD: the status screen says the same name', async () => {
    const body = new URLSearchParams({ sessionId: 'names-ussd', serviceCode: '*152*00#', phoneNumber: '+255712000001', networkCode: '64002', text: `2*${reference}` });
    const screen = await (await server.app.http.request('/ussd', { method: 'POST', body })).text();
    expect(screen).toContain(`${reference} (${sw})`);
  });

  it('the staff console: list, request page, service filter and dashboard', async () => {
    const list = await consolePage('/staff', supervisor);
    expect(list).toContain(`<td>${sw}</td>`);
    // The filter names a service before its line is known: the bundle's name for a service with several lines.
    expect(list).toContain(`>${charter.serviceName('equipment_repair', 'sw')}</option>`);
    expect(list).toContain(`>${charter.byNumber(2)?.name.sw}</option>`);
    expect(await consolePage(`/staff/requests/${reference}`, supervisor)).toContain(sw);
    expect(await consolePage('/staff/dashboard?month=2026-11', supervisor)).toContain(sw);
    expect(await consolePage(`/staff/requests/${reference}`, englishAgent)).toContain(en);
  });

  it('the staff API and the report CSV, in the officer’s language', async () => {
    const one = (await (await api(`/api/requests/${reference}`, supervisor)).json()) as { request: { serviceName: string; service: string } };
    expect(one.request).toMatchObject({ service: 'equipment_repair', serviceName: sw });
    const listed = (await (await api('/api/requests', englishAgent)).json()) as { requests: { reference: string; serviceName: string }[] };
    expect(listed.requests.find((r) => r.reference === reference)?.serviceName).toBe(en);
    const csv = await (await api('/api/reports/requests.csv?from=2026-11-01&to=2026-11-30', supervisor)).text();
    expect(csv).toContain(sw);
  });
});
