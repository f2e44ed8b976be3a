import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRequest } from '../../bot/engine/filing.ts';
import { joinedText } from '../../bot/incidents/words.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { fileByUssd, PHONE_CHANNELS_ENV, queuedTo } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { transcript } from '../support/flows.ts';
import { placeReport, reportByTelegram, reportByWebchat, SERVICE, SINZA, staffApi, times, webchatConversation } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// One fault, many reporters (issue 16): staff open an incident for a service
// in an area over the API; every open report there is linked and its reporter
// told on their own channel, in their language; a report filed later joins at
// once; each update and the resolution are heard exactly once, across a restart.

const OPENING = { sw: 'Tunafahamu kuna hitilafu ya mtandao Sinza; mafundi wako njiani.', en: 'We know the network is down in Sinza; our engineers are on the way.' };
const NEWS = { sw: 'Mafundi wamefika; huduma itarudi kabla ya saa nane mchana.', en: 'The engineers are on site; service will be back before 2 pm.' };
const DONE = { sw: 'Mtandao umerudi Sinza. Asanteni kwa uvumilivu.', en: 'The network is back in Sinza. Thank you for your patience.' };
const PHONE = '+255712000301';

describe.each(BACKENDS)('incidents on %s', (backend) => {
  let server: TestServer;
  let api: ReturnType<typeof staffApi>;
  let supervisor = '';
  let agent = '';
  let id = 0;
  /** References by reporter. */
  const ref: Record<string, string> = {};
  const transcriptTexts = async (name: string) => (await transcript(server, name)).filter((m) => m.direction === 'out').map((m) => m.text);

  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
    api = staffApi(server);
    supervisor = (await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Juma Ali', 'agent')).token;
    ref.asha = await reportByWebchat(server, 'inc-asha', 'sw');
    ref.baraka = await reportByWebchat(server, 'inc-baraka', 'en');
    ref.chausiku = await reportByWebchat(server, 'inc-chausiku', 'en');
    ref.tg = await reportByTelegram(server, '7301');
    ref.ussd = await fileByUssd(server, 'inc-ussd-1', PHONE, 'Barua pepe haifanyi kazi Sinza');
    // Elsewhere, or another service: not this incident's.
    ref.mbezi = await reportByWebchat(server, 'inc-mbezi', 'en');
    for (const [who, area] of [
      ['asha', `${SINZA}/sinza-mori`],
      ['baraka', SINZA],
      ['chausiku', `${SINZA}/sinza-kijiweni`],
      ['tg', `${SINZA}/sinza-mori`],
      ['ussd', SINZA],
      ['mbezi', 'dar-es-salaam/kinondoni/mbezi-juu'],
    ] as const)
      await placeReport(server, ref[who] ?? '', area);
  }, 120_000);
  afterAll(() => server?.close());

  it('refuses bad input with a 4xx JSON {error, code}, and agents with 403', async () => {
    const good = { service: SERVICE, area: SINZA, message: OPENING };
    expect((await api('', '/api/incidents', { body: good })).status).toBe(401);
    expect(await api(agent, '/api/incidents', { body: good })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await api(supervisor, '/api/incidents', { body: '{"service":' })).toMatchObject({ status: 400, body: { code: 'not_json' } });
    const noEnglish = await api(supervisor, '/api/incidents', { body: { ...good, message: { sw: OPENING.sw } } });
    expect(noEnglish).toMatchObject({ status: 400, body: { code: 'bad_input', error: expect.stringContaining('message.en') } });
    expect(await api(supervisor, '/api/incidents', { body: { ...good, extra: 1 } })).toMatchObject({ status: 400, body: { code: 'bad_input' } });
    expect(await api(supervisor, '/api/incidents', { body: { ...good, service: 'water_bill' } })).toMatchObject({ status: 400, body: { code: 'unknown_service' } });
    expect(await api(supervisor, '/api/incidents', { body: { ...good, service: 'complaint' } })).toMatchObject({ status: 400, body: { code: 'unknown_service' } });
    expect(await api(supervisor, '/api/incidents', { body: { ...good, area: 'Sinza/Mori!' } })).toMatchObject({ status: 400, body: { code: 'unknown_area' } });
    // A key the places data does not have is refused, not guessed at (Sinza is in Ubungo).
    expect(await api(supervisor, '/api/incidents', { body: { ...good, area: 'dar-es-salaam/kinondoni/sinza' } })).toMatchObject({ status: 400, body: { code: 'unknown_area' } });
    const majengo = await api(supervisor, '/api/incidents', { body: { ...good, area: 'kata ya Majengo' } });
    expect(majengo).toMatchObject({
      status: 400,
      body: { code: 'ambiguous_area', candidates: expect.arrayContaining([{ key: 'mbeya/mbeya-city/majengo', label: expect.stringContaining('Majengo') }]) },
    });
    expect(await api(supervisor, '/api/incidents/abc')).toMatchObject({ status: 400, body: { code: 'bad_id' } });
    expect(await api(supervisor, '/api/incidents/99999')).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await api(supervisor, '/api/incidents/99999/resolve', { body: { message: DONE } })).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await api(supervisor, '/api/incidents?status=lost')).toMatchObject({ status: 400, body: { code: 'bad_input' } });
    // Nothing was half-written.
    expect((await api(supervisor, '/api/incidents?status=all')).body.incidents).toEqual([]);
  });

  it('opens an incident: the open reports in its area are linked, each reporter told once on their channel, in their language', async () => {
    // The area by its name, as staff type it: the places data gives its key.
    const opened = await api(supervisor, '/api/incidents', { body: { service: SERVICE, area: 'Sinza', message: OPENING } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      incident: { service: SERVICE, area: SINZA, areaLabel: 'Sinza, Ubungo, Dar es Salaam', status: 'open', source: 'staff', message: OPENING },
      linked: 5,
      told: 5,
    });
    id = (opened.body.incident as { id: number }).id;
    expect(times(await transcriptTexts('inc-asha'), OPENING.sw)).toBe(1);
    expect((await transcriptTexts('inc-asha')).at(-1)).toContain(`Kuhusu ombi lako ${ref.asha}`);
    for (const who of ['baraka', 'chausiku'] as const) expect((await transcriptTexts(`inc-${who}`)).at(-1)).toBe(`📢 About your request ${ref[who]}:\n${OPENING.en}`);
    expect(times(await queuedTo(server, 'telegram', '7301'), `About your request ${ref.tg}:\n${OPENING.en}`)).toBe(1);
    // A USSD user hears by SMS, in the SMS wording (no emoji).
    expect(times(await queuedTo(server, 'sms', PHONE), `Ombi ${ref.ussd}: ${OPENING.sw}`)).toBe(1);
    expect(times(await transcriptTexts('inc-mbezi'), OPENING.en)).toBe(0);
    const again = await api(supervisor, '/api/incidents', { body: { service: SERVICE, area: SINZA, message: OPENING } });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_open', incident: { id } } });
  });

  it('a report filed there later joins at once: its own reference, and the incident news with its receipt', async () => {
    const { personId, id: conversationId } = await webchatConversation(server, 'inc-mbezi');
    const { app, clock } = server;
    const filed = await app.store.transaction((tx) =>
      fileRequest(
        tx,
        { charter: app.charter, calendar: app.calendar, referencePrefix: 'ICT' },
        { personId, conversationId, service: SERVICE, details: { description: 'no e-mail at the Sinza office' }, area: `${SINZA}/sinza-mori`, now: clock.now() },
      ),
    );
    ref.late = filed.request.reference;
    expect(filed.request).toMatchObject({ incidentId: id, area: `${SINZA}/sinza-mori` });
    expect(filed.incident).toEqual({ id, areaLabel: 'Sinza, Ubungo, Dar es Salaam', message: OPENING });
    expect(joinedText('en', filed.incident ?? { areaLabel: '', message: OPENING })).toBe(
      `ℹ️ We already know of this problem in Sinza, Ubungo, Dar es Salaam, and your request has been joined to it: you will hear each piece of news. The latest:\n${OPENING.en}`,
    );
    const detail = await api(agent, `/api/incidents/${id}`);
    expect(detail.status).toBe(200);
    const { requests: references, reports: requests } = detail.body.incident as { requests: string[]; reports: { reference: string; status: string; channel: string; linkedAt: string }[] };
    // The contract's list of references, and each report's details beside it.
    expect([...references].sort()).toEqual([ref.asha, ref.baraka, ref.chausiku, ref.tg, ref.ussd, ref.late].sort());
    expect(requests.map((r) => r.reference).sort()).toEqual([...references].sort());
    expect(requests.find((r) => r.reference === ref.tg)).toMatchObject({ status: 'received', channel: 'telegram', linkedAt: clock.now().toISOString() });
    expect(requests.find((r) => r.reference === ref.ussd)).toMatchObject({ channel: 'sms' });
  });

  it('a report given its area after filing (or filed the very moment the incident opened) joins at the next sweep, and hears the news once', async () => {
    ref.dora = await reportByWebchat(server, 'inc-dora', 'en');
    await placeReport(server, ref.dora, `${SINZA}/sinza-kijiweni`);
    expect(await server.app.proposals.sweep()).toEqual([]);
    expect((await transcriptTexts('inc-dora')).at(-1)).toBe(`📢 About your request ${ref.dora}:\n${OPENING.en}`);
    await server.app.proposals.sweep();
    expect(times(await transcriptTexts('inc-dora'), OPENING.en)).toBe(1);
  });

  it('an update reaches every reporter once, the one who joined late too', async () => {
    server.clock.advance(20 * 60_000);
    const posted = await api(supervisor, `/api/incidents/${id}/updates`, { body: { message: NEWS } });
    expect(posted).toMatchObject({ status: 201, body: { told: 7 } });
    expect((await transcriptTexts('inc-asha')).at(-1)).toBe(`🔄 Taarifa mpya kuhusu ombi lako ${ref.asha}:\n${NEWS.sw}`);
    expect(times(await transcriptTexts('inc-baraka'), NEWS.en)).toBe(1);
    expect(times(await transcriptTexts('inc-mbezi'), `News about your request ${ref.late}:\n${NEWS.en}`)).toBe(1);
    expect(times(await queuedTo(server, 'telegram', '7301'), NEWS.en)).toBe(1);
    expect(times(await queuedTo(server, 'sms', PHONE), `Ombi ${ref.ussd}, taarifa mpya: ${NEWS.sw}`)).toBe(1);
    const listed = await api(agent, '/api/incidents');
    expect(listed.body.incidents).toEqual([expect.objectContaining({ id, status: 'open', requests: 7, openRequests: 7 })]);
  });

  it('resolving resolves every linked report and tells each reporter exactly once; a second resolve, even after a restart, is refused and sends nothing', async () => {
    server.clock.advance(60 * 60_000);
    const resolved = await api(supervisor, `/api/incidents/${id}/resolve`, { body: { message: DONE } });
    expect(resolved).toMatchObject({ status: 200, body: { incident: { id, status: 'resolved' }, resolved: 7, told: 7 } });
    const request = await api(agent, `/api/requests/${ref.tg}`);
    expect(request.body.request).toMatchObject({ status: 'resolved', area: `${SINZA}/sinza-mori`, incidentId: id });
    expect((request.body.events as { kind: string; actor: string; data: unknown }[]).find((e) => e.kind === 'status')).toMatchObject({
      actor: expect.stringMatching(/^staff:\d+ Neema Kisanga$/),
      data: { status: 'resolved', incident: id },
    });
    expect((await transcriptTexts('inc-chausiku')).at(-1)).toMatch(new RegExp(`^✅ Your request ${ref.chausiku} has been dealt with:\n${DONE.en}\n\nIf you still have the problem`));

    const { databaseEnv, clock } = server;
    await server.close();
    server = await startTestServer({ databaseEnv, now: clock.now().toISOString(), env: PHONE_CHANNELS_ENV });
    api = staffApi(server);
    expect(await api(supervisor, `/api/incidents/${id}/resolve`, { body: { message: DONE } })).toMatchObject({ status: 409, body: { code: 'incident_resolved' } });
    expect(await api(supervisor, `/api/incidents/${id}/updates`, { body: { message: NEWS } })).toMatchObject({ status: 409, body: { code: 'incident_resolved' } });
    for (const who of ['asha', 'baraka', 'chausiku', 'dora', 'mbezi'] as const) {
      const texts = await transcriptTexts(`inc-${who}`);
      expect(times(texts, who === 'asha' ? DONE.sw : DONE.en), who).toBe(1);
      expect(times(texts, who === 'asha' ? OPENING.sw : OPENING.en), who).toBe(who === 'mbezi' ? 0 : 1);
    }
    expect(times(await queuedTo(server, 'telegram', '7301'), DONE.en)).toBe(1);
    expect(times(await queuedTo(server, 'sms', PHONE), `Ombi ${ref.ussd} limeshughulikiwa: ${DONE.sw}`)).toBe(1);
    expect((await api(agent, '/api/incidents')).body.incidents).toEqual([]);
    expect((await api(agent, '/api/incidents?status=resolved')).body.incidents).toEqual([expect.objectContaining({ id, requests: 7, openRequests: 0 })]);
    const rows = await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.incidentId, id)));
    expect(rows.every((r) => r.status === 'resolved' && r.resolvedAt?.getTime() === clock.now().getTime() && r.slaNextAt === null)).toBe(true);
  }, 60_000);
});
