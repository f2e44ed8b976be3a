import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gsm7Length } from '../../channels/sms/gsm7.ts';
import { renderSms } from '../../channels/sms/sms.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { chat, openWebchat, PHONE_CHANNELS_ENV, queuedTo, REFERENCE, smsIn, ussd } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';

// Issue 15, "status from anywhere": a request filed in one browser is followed
// up from a brand-new browser, another phone's USSD and SMS by its reference
// alone (status, service, due time; nothing of the person), while cancelling
// it or complaining about it from there waits for a code sent to the phone on
// the request. A real server over loopback, SMS and USSD on, nothing sent
// (what would be is read from the outbox).

const OWNER_PHONE = '+255754000111';
const OFFICE = 'Idara ya Fedha, chumba 12';
const PROBLEM = 'barua pepe yangu haifanyi kazi tangu jana';
const PERSONAL = [OFFICE, 'chumba 12', OWNER_PHONE, '0754 000 111', '754000111', 'haifanyi kazi tangu jana'];

const expectNothingPersonal = (text: string) => {
  for (const p of PERSONAL) expect(text, `"${p}" must not be shown`).not.toContain(p);
};

/** Files a request in a new web chat session, answering its form (and opening the request when an answer from the knowledge base comes first); the reference. */
async function fileInNewSession(server: TestServer, phone: string): Promise<string> {
  const session = await openWebchat(server);
  let said = await chat(server, session, PROBLEM);
  for (let i = 0; i < 10 && !REFERENCE.test(said.text); i++) {
    const asked = said.text;
    const answer = /ofisi au idara/.test(asked)
      ? OFFICE
      : /namba yako ya simu/.test(asked)
        ? phone
        : /taarifa hizi ni sahihi/.test(asked)
          ? 'ndiyo'
          : said.replies.flatMap((r) => r.options ?? []).find((o) => /ombi/i.test(o.label))?.label;
    if (answer === undefined) throw new Error(`the form asked what this test cannot answer: ${asked}`);
    said = await chat(server, session, answer);
  }
  return REFERENCE.exec(said.text)?.[0] ?? '';
}

describe.each(BACKENDS)('status from anywhere on %s', (backend) => {
  let server: TestServer;
  let reference = '';
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
    reference = await fileInNewSession(server, '0754 000 111');
    expect(reference).toMatch(/^ICT-2026-\d{6}$/);
  });
  afterAll(() => server?.close());

  const requestRow = async () => (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference))))[0];
  const serviceName = async () => {
    const row = await requestRow();
    return server.app.charter.lines.find((l) => l.line === row?.charterLine)?.name.sw ?? 'no such line';
  };

  it('a new web chat session gets status, service and due time in words, and nothing personal (answers and transcript)', async () => {
    const second = await openWebchat(server);
    const said = await chat(server, second, `Ombi langu ${reference} limefikia wapi?`);
    expect(said.status).toBe(200);
    expect(said.text).toContain(reference);
    expect(said.text).toContain(await serviceName());
    expect(said.text).toContain('Limepokelewa');
    // One working day from Monday 11:00.
    expect(said.text).toContain('kabla ya saa tano asubuhi, Jumanne tarehe 24 Novemba 2026');
    expect(said.text).not.toContain('hakuna ombi');
    const transcript = await (await fetch(`${server.url}/webchat/sessions/${second}/messages`)).json();
    expectNothingPersonal(JSON.stringify(transcript));
    // Odd spacing and case, and a reference that does not exist.
    expect((await chat(server, second, reference.toLowerCase().replaceAll('-', ' '))).text).toContain('Limepokelewa');
    const missing = await chat(server, second, 'ICT-2026-000999');
    expect(missing.text).toContain('hakuna ombi lenye namba ICT-2026-000999');
    expect(missing.text).toContain('hakiki namba hiyo');
  });

  it('another phone gets the same status by USSD and by SMS, without personal details', async () => {
    const screen = await ussd(server, 'status-anywhere-1', '+255765000222', `2*${reference}`);
    expect(screen).toMatch(new RegExp(`^END ${reference} .*Limepokelewa`));
    expectNothingPersonal(screen);
    await smsIn(server, '+255765000333', `hali ya ombi ${reference}`);
    const sms = (await queuedTo(server, 'sms', '+255765000333')).join('\n');
    expect(sms).toContain(reference);
    expect(sms).toContain('Limepokelewa');
    expectNothingPersonal(sms);
  });

  it('cancelling from a new session waits for the code sent to the phone on the request, then goes on', async () => {
    const other = await openWebchat(server);
    const offer = await chat(server, other, `nataka kughairi ombi ${reference}`);
    expect(offer.text).toContain('halikuwasilishwa kupitia mazungumzo haya');
    expect(offer.text).toContain('07•• ••• 111');
    expect(offer.text).not.toContain('ungependa kughairi');
    expect((await requestRow())?.status).toBe('received');

    const sent = await chat(server, other, 'ndiyo');
    expect(sent.text).toContain('namba ya uthibitisho');
    expect(sent.text).toContain('07•• ••• 111');
    const code = /(\d{6})/.exec((await queuedTo(server, 'sms', OWNER_PHONE)).at(-1) ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await chat(server, other, code === '000000' ? '111111' : '000000');
    expect(wrong.text).toContain('si sahihi');
    expect((await requestRow())?.status).toBe('received');

    const proved = await chat(server, other, code);
    expect(proved.text).toContain('imethibitishwa');
    expect(proved.text).toContain(`ungependa kughairi ombi ${reference}`);
    expect((await chat(server, other, 'ndiyo')).text).toContain(`Ombi ${reference} limeghairiwa`);
    expect((await requestRow())?.status).toBe('cancelled');
  });
});

