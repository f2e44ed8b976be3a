import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { chat, openWebchat, PHONE_CHANNELS_ENV, queuedTo, smsIn, ussd } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';

// PDPA 2022: collection is announced. The privacy notice (what is kept, why,
// how long, whom to ask) ends the first answer a person gets, on whichever
// channel that is, and never again for that person: the web chat, SMS (one
// SMS), the USSD main menu (its short form). RETENTION_MONTHS and the
// charter's institution are what it says.

const NOTICE_SW = 'Kuhusu faragha yako';
const SMS_NOTICE = 'chini ya Sheria ya Ulinzi wa Taarifa Binafsi 2022';
const USSD_NOTICE = 'Taarifa zako zinalindwa kisheria na huhifadhiwa miezi 18 tu.';

describe.each(BACKENDS)('the privacy notice on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: { ...PHONE_CHANNELS_ENV, RETENTION_MONTHS: '18' } });
  });
  afterAll(() => server?.close());

  it('web chat: after the first answer (not instead of it), with the institution and the months, then never again for that person', async () => {
    const session = await openWebchat(server);
    const first = await chat(server, session, 'habari');
    expect(first.replies).toHaveLength(2);
    expect(first.replies[0]?.text).toMatch(/^Nzuri, karibu!/);
    const notice = first.replies[1]?.text ?? '';
    expect(notice).toMatch(/^Kuhusu faragha yako: Kitengo cha TEHAMA huhifadhi taarifa/);
    expect(notice).toContain('miezi 18');
    expect(notice).toContain('"nipe taarifa zangu"');
    for (const text of ['nina swali kuhusu huduma zenu', 'msaada', 'habari']) expect((await chat(server, session, text)).text).not.toContain(NOTICE_SW);
    // The transcript holds it once.
    const transcript = (await (await fetch(`${server.url}/webchat/sessions/${session}/messages`)).json()) as { messages: { text: string }[] };
    expect(transcript.messages.filter((m) => m.text.includes(NOTICE_SW))).toHaveLength(1);
    // Another person (another session) is told too, in their language.
    const other = await chat(server, await openWebchat(server), 'hello, good morning');
    expect(other.replies.at(-1)?.text).toMatch(/^About your privacy: the ICT Unit keeps what you give us here/);
    expect(other.replies.at(-1)?.text).toContain('18 months');
  });

  it('SMS: one SMS after the first answer, once; the same phone on USSD is not told again', async () => {
    const phone = '+255744000101';
    await smsIn(server, phone, 'habari');
    const first = await queuedTo(server, 'sms', phone);
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/^Nzuri, karibu!/);
    expect(first[1]).toBe('Tunahifadhi taarifa zako miezi 18 chini ya Sheria ya Ulinzi wa Taarifa Binafsi 2022. Tuma "nipe taarifa zangu" kuziona, "futa taarifa zangu" kuzifuta.');
    await smsIn(server, phone, 'asante');
    const after = await queuedTo(server, 'sms', phone);
    expect(after).toHaveLength(3);
    expect(after.filter((t) => t.includes(SMS_NOTICE))).toHaveLength(1);
    expect(await ussd(server, 'notice-sms-then-ussd', phone, '')).toMatch(/^CON Karibu Dawati la TEHAMA\. Chagua:\n1\. Ripoti tatizo/);
  });

  it('USSD: the first screen of a new number carries the short notice, that session only; "5. Faragha" shows it any time', async () => {
    const phone = '+255744000102';
    const first = await ussd(server, 'notice-ussd-1', phone, '');
    expect(first).toBe(`CON Karibu! ${USSD_NOTICE}\n1. Ripoti tatizo\n2. Hali ya ombi\n3. Huduma na muda\n4. Lugha/Language\n5. Faragha\n6. Maswali ya kawaida`);
    expect(first.length).toBeLessThanOrEqual(182);
    // The same session's main menu again (back from the charter) still carries it; the next session's does not.
    expect(await ussd(server, 'notice-ussd-1', phone, '3*00')).toBe(first);
    const next = await ussd(server, 'notice-ussd-2', phone, '');
    expect(next).toBe('CON Karibu Dawati la TEHAMA. Chagua:\n1. Ripoti tatizo\n2. Hali ya ombi\n3. Huduma na muda\n4. Lugha/Language\n5. Faragha\n6. Maswali ya kawaida');
    const privacy = await ussd(server, 'notice-ussd-2', phone, '5');
    expect(privacy).toBe(
      'CON Taarifa zako zinalindwa kwa mujibu wa Sheria ya Ulinzi wa Taarifa Binafsi 2022 na huhifadhiwa miezi 18 tu.\n1. Nitumie taarifa zangu (SMS)\n2. Futa taarifa zangu\n00 Rudi',
    );
    expect(privacy.length).toBeLessThanOrEqual(182);
    // Told on USSD: their first SMS answer carries no notice.
    await smsIn(server, phone, 'habari');
    const sms = await queuedTo(server, 'sms', phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatch(/^Nzuri, karibu!/);
  });

  it('the web chat page carries a privacy line in both languages that opens to the whole notice', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<details id="privacy"><summary data-w="privacy_line">Faragha yako: jinsi tunavyotunza taarifa zako · Your privacy: how we keep your data</summary>');
    expect(html).toMatch(/<p lang="sw">Kuhusu faragha yako: Kitengo cha TEHAMA huhifadhi[^<]*miezi 18[^<]*<\/p><p lang="en">About your privacy: the ICT Unit keeps[^<]*18 months/);
  });
});
