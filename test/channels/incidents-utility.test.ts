import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { PHONE_CHANNELS_ENV, queuedTo, ussd } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { staffApi, times } from '../support/incidents.ts';
import { addStaffToken } from '../support/staff.ts';

// An outage at an electricity utility (CHARTER=utility), end to end: people
// report "umeme umekatika Sinza Mori" on the web chat and Telegram; the form
// reads where from their words; staff open an incident for the ward; every
// reporter is told; one who reports afterwards hears at once, in the reply
// that gives their own reference; the resolution is heard once by each.

const REFERENCE = /UMM-\d{4}-\d{6}/;
const OPENING = { sw: 'Tunafahamu kuna hitilafu ya umeme Sinza; mafundi wako njiani.', en: 'We know of the power cut in Sinza; a crew is on the way.' };
const PHONE = '+255712000401';
const DONE = { sw: 'Umeme umerudi Sinza. Asanteni kwa uvumilivu.', en: 'Power is back in Sinza. Thank you for your patience.' };

/** The answer to what the form asks, as a customer in Sinza Mori gives it. */
function answerTo(asked: string): string {
  if (/taarifa hizi ni sahihi|details correct/i.test(asked)) return /taarifa/.test(asked) ? 'ndiyo' : 'yes';
  if (/mjini au kijijini/i.test(asked)) return 'mjini';
  if (/town or .*village/i.test(asked)) return 'in town';
  if (/namba yako ya simu/i.test(asked)) return '0754 123 456';
  if (/phone number/i.test(asked)) return '+255 713 000 222';
  if (/mahali|eneo/i.test(asked)) return 'Sinza Mori';
  if (/where|place|area/i.test(asked)) return 'Sinza Mori';
  if (/Je, hili limesaidia/.test(asked)) return 'Fungua ombi';
  if (/Did this help/.test(asked)) return 'Open a request';
  return /[a-z]/.test(asked) && /the |your /i.test(asked) ? 'there is no power in the whole house' : 'hakuna umeme nyumba nzima';
}

/** Says `first`, then answers until a reference comes; every reply of the last turn. */
async function report(send: (text: string) => Promise<string>, first: string): Promise<string> {
  let said = await send(first);
  for (let i = 0; i < 8 && !REFERENCE.test(said); i++) said = await send(answerTo(said.split('\n---\n').at(-1) ?? said));
  if (!REFERENCE.test(said)) throw new Error(`no reference in: ${said}`);
  return said;
}