describe.each(BACKENDS)('acting on a request from elsewhere on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
  });
  afterAll(() => server?.close());

  const status = async (reference: string) => (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference))))[0]?.status;
  const complaints = async () => (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.service, 'complaint')))).length;

  it('the phone on the request is its own proof: an SMS from it cancels after the usual confirmation', async () => {
    const reference = await fileInNewSession(server, '0754 000 444');
    await smsIn(server, '+255754000444', `ghairi ombi ${reference}`);
    // (The first SMS answer is followed by the privacy notice.)
    expect((await queuedTo(server, 'sms', '+255754000444')).join('\n')).toContain(`kughairi ombi ${reference}`);
    await smsIn(server, '+255754000444', 'ndiyo');
    expect((await queuedTo(server, 'sms', '+255754000444')).at(-1)).toContain('limeghairiwa');
    expect(await status(reference)).toBe('cancelled');
  });

  it('an SMS from another phone is offered a code to the phone on the request (masked in plain GSM-7), and cancels once it is typed back', async () => {
    const reference = await fileInNewSession(server, '0754 000 666');
    const other = '+255765000777';
    await smsIn(server, other, `ghairi ombi ${reference}`);
    const offer = (await queuedTo(server, 'sms', other)).find((t) => t.includes('07•• ••• 666')) ?? '';
    expect(offer).toContain('halikuwasilishwa kupitia mazungumzo haya');
    const rendered = renderSms({ text: offer, options: [{ id: 'yes', label: 'Ndiyo' }] }, () => 'Jibu kwa kutuma namba ya chaguo lako.');
    expect(rendered).toContain('07** *** 666');
    expect(gsm7Length(rendered)).toBeDefined();
    await smsIn(server, other, 'ndiyo');
    const code = /(\d{6})/.exec((await queuedTo(server, 'sms', '+255754000666')).at(-1) ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(await status(reference)).toBe('received');
    await smsIn(server, other, code);
    const proved = (await queuedTo(server, 'sms', other)).slice(-2).join('\n');
    expect(proved).toContain('imethibitishwa');
    expect(proved).toContain(`ungependa kughairi ombi ${reference}`);
    await smsIn(server, other, 'ndiyo');
    expect((await queuedTo(server, 'sms', other)).at(-1)).toContain('limeghairiwa');
    expect(await status(reference)).toBe('cancelled');
  });

  it('a photo naming a request made elsewhere is added to it only after the code sent to its phone is typed back', async () => {
    const reference = await fileInNewSession(server, '0754 000 888');
    let n = 0;
    const telegram = async (chatId: string, text: string, attachments?: { kind: 'photo'; fileId: string }[]) => {
      const outcome = await server.app.inbox.submit({ channel: 'telegram', chatId, senderId: chatId, channelMessageId: `tg-${chatId}-${++n}`, text, attachments, receivedAt: server.clock.now() });
      return outcome.status === 'replied' ? outcome.replies.map((r) => r.text).join('\n') : '';
    };
    const attachments = async (ref: string) =>
      (
        await server.app.store.read((tx) =>
          tx.orm.select().from(tx.t.requestEvents).innerJoin(tx.t.requests, eq(tx.t.requests.id, tx.t.requestEvents.requestId)).where(eq(tx.t.requests.reference, ref)),
        )
      ).filter((r) => r.request_events.kind === 'attachment').length;
    const offer = await telegram('7001', `picha ya printa kwa ombi ${reference}`, [{ kind: 'photo', fileId: 'photo-1' }]);
    expect(offer).toContain('halikuwasilishwa kupitia mazungumzo haya');
    expect(offer).toContain('07•• ••• 888');
    expect(await telegram('7001', 'hapana')).toContain(`sijafanya jambo lolote kwenye ombi ${reference}`);
    expect(await attachments(reference)).toBe(0);
    // Again, and this time with the code: the photo the person sent is kept with the request.
    await telegram('7001', `picha ya printa kwa ombi ${reference}`, [{ kind: 'photo', fileId: 'photo-2' }]);
    expect(await telegram('7001', 'ndiyo')).toContain('namba ya uthibitisho');
    const code = /(\d{6})/.exec((await queuedTo(server, 'sms', '+255754000888')).at(-1) ?? '')?.[1] ?? '';
    const done = await telegram('7001', code);
    expect(done).toContain('imethibitishwa');
    expect(done).toContain(`nimeviweka pamoja na ombi lako ${reference}`);
    expect(await attachments(reference)).toBe(1);
  });

  it('a complaint about someone else’s request is not filed against it without proof; declining does nothing', async () => {
    const reference = await fileInNewSession(server, '0754 000 555');
    const before = await complaints();
    const stranger = await openWebchat(server);
    const offer = await chat(server, stranger, `ombi ${reference} limechelewa sana, mnazembea, nataka kulalamika`);
    expect(offer.text).toContain('halikuwasilishwa kupitia mazungumzo haya');
    expect(offer.text).toContain('07•• ••• 555');
    expect((await chat(server, stranger, 'hapana')).text).toContain(`sijafanya jambo lolote kwenye ombi ${reference}`);
    expect(await complaints()).toBe(before);
    expect(await status(reference)).toBe('received');
    expect(await queuedTo(server, 'sms', '+255754000555')).toEqual([]);
  });
});
