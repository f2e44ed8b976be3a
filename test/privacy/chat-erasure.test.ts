import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { chat, fileByChat, fileByUssd, openWebchat, PHONE_CHANNELS_ENV, provePhone, queuedTo, REFERENCE, smsIn } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { scanDatabase } from '../support/scan.ts';
import { addStaffToken } from '../support/staff.ts';

// "futa taarifa zangu" (PDPA 2022, the right to erasure), as a citizen asks it
// in the web chat: what erasure means, a question, and on "ndiyo" everything
// of theirs erased in the turn that says goodbye. Afterwards no column of any
// table holds their phone, name, e-mail or words; their requests still count;
// the session and the phone start afresh. "hapana" keeps everything.

const PHONE = '+255755000883';
const NAME = 'Rehema Kilonzo';
const EMAIL = 'rehema.kilonzo@example.go.tz';
const OFFICE = 'Kitengo cha Manunuzi chumba 7';
const WORDS = ['Mtandao wa ghorofa ya tatu umekatika', `Barua pepe ${EMAIL} haipokei jumbe tangu jana`];

describe.each(BACKENDS)('"erase my data" in the web chat on %s', (backend) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
    token = (await addStaffToken(server.databaseEnv, 'Baraka Supervisor', 'supervisor')).token;
  });
  afterAll(() => server?.close());

  const requests = async (service: string) =>
    ((await (await fetch(`${server.url}/api/requests?service=${service}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { requests: { reference: string; status: string }[] })
      .requests;

  it('explains, asks, and on "ndiyo" erases everything of theirs; their requests still count; the next message starts afresh', async () => {
    const byUssd = await fileByUssd(server, 'erase-ussd', PHONE, WORDS[0] as string);
    const session = await openWebchat(server);
    const account = await fileByChat(server, session, 'Naomba akaunti mpya ya mfumo wa HRMIS', { name: `${NAME}, Afisa Ugavi`, office: OFFICE, phone: '0755 000 883' });
    const mail = await fileByChat(server, session, WORDS[1] as string, { office: OFFICE, phone: '0755 000 883' });
    expect([byUssd, account, mail].every((r) => REFERENCE.test(r))).toBe(true);

    // Before proof: how to prove the number, and that only this chat would go; "hapana" keeps it all.
    const unproved = await chat(server, session, 'futa taarifa zangu');
    expect(unproved.replies[0]?.text).toMatch(/^Kwa usalama wa taarifa zako, tafadhali kwanza thibitisha namba yako ya simu/);
    expect(unproved.replies[1]?.text).toMatch(
      new RegExp(
        `^Kabla namba yako ya simu haijathibitishwa, ninaweza kufuta taarifa za mazungumzo haya pekee\\. Taarifa zako zikifutwa: maombi yako yanayoendelea \\(${account}, ${mail}\\) yatafungwa`,
      ),
    );
    expect(unproved.replies[1]?.options?.map((o) => o.label)).toEqual(['Ndiyo, zifutwe', 'Hapana, zibaki']);
    expect((await chat(server, session, 'hapana')).text).toBe('Sawa, hatujafuta chochote; taarifa zako zinaendelea kuhifadhiwa kwa usalama.');

    await provePhone(server, session, '0755 000 883', PHONE);
    const asked = await chat(server, session, 'Tafadhali futa taarifa zangu');
    expect(asked.replies).toHaveLength(1);
    expect(asked.text).toMatch(new RegExp(`^Taarifa zako zikifutwa: maombi yako yanayoendelea \\(${byUssd}, ${account}, ${mail}\\) yatafungwa, na jina lako`));
    const needles = [PHONE.slice(4), NAME.split(' ')[0] as string, NAME.split(' ')[1] as string, EMAIL, OFFICE, session, ...WORDS];
    const held = await scanDatabase(server, needles);
    for (const needle of needles)
      expect(
        held.found.some((f) => f.needle === needle),
        `${needle} is held before the erasure`,
      ).toBe(true);

    const done = await chat(server, session, 'Ndiyo, zifutwe');
    expect(done.status).toBe(200);
    expect(done.text).toBe(
      'Taarifa zako zimefutwa. Hatuhifadhi tena jina lako, namba yako ya simu, barua pepe wala mazungumzo yako. Ukituandikia tena, tutakuhudumia kama mteja mpya. Asante kwa kutumia huduma zetu.',
    );
    // Nowhere: every column of every table, as the database's own catalog lists them.
    const after = await scanDatabase(server, needles);
    expect(after.columns).toBeGreaterThan(100);
    expect(after.found).toEqual([]);
    // Still counted, closed.
    expect(await requests('mis_account')).toContainEqual(expect.objectContaining({ reference: account, status: 'closed' }));
    expect(await requests('network_email_fault')).toEqual(
      expect.arrayContaining([expect.objectContaining({ reference: byUssd, status: 'closed' }), expect.objectContaining({ reference: mail, status: 'closed' })]),
    );

    // Afresh: the session is gone (the page opens another), a new session and the phone are new people, told the notice again.
    expect((await chat(server, session, 'habari')).status).toBe(404);
    expect((await fetch(`${server.url}/webchat/sessions/${session}/messages`)).status).toBe(404);
    const fresh = await openWebchat(server);
    expect((await chat(server, fresh, 'habari')).replies.at(-1)?.text).toMatch(/^Kuhusu faragha yako/);
    await smsIn(server, PHONE, 'habari');
    expect((await queuedTo(server, 'sms', PHONE)).at(-1)).toMatch(/chini ya Sheria ya Ulinzi wa Taarifa Binafsi 2022/);
    await smsIn(server, PHONE, 'nipe taarifa zangu');
    const summary = (await queuedTo(server, 'sms', PHONE)).at(-1) ?? '';
    expect(summary).toContain('• Hujawasilisha ombi lolote.');
    expect(summary).not.toMatch(REFERENCE);
  });

  it('"hapana" keeps everything; a yes long after the question erases nothing', async () => {
    const session = await openWebchat(server);
    const reference = await fileByChat(server, session, 'Barua pepe ya ofisi haifunguki tangu asubuhi', { office: 'Masjala kuu', phone: '0755 000 884' });
    expect((await chat(server, session, 'delete my data')).replies.at(-1)?.options?.map((o) => o.id)).toEqual(['yes', 'no']);
    // The second option, by its number.
    expect((await chat(server, session, '2')).text).toBe('Sawa, hatujafuta chochote; taarifa zako zinaendelea kuhifadhiwa kwa usalama.');
    expect((await chat(server, session, 'futa taarifa zangu')).text).toContain(`(${reference})`);
    server.clock.advance(20 * 60_000);
    expect((await chat(server, session, 'ndiyo')).text).not.toContain('zimefutwa');
    const summary = await chat(server, session, 'nipe taarifa zangu');
    expect(summary.text).toContain(`${reference} (Limepokelewa)`);
    expect(summary.text).not.toContain('Kuhusu faragha yako');
    const transcript = (await (await fetch(`${server.url}/webchat/sessions/${session}/messages`)).json()) as { messages: { text: string }[] };
    expect(transcript.messages.map((m) => m.text)).toContain('Masjala kuu');
  });
});