describe.each(BACKENDS)('an outage at the utility on %s', (backend) => {
  let server: TestServer;
  let api: ReturnType<typeof staffApi>;
  let supervisor = '';
  let id = 0;
  const ref: Record<string, string> = {};
  const byChat = (name: string) => async (text: string) => (await say(server, name, text)).map((r) => r.text).join('\n---\n');
  let tgMessage = 0;
  const byTelegram = (chatId: string) => async (text: string) => {
    const outcome = await server.app.inbox.submit({ channel: 'telegram', chatId, senderId: chatId, channelMessageId: `utl-${++tgMessage}`, text, receivedAt: server.clock.now() });
    return 'replies' in outcome ? outcome.replies.map((r) => r.text).join('\n---\n') : '';
  };
  const out = async (name: string) => (await transcript(server, name)).filter((m) => m.direction === 'out').map((m) => m.text);

  beforeAll(async () => {
    server = await startTestServer({ backend, env: { CHARTER: 'utility', ...PHONE_CHANNELS_ENV } });
    await server.app.ready;
    api = staffApi(server);
    supervisor = (await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor')).token;
    for (const [who, first] of [
      ['amina', 'umeme umekatika Sinza Mori tangu asubuhi'],
      ['bakari', 'hakuna umeme mtaa mzima Sinza Mori'],
      ['carol', 'There is no power in Sinza Mori since morning'],
    ] as const)
      ref[who] = REFERENCE.exec(await report(byChat(`utl-${who}`), first))?.[0] ?? '';
    ref.tg = REFERENCE.exec(await report(byTelegram('7701'), 'umeme umekatika Sinza Mori'))?.[0] ?? '';
    // A feature phone: Report a problem, No power, in town, where and what, confirm.
    let screen = '';
    for (const text of ['', '1', '1*2', '1*2*1', '1*2*1*Umeme umekatika Sinza Mori', '1*2*1*Umeme umekatika Sinza Mori*1']) screen = await ussd(server, 'utl-ussd-1', PHONE, text);
    ref.ussd = REFERENCE.exec(screen)?.[0] ?? '';
    expect(ref.ussd).toMatch(REFERENCE);
  }, 300_000);
  afterAll(() => server?.close());

  it('the reports carry their area from the words people wrote', async () => {
    const rows = await server.app.store.read((tx) => tx.orm.select({ reference: tx.t.requests.reference, service: tx.t.requests.service, area: tx.t.requests.area }).from(tx.t.requests));
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).toMatchObject({ service: 'power_outage', area: expect.stringMatching(/^dar-es-salaam\/ubungo\/sinza(\/|$)/) });
  });

  it('staff open an incident for the ward: each reporter is told once, in their language, on their channel', async () => {
    const opened = await api(supervisor, '/api/incidents', { body: { service: 'power_outage', area: 'Sinza', message: OPENING } });
    expect(opened).toMatchObject({ status: 201, body: { incident: { area: 'dar-es-salaam/ubungo/sinza', areaLabel: 'Sinza, Ubungo, Dar es Salaam' }, linked: 5, told: 5 } });
    id = (opened.body.incident as { id: number }).id;
    expect((await out('utl-amina')).at(-1)).toBe(`📢 Kuhusu ombi lako ${ref.amina}:\n${OPENING.sw}`);
    expect(times(await out('utl-carol'), OPENING.en)).toBe(1);
    expect(times(await queuedTo(server, 'telegram', '7701'), OPENING.sw)).toBe(1);
    expect(times(await queuedTo(server, 'sms', PHONE), `Ombi ${ref.ussd}: ${OPENING.sw}`)).toBe(1);
  });

  it('one who reports afterwards hears at once, with their own reference', async () => {
    const said = await report(byChat('utl-dora'), 'hakuna umeme Sinza Mori tangu saa nne');
    expect(said).toMatch(REFERENCE);
    expect(said).toContain(`Tayari tunafahamu tatizo hili katika eneo la Sinza, Ubungo, Dar es Salaam`);
    expect(said).toContain(OPENING.sw);
    ref.dora = REFERENCE.exec(said)?.[0] ?? '';
    const detail = (await api(supervisor, `/api/incidents/${id}`)).body.incident as { requests: string[] };
    expect(detail.requests).toContain(ref.dora);
  });

  it('a feature phone that reports afterwards gets, after its reference, an SMS that the fault is known', async () => {
    let screen = '';
    for (const text of ['', '1', '1*2', '1*2*1', '1*2*1*Hakuna umeme Sinza Mori', '1*2*1*Hakuna umeme Sinza Mori*1']) screen = await ussd(server, 'utl-ussd-2', '+255712000402', text);
    ref.ussd2 = REFERENCE.exec(screen)?.[0] ?? '';
    const sms = await queuedTo(server, 'sms', '+255712000402');
    expect(sms.at(-2)).toContain(ref.ussd2);
    expect(sms.at(-1)).toBe(`Tunafahamu tatizo hili eneo la Sinza, Ubungo, Dar es Salaam: ${OPENING.sw}`);
  });

  it('the resolution is heard exactly once by each of the seven', async () => {
    expect(await api(supervisor, `/api/incidents/${id}/resolve`, { body: { message: DONE } })).toMatchObject({ status: 200, body: { resolved: 7, told: 7 } });
    expect(await api(supervisor, `/api/incidents/${id}/resolve`, { body: { message: DONE } })).toMatchObject({ status: 409 });
    for (const who of ['amina', 'bakari', 'dora']) expect(times(await out(`utl-${who}`), DONE.sw), who).toBe(1);
    expect(times(await out('utl-carol'), DONE.en)).toBe(1);
    expect(times(await queuedTo(server, 'telegram', '7701'), DONE.sw)).toBe(1);
    for (const phone of [PHONE, '+255712000402']) expect(times(await queuedTo(server, 'sms', phone), DONE.sw), phone).toBe(1);
  });
});
