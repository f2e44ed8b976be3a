import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { eventsOf, SINZA, sendAll, telegramSays, ussdSession, UTILITY_REFERENCE, webPerson } from '../support/announcements.ts';
import { staffApi as api, times } from '../support/incidents.ts';
import { PHONE_CHANNELS_ENV, queuedTo, smsIn } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// Planned outages at the electricity utility (issue 16, item 5): people join
// an area's notices from the web chat, Telegram and USSD (and leave them);
// staff publish a notice over the API; each subscriber of an area that
// overlaps it hears it once a day before it starts and once when it ends, on
// their own channel and in their language, also across a restart; a report
// of a power cut there during its hours is answered with it; calling it off
// tells those already told, once.

// Two reports of one fault in one ward make Huduma propose an incident, unless a planned outage explains them.
const ENV = { ...PHONE_CHANNELS_ENV, CHARTER: 'utility', INCIDENT_PROPOSE_REPORTS: '2' };
const REASON = { sw: 'Matengenezo ya njia kuu ya umeme.', en: 'Maintenance of the main power line.' };
// The clock starts on Monday 23 November 2026 at 11:00 in Dar es Salaam; the outage is on Wednesday from 07:00 to 17:00.
const NOTICE = { area: 'Sinza', date: '2026-11-25', from: '07:00', to: '17:00', reason: REASON };
const TELL_AT = '2026-11-24T04:00:00Z';
const STARTS = '2026-11-25T04:00:00Z';
const ENDS = '2026-11-25T14:00:00Z';
const SW_HEAD = 'TAARIFA YA KATIZO LA UMEME';
const EN_HEAD = 'PLANNED POWER INTERRUPTION';
const SW_HOURS = 'kuanzia saa moja asubuhi hadi saa kumi na moja jioni';
const USSD_IN = '+255712000401';
const USSD_OUT = '+255712000402';

describe.each(BACKENDS)('planned outages on %s', (backend) => {
  let server: TestServer;
  let call: ReturnType<typeof api>;
  let supervisor = '';
  let agent = '';
  let people: Record<'asha' | 'baraka' | 'chausiku' | 'dora' | 'eve', Awaited<ReturnType<typeof webPerson>>>;
  let id = 0;

  beforeAll(async () => {
    server = await startTestServer({ backend, env: ENV });
    call = api(server);
    supervisor = (await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor')).token;
    agent = (await addStaffToken(server.databaseEnv, 'Juma Ali', 'agent')).token;
    people = {
      asha: await webPerson(() => server),
      baraka: await webPerson(() => server),
      chausiku: await webPerson(() => server),
      dora: await webPerson(() => server),
      eve: await webPerson(() => server),
    };
  }, 60_000);
  afterAll(() => server?.close());

  it('people join an area on the web chat, Telegram and USSD, told so and how to stop; others leave', async () => {
    const { asha, baraka, chausiku, dora, eve } = people;
    const joined = await asha.say('nijulishe kuhusu katizo la umeme Sinza');
    expect(joined).toContain('Sinza, Ubungo, Dar es Salaam');
    expect(joined).toContain('acha taarifa');
    expect(joined).not.toMatch(UTILITY_REFERENCE);
    expect(await asha.say('nijulishe kuhusu katizo la umeme Sinza')).toContain('Tayari umejiunga');
    // No area: asked which; a street of Sinza is within it.
    expect(await baraka.say('notify me of power cuts please')).toContain('Which area');
    expect(await baraka.say('Sinza Mori')).toMatch(/Sinza Mori.*stop notices/s);
    // A name several places share: asked which, with the places to choose from.
    const which = await chausiku.say('notify me of power cuts in Majengo');
    expect(which).toContain('Several places have that name');
    expect(await chausiku.say('Kimara')).toContain('Kimara, Ubungo');
    expect(await dora.say('nipe taarifa za mgao Sinza')).toContain('Sinza');
    expect(await dora.say('acha taarifa')).toContain('hutapokea tena');
    expect(await dora.say('acha taarifa')).toContain('Hujajiunga');
    // The district around Sinza: its subscriber hears of Sinza too.
    expect(await eve.say('nijulishe kuhusu katizo la umeme Ubungo')).toContain('Ubungo');
    expect(await telegramSays(server, '8301', 'notify me of power cuts in Sinza')).toContain('Sinza, Ubungo');
    // One who has their data erased (PDPA 2022) follows no area any more.
    const fatuma = await webPerson(() => server);
    expect(await fatuma.say('nijulishe kuhusu katizo la umeme Sinza')).toContain('Sinza');
    // What is held about her (the right to know) counts the area she follows.
    expect(await fatuma.say('nipe taarifa zangu')).toContain('• Maeneo uliyojiunga kupokea taarifa zake za katizo lililopangwa: 1.');
    expect(await fatuma.say('futa taarifa zangu')).toContain('una uhakika');
    expect(await fatuma.say('ndiyo')).toContain('zimefutwa');

    // A first session's main menu carries the privacy notice, so its entries go over two screens ("0 Zaidi").
    const root = await ussdSession(server, 'ann-ussd-1', USSD_IN, ['0']);
    expect(root[0]).toMatch(/^CON Karibu!.*\n0 Zaidi$/s);
    expect(root[1]).toMatch(/\n7\. Taarifa za katizo\n00 Rudi$/);
    const menuNumber = '7';
    const screens = await ussdSession(server, 'ann-ussd-2', USSD_IN, [menuNumber, '1', 'Sinza']);
    expect(screens[1]).toMatch(/^CON Taarifa za katizo la umeme kwa SMS:\n1\. Jiunge/);
    expect(screens[2]).toContain('Andika eneo lako');
    expect(screens[3]).toMatch(/^END Umejiunga! .*Sinza, Ubungo/s);
    expect(times(await queuedTo(server, 'sms', USSD_IN), 'Umejiunga na taarifa za katizo la umeme za Sinza')).toBe(1);
    // The gateway posting the last step again changes nothing and sends nothing more.
    await ussdSession(server, 'ann-ussd-2', USSD_IN, [menuNumber, '1', 'Sinza']);
    expect(times(await queuedTo(server, 'sms', USSD_IN), 'Umejiunga')).toBe(1);
    await ussdSession(server, 'ann-ussd-3', USSD_OUT, [menuNumber, '1', 'Sinza']);
    const stopped = await ussdSession(server, 'ann-ussd-4', USSD_OUT, [menuNumber, '2']);
    expect(stopped.at(-1)).toMatch(/^END Sawa, hutapokea tena/);
    // By SMS, as the notices say: "tuma ACHA TAARIFA".
    await smsIn(server, USSD_OUT, 'nijulishe kuhusu katizo la umeme Sinza');
    expect((await queuedTo(server, 'sms', USSD_OUT)).at(-1)).toMatch(/^Umejiunga na taarifa za katizo la umeme za Sinza.*Kuacha, tuma: ACHA TAARIFA$/s);
    await smsIn(server, USSD_OUT, 'ACHA TAARIFA');
    expect((await queuedTo(server, 'sms', USSD_OUT)).at(-1)).toContain('hutapokea tena taarifa za katizo la umeme');
  }, 60_000);

  it('refuses bad input with a 4xx JSON {error, code}, and agents with 403', async () => {
    const path = '/api/announcements';
    expect((await call('', path, { body: NOTICE })).status).toBe(401);
    expect(await call(agent, path, { body: NOTICE })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await call(supervisor, path, { body: '{"area":' })).toMatchObject({ status: 400, body: { code: 'not_json' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, reason: { sw: REASON.sw } } })).toMatchObject({ status: 400, body: { code: 'bad_input', error: expect.stringContaining('reason.en') } });
    expect(await call(supervisor, path, { body: { ...NOTICE, extra: 1 } })).toMatchObject({ status: 400, body: { code: 'bad_input' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, date: '25/11/2026' } })).toMatchObject({ status: 400, body: { code: 'bad_input', error: expect.stringContaining('date') } });
    expect(await call(supervisor, path, { body: { ...NOTICE, from: '7am' } })).toMatchObject({ status: 400, body: { code: 'bad_input', error: expect.stringContaining('from') } });
    expect(await call(supervisor, path, { body: { ...NOTICE, date: '2026-02-30' } })).toMatchObject({ status: 400, body: { code: 'bad_date' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, from: '17:00', to: '07:00' } })).toMatchObject({
      status: 400,
      body: { code: 'bad_times', error: expect.stringContaining('"nextDay": true') },
    });
    expect(await call(supervisor, path, { body: { ...NOTICE, from: '07:00', to: '17:00', nextDay: true } })).toMatchObject({ status: 400, body: { code: 'bad_times' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, nextDay: 'yes' } })).toMatchObject({ status: 400, body: { code: 'bad_input', error: expect.stringContaining('nextDay') } });
    expect(await call(supervisor, path, { body: { ...NOTICE, date: '2026-11-22' } })).toMatchObject({ status: 400, body: { code: 'in_the_past' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, date: '2028-01-10' } })).toMatchObject({ status: 400, body: { code: 'too_far' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, area: 'Atlantis' } })).toMatchObject({ status: 400, body: { code: 'unknown_area' } });
    expect(await call(supervisor, path, { body: { ...NOTICE, area: 'kata ya Majengo' } })).toMatchObject({
      status: 400,
      body: { code: 'ambiguous_area', candidates: expect.arrayContaining([{ key: 'mbeya/mbeya-city/majengo', label: expect.stringContaining('Majengo') }]) },
    });
    expect(await call(supervisor, `${path}/abc`)).toMatchObject({ status: 400, body: { code: 'bad_id' } });
    expect(await call(supervisor, `${path}/99999`)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await call(supervisor, `${path}/99999/cancel`, { method: 'POST' })).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await call(supervisor, `${path}?status=lost`)).toMatchObject({ status: 400, body: { code: 'bad_input' } });
    // Nothing was half-written.
    expect((await call(agent, `${path}?status=all`)).body.announcements).toEqual([]);
  });

  it('takes the contract’s shape too: the start and end as instants, and an optional service', async () => {
    const body = { area: 'Kimara', service: 'power_outage', startsAt: '2026-11-27T09:00:00+03:00', endsAt: '2026-11-27T13:30:00+03:00', reason: REASON };
    const published = await call(supervisor, '/api/announcements', { body });
    expect(published.status).toBe(201);
    expect(published.body.announcement).toMatchObject({ date: '2026-11-27', from: '09:00', to: '13:30', startsAt: '2026-11-27T06:00:00.000Z', endsAt: '2026-11-27T10:30:00.000Z' });
    // Past midnight: one notice, its end on the next day.
    const overnight = await call(supervisor, '/api/announcements', { body: { ...body, startsAt: '2026-11-27T22:00:00+03:00', endsAt: '2026-11-28T02:00:00+03:00' } });
    expect(overnight.status).toBe(201);
    expect(overnight.body.announcement).toMatchObject({ date: '2026-11-27', from: '22:00', to: '02:00', startsAt: '2026-11-27T19:00:00.000Z', endsAt: '2026-11-27T23:00:00.000Z' });
    expect((overnight.body.announcement as { text: { en: string } }).text.en).toContain('Time: from 10:00 pm to 2:00 am on Saturday, 28 November 2026\n');
    for (const endsAt of ['2026-11-27T08:00:00+03:00', '2026-11-28T09:00:00+03:00']) {
      // Before it starts, or a day or more after.
      expect(await call(supervisor, '/api/announcements', { body: { ...body, endsAt } })).toMatchObject({ status: 400, body: { code: 'bad_times' } });
    }
    const unknown = await call(supervisor, '/api/announcements', { body: { ...body, service: 'water_supply' } });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'unknown_service' } });
    for (const made of [published, overnight]) {
      const cancelled = await call(supervisor, `/api/announcements/${(made.body.announcement as { id: number }).id}/cancel`, { body: {} });
      expect(cancelled.status).toBe(200);
    }
  });

  it('publishes a notice: its area resolved, its hours in words, and nobody told before a day ahead', async () => {
    const published = await call(supervisor, '/api/announcements', { body: NOTICE });
    expect(published.status).toBe(201);
    expect(published.body.announcement).toMatchObject({
      area: SINZA,
      areaLabel: 'Sinza, Ubungo, Dar es Salaam',
      date: '2026-11-25',
      from: '07:00',
      to: '17:00',
      status: 'published',
      phase: 'upcoming',
      startsAt: new Date(STARTS).toISOString(),
      endsAt: new Date(ENDS).toISOString(),
      tellAt: new Date(TELL_AT).toISOString(),
      subscribers: 5,
      told: { before: 0, ended: 0, cancelled: 0 },
    });
    const text = (published.body.announcement as { text: { sw: string; en: string } }).text;
    expect(text.sw).toContain(SW_HEAD);
    expect(text.sw).toContain('Jumatano tarehe 25 Novemba 2026');
    expect(text.sw).toContain(SW_HOURS);
    expect(text.sw).toContain('usiguse nyaya');
    expect(text.en).toContain('from 7:00 am to 5:00 pm');
    id = (published.body.announcement as { id: number }).id;
    // A planned-outage question is answered from the published notices of the area it names.
    const asking = await webPerson(() => server);
    const answer = await asking.say('umeme utakatika lini Sinza?');
    expect(answer).toContain('Katizo la umeme lililotangazwa katika eneo la Sinza, Ubungo');
    expect(answer).toContain(SW_HOURS);
    expect(answer).toContain('nijulishe kuhusu katizo la umeme Sinza');
    expect(answer).not.toMatch(UTILITY_REFERENCE);
    expect(await asking.say('kuna mgao wa umeme Kimara wiki hii?')).toContain('hakuna katizo la umeme lililotangazwa katika eneo la Kimara');
    expect(await sendAll(server)).toBe(0);
    expect(times(await people.asha.heard(), SW_HEAD)).toBe(0);
    expect((await call(agent, '/api/announcements')).body.announcements).toEqual([expect.objectContaining({ id, phase: 'upcoming' })]);
  });

  it('a day before it starts, every subscriber of an overlapping area hears it once, on their channel, in their language; across a restart nothing twice', async () => {
    server.clock.set(TELL_AT);
    expect(await sendAll(server)).toBe(5);
    const { asha, baraka, chausiku, dora, eve } = people;
    expect((await asha.heard()).at(-1)).toMatch(
      new RegExp(
        `^⚡ ${SW_HEAD}\\n.*Eneo: Sinza, Ubungo, Dar es Salaam\\nSiku: Jumatano tarehe 25 Novemba 2026\\nMuda: ${SW_HOURS}\\nSababu: Matengenezo ya njia kuu ya umeme\\.\\n.*usiguse nyaya.*\\nKuacha kupokea taarifa hizi, andika "acha taarifa"\\.$`,
        's',
      ),
    );
    expect(times(await baraka.heard(), EN_HEAD)).toBe(1);
    expect(times(await eve.heard(), SW_HEAD)).toBe(1);
    expect(times(await chausiku.heard(), EN_HEAD)).toBe(0);
    expect(times(await dora.heard(), SW_HEAD)).toBe(0);
    expect(times(await queuedTo(server, 'telegram', '8301'), EN_HEAD)).toBe(1);
    // A USSD subscriber hears by SMS, in the SMS wording (no emoji), with how to stop by SMS.
    const sms = (await queuedTo(server, 'sms', USSD_IN)).filter((t) => t.includes(SW_HEAD));
    expect(sms).toEqual([expect.stringMatching(/^TAARIFA YA KATIZO LA UMEME: Sinza, Ubungo, Dar es Salaam, Jumatano tarehe 25 Novemba 2026, .* Kuacha, tuma: ACHA TAARIFA$/)]);
    expect(times(await queuedTo(server, 'sms', USSD_OUT), SW_HEAD)).toBe(0);
    expect(await sendAll(server)).toBe(0);

    const { databaseEnv, clock } = server;
    await server.close();
    server = await startTestServer({ databaseEnv, now: clock.now().toISOString(), env: ENV });
    call = api(server);
    expect(await sendAll(server)).toBe(0);
    expect(times(await asha.heard(), SW_HEAD)).toBe(1);
    expect((await call(agent, `/api/announcements/${id}`)).body.announcement).toMatchObject({ told: { before: 5, ended: 0, cancelled: 0 }, subscribers: 5 });
  }, 60_000);

  it('one who joins after the notice went out is told it in the answer, and not again', async () => {
    const late = await webPerson(() => server);
    const said = await late.say('nijulishe kuhusu katizo la umeme Sinza Mori');
    expect(said).toContain('Kuna katizo lililokwisha tangazwa');
    expect(said).toContain(SW_HOURS);
    expect(await sendAll(server)).toBe(0);
    expect(times(await late.heard(), SW_HEAD)).toBe(1);
  });

  it('a power cut reported there during its hours is answered with the notice, and keeps its own reference', async () => {
    server.clock.set('2026-11-25T07:00:00Z');
    const reporter = await webPerson(() => server);
    let said = await reporter.say('umeme umekatika Sinza tangu asubuhi');
    for (let i = 0; i < 6 && !UTILITY_REFERENCE.test(said); i++) {
      said = await reporter.say(/namba yako ya simu/.test(said) ? '0754 123 456' : /sahihi\?/.test(said) ? 'ndiyo' : /mita/.test(said) ? 'sina' : 'umeme umekatika nyumbani kwangu');
    }
    const reference = UTILITY_REFERENCE.exec(said)?.[0] ?? '';
    expect(reference).not.toBe('');
    expect(said).toContain('Eneo lako liko kwenye katizo la umeme lililopangwa');
    expect(said).toContain(SW_HOURS);
    expect(said).not.toContain('acha taarifa');
    expect((await eventsOf(server, reference)).map((e) => e.kind)).toContain('planned_outage');
    // By USSD: the reference, then an SMS with the notice.
    const phone = '+255712000403';
    const root = await ussdSession(server, 'ann-ussd-5', phone, []);
    expect(root[0]).toContain('Ripoti tatizo');
    const services = await ussdSession(server, 'ann-ussd-5', phone, ['1']);
    const outage = /(\d+)\. Kukatika kwa umeme/.exec(services.at(-1) ?? '')?.[1] ?? '1';
    const filed = await ussdSession(server, 'ann-ussd-5', phone, ['1', outage, '1', 'umeme umekatika Sinza Mori', '1']);
    expect(filed.at(-1)).toMatch(/^END .*UMM-2026-\d{6}/s);
    expect(times(await queuedTo(server, 'sms', phone), 'Eneo lako liko kwenye katizo la umeme lililopangwa (Sinza, Ubungo, Dar es Salaam')).toBe(1);
    // Two power cuts in Sinza during a planned outage there: expected, so no incident is proposed to staff.
    expect(await server.app.proposals.sweep()).toEqual([]);
  }, 60_000);

  it('when it ends, every subscriber hears once that power is back', async () => {
    server.clock.set(ENDS);
    expect(await sendAll(server)).toBe(6);
    expect(await sendAll(server)).toBe(0);
    expect((await people.asha.heard()).at(-1)).toMatch(/^✅ UMEME UMEREJEA\n/);
    expect(times(await people.baraka.heard(), 'POWER RESTORED')).toBe(1);
    expect(times(await queuedTo(server, 'telegram', '8301'), 'POWER RESTORED')).toBe(1);
    expect(times(await queuedTo(server, 'sms', USSD_IN), 'UMEME UMEREJEA')).toBe(1);
    expect(times(await people.dora.heard(), 'UMEME UMEREJEA')).toBe(0);
    expect((await call(agent, '/api/announcements')).body.announcements).toEqual([]);
    expect((await call(agent, '/api/announcements?status=ended')).body.announcements).toEqual([expect.objectContaining({ id, phase: 'ended', told: { before: 6, ended: 6, cancelled: 0 } })]);
    // A report after its hours is a fault of its own: no notice.
    const after = await webPerson(() => server);
    let said = await after.say('umeme umekatika Sinza');
    for (let i = 0; i < 6 && !UTILITY_REFERENCE.test(said); i++) said = await after.say(/namba yako ya simu/.test(said) ? '0754 123 457' : /sahihi\?/.test(said) ? 'ndiyo' : 'hakuna umeme kabisa');
    expect(said).toMatch(UTILITY_REFERENCE);
    expect(said).not.toContain('katizo la umeme lililopangwa');
    expect(await call(supervisor, `/api/announcements/${id}/cancel`, { method: 'POST' })).toMatchObject({ status: 409, body: { code: 'announcement_ended' } });
  }, 60_000);

  it('calling a notice off tells those already told, once; one called off before anyone was told tells nobody', async () => {
    const next = await call(supervisor, '/api/announcements', { body: { ...NOTICE, date: '2026-11-26', from: '09:00', to: '13:00' } });
    expect(next.status).toBe(201);
    const nextId = (next.body.announcement as { id: number }).id;
    expect(await sendAll(server)).toBe(6);
    const later = await call(supervisor, '/api/announcements', { body: { ...NOTICE, date: '2026-12-10' } });
    const laterId = (later.body.announcement as { id: number }).id;
    expect(await call(agent, `/api/announcements/${nextId}/cancel`, { method: 'POST' })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await call(supervisor, `/api/announcements/${nextId}/cancel`, { method: 'POST' })).toMatchObject({
      status: 200,
      body: { announcement: { id: nextId, status: 'cancelled', phase: 'cancelled' } },
    });
    expect(await call(supervisor, `/api/announcements/${laterId}/cancel`, { method: 'POST' })).toMatchObject({ status: 200 });
    expect(await call(supervisor, `/api/announcements/${nextId}/cancel`, { method: 'POST' })).toMatchObject({ status: 409, body: { code: 'announcement_cancelled' } });
    expect(await sendAll(server)).toBe(6);
    expect(await sendAll(server)).toBe(0);
    expect((await people.asha.heard()).at(-1)).toMatch(/^ℹ️ KATIZO LIMESITISHWA\n.*saa tatu asubuhi hadi saa saba mchana/s);
    expect(times(await people.baraka.heard(), 'PLANNED INTERRUPTION CANCELLED')).toBe(1);
    expect(times(await queuedTo(server, 'sms', USSD_IN), 'KATIZO LIMESITISHWA')).toBe(1);
    // The one called off in time was never said, neither coming nor called off.
    server.clock.set('2026-12-09T06:00:00Z');
    expect(await sendAll(server)).toBe(0);
    expect(times(await people.asha.heard(), 'Jumatano tarehe 10 Desemba')).toBe(0);
  }, 60_000);
});
