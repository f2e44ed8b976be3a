import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// A phone number typed in a chat form is contact information, not identity:
// the number's owner (USSD, SMS) stays a person of their own, and a chat joins
// them only by typing back a code sent to the number.

/** SMS and USSD on, the outbox worker not started: what would be sent is read from the outbox. */
const ENV = {
  USSD_ENABLED: '1',
  SMS_USERNAME: 'huduma',
  SMS_API_KEY: 'test-key',
  SMS_API_ROOT: 'http://127.0.0.1:9/version1',
  RATE_LIMIT_PER_MINUTE: '0',
};

const REFERENCE = /ICT-2026-\d{6}/;
const referenceIn = (text: string) => REFERENCE.exec(text)?.[0] ?? '';

describe.each(BACKENDS)('phone identity on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: ENV });
  });
  afterAll(() => server?.close());

  let sent = 0;
  /** A web chat message, as the web chat hands it to the engine; the replies' text. */
  async function chat(session: string, text: string): Promise<string> {
    const outcome = await server.app.inbox.submit({ channel: 'webchat', chatId: session, senderId: session, channelMessageId: `${session}-${++sent}`, text, receivedAt: server.clock.now() });
    expect(outcome.status).toBe('replied');
    return outcome.status === 'replied' ? outcome.replies.map((r) => r.text).join('\n') : '';
  }

  const smsTo = (phone: string) =>
    server.app.store.read((tx) =>
      tx.orm
        .select()
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, phone)))
        .orderBy(desc(tx.t.outbox.id)),
    );

  /** An SMS from the phone through the gateway's callback; what was sent back to it. */
  async function sms(phone: string, text: string): Promise<string> {
    const before = (await smsTo(phone))[0]?.id ?? 0;
    const res = await server.app.http.request('/sms/inbound', { method: 'POST', body: new URLSearchParams({ from: phone, to: '15000', text, id: `at-${phone}-${++sent}` }) });
    expect(res.status).toBe(200);
    return (await smsTo(phone))
      .filter((r) => r.id > before)
      .reverse()
      .map((r) => (r.body as { text: string }).text)
      .join('\n');
  }

  /** A whole USSD report from the phone; the reference on its last screen. */
  async function ussdReport(phone: string, description: string): Promise<string> {
    const sessionId = `ussd-${++sent}`;
    let screen = '';
    for (const text of ['', '1', '1*1', `1*1*${description}`, `1*1*${description}*1`]) {
      const res = await server.app.http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId, serviceCode: '*152*00#', phoneNumber: phone, text }) });
      screen = await res.text();
    }
    expect(screen).toMatch(/^END .*ICT-2026-\d{6}/);
    return referenceIn(screen);
  }

  /** Answers a chat form's questions until it is filed (whatever the flow asks); the whole exchange's last replies. */
  async function fileByForm(send: (text: string) => Promise<string>, first: string, phone: string): Promise<string> {
    let said = await send(first);
    for (let i = 0; i < 10 && !REFERENCE.test(said); i++) {
      if (/Namba ya utambulisho|asset tag/.test(said)) said = await send('sijui');
      else if (/mkataba wa matengenezo|maintenance contract/.test(said)) said = await send('hapana');
      else if (/ofisi au idara|office or department/.test(said)) said = await send('Masjala, chumba 4');
      else if (/namba yako ya simu|phone number/.test(said)) said = await send(phone);
      else if (/taarifa hizi ni sahihi|details correct/.test(said)) said = await send('ndiyo');
      else if (/Ni kifaa gani|Which equipment/.test(said)) said = await send('kompyuta');
      else said = await send('Kompyuta haiwaki kabisa tangu asubuhi');
    }
    expect(said).toMatch(REFERENCE);
    return said;
  }

  const requestByReference = async (reference: string) => (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference))))[0];

  /** The code in the newest SMS to the phone (the test reads what the phone would receive). */
  async function codeSentTo(phone: string): Promise<string> {
    const text = ((await smsTo(phone))[0]?.body as { text: string } | undefined)?.text ?? '';
    const code = /(?<![-\d])(\d{6})(?!\d)/.exec(text)?.[1];
    expect(code, text).toBeDefined();
    return code ?? '';
  }

  it('a number typed in a web chat form gives no hold on its owner’s USSD and SMS requests', async () => {
    const owner = '+255755000111';
    const typed = await fileByForm((t) => chat('wc-stranger-1', t), 'kompyuta yangu haiwaki', '0755000111');
    const own = referenceIn(typed);
    const byUssd = await ussdReport(owner, 'Mtandao umekatika ofisini');
    const bySms = referenceIn(await fileByForm((t) => sms(owner, t), 'barua pepe yangu haifanyi kazi tangu jana', '0755000111'));
    expect(new Set([own, byUssd, bySms]).size).toBe(3);

    // The owner's requests are the owner's person's, not the web chat's.
    const stranger = (await requestByReference(own))?.personId;
    expect((await requestByReference(byUssd))?.personId).not.toBe(stranger);
    expect((await requestByReference(bySms))?.personId).not.toBe(stranger);

    // The web chat user lists only what it filed; by reference it learns only the owner's requests' status, and cannot cancel them.
    const mine = await chat('wc-stranger-1', 'maombi yangu');
    expect(mine).toContain(own);
    expect(mine).not.toContain(byUssd);
    expect(mine).not.toContain(bySms);
    for (const reference of [byUssd, bySms]) {
      const status = await chat('wc-stranger-1', `hali ya ombi ${reference}`);
      expect(status).toContain('Limepokelewa');
      expect(status).not.toContain('0755');
      expect(await chat('wc-stranger-1', `nataka kughairi ombi ${reference}`)).not.toContain('ungependa kughairi');
      // A yes sends a code to the owner's phone, not here: nothing is cancelled.
      await chat('wc-stranger-1', 'ndiyo');
      expect((await requestByReference(reference))?.status).toBe('received');
    }

    // The owner still sees their own, from SMS and from USSD, and not the stranger's.
    const theirs = await sms(owner, 'maombi yangu');
    expect(theirs).toContain(byUssd);
    expect(theirs).toContain(bySms);
    expect(theirs).not.toContain(own);
    const screen = await (await server.app.http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: `ussd-${++sent}`, phoneNumber: owner, text: `2*${bySms}` }) })).text();
    expect(screen).toMatch(new RegExp(`^END ${bySms} `));
    const notTheirs = await (await server.app.http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: `ussd-${++sent}`, phoneNumber: owner, text: `2*${own}` }) })).text();
    // The stranger's request by reference: its status, nothing of the stranger.
    expect(notTheirs).toMatch(new RegExp(`^END ${own} `));
    expect(notTheirs).not.toContain('Masjala');
    // The typed number is still there for staff, on the request.
    expect((await requestByReference(own))?.details).toMatchObject({ phone: owner });
  });

  it('links the web chat to the number with the code sent to it by SMS: each then sees the other’s requests', async () => {
    const phone = '+255755000222';
    const byUssd = await ussdReport(phone, 'Intaneti haipo kabisa');
    const filed = await fileByForm((t) => chat('wc-owner-2', t), 'kompyuta yangu haiwaki', '0755 000 222');
    const here = referenceIn(filed);
    // Filing with a number that is not yet this chat's offers to prove it.
    expect(filed).toContain('unganisha namba yangu');
    expect(await chat('wc-owner-2', 'maombi yangu')).not.toContain(byUssd);

    const asked = await chat('wc-owner-2', 'unganisha namba yangu 0755000222');
    expect(asked).toContain('Tumetuma namba ya uthibitisho yenye tarakimu sita kwa SMS kwenda 0755 000 222');
    const code = await codeSentTo(phone);
    // The code is in the SMS alone: not in the chat, not in the transcript, not in the proof's row.
    expect(asked).not.toContain(code);
    const kept = await server.app.store.read(async (tx) => ({
      proofs: await tx.orm.select().from(tx.t.phoneProofs).where(eq(tx.t.phoneProofs.phone, phone)),
      transcript: await tx.orm.select({ text: tx.t.messages.text }).from(tx.t.messages),
    }));
    expect(kept.proofs).toHaveLength(1);
    expect(kept.proofs[0]?.codeHash).not.toContain(code);
    expect(kept.transcript.map((m) => m.text).filter((t) => t.includes(code))).toEqual([]);

    expect(await chat('wc-owner-2', code)).toContain('namba 0755 000 222 imethibitishwa na kuunganishwa');
    const mine = await chat('wc-owner-2', 'maombi yangu');
    expect(mine).toContain(byUssd);
    expect(mine).toContain(here);
    // And the phone sees what the web chat filed, by SMS and on USSD.
    expect(await sms(phone, 'maombi yangu')).toContain(here);
    const screen = await (await server.app.http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: `ussd-${++sent}`, phoneNumber: phone, text: `2*${here}` }) })).text();
    expect(screen).toMatch(new RegExp(`^END ${here} `));
    // A code is used once; asking again says the number is linked already.
    expect(await chat('wc-owner-2', code)).not.toContain('imethibitishwa');
    expect(await chat('wc-owner-2', 'unganisha namba yangu 0755 000 222')).toContain('tayari imeunganishwa');
  });

  it('accepts the offer after a form without typing the number again', async () => {
    const phone = '+255755000555';
    const byUssd = await ussdReport(phone, 'Printa haichapishi kabisa');
    await fileByForm((t) => chat('wc-offer-5', t), 'barua pepe yangu haifanyi kazi tangu jana', '0755 000 555');
    expect(await chat('wc-offer-5', 'unganisha namba yangu')).toContain('kwenda 0755 000 555');
    expect(await chat('wc-offer-5', await codeSentTo(phone))).toContain('imethibitishwa');
    expect(await chat('wc-offer-5', 'maombi yangu')).toContain(byUssd);
  });

  it('a wrong code gets a polite answer and another try; an expired one links nothing; a new code then works', async () => {
    const phone = '+255755000333';
    const byUssd = await ussdReport(phone, 'Mtandao hauna kasi');
    expect(await chat('wc-owner-3', 'link my number 0755 000 333')).toContain('We have sent a six-digit confirmation code by SMS to 0755 000 333');
    const code = await codeSentTo(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    // A slip of length costs no try.
    expect(await chat('wc-owner-3', '12345')).toContain('The confirmation code has 6 digits');
    expect(await chat('wc-owner-3', wrong)).toContain('that confirmation code is not correct. Please check the message you received and try again; you have 4 tries left');
    server.clock.advance(11 * 60_000);
    expect(await chat('wc-owner-3', code)).toContain('that confirmation code can no longer be used');
    expect(await chat('wc-owner-3', 'my requests')).not.toContain(byUssd);

    // Asking again sends a new code, which works; the old one does not.
    expect(await chat('wc-owner-3', 'link my number 0755 000 333')).toContain('We have sent');
    const fresh = await codeSentTo(phone);
    if (fresh !== code) expect(await chat('wc-owner-3', code)).toContain('not correct');
    expect(await chat('wc-owner-3', fresh)).toContain('the number 0755 000 333 is confirmed and linked');
    expect(await chat('wc-owner-3', 'my requests')).toContain(byUssd);
  });

  it('five wrong tries lock the code: the right one then links nothing', async () => {
    const phone = '+255755000444';
    const byUssd = await ussdReport(phone, 'Simu ya mezani haifanyi kazi');
    await chat('wc-owner-4', 'unganisha namba yangu 0755 000 444');
    const code = await codeSentTo(phone);
    const wrong = code === '999999' ? '888888' : '999999';
    for (const left of [4, 3, 2, 1]) expect(await chat('wc-owner-4', wrong)).toContain(`umebakiza majaribio ${left}`);
    expect(await chat('wc-owner-4', wrong)).toContain('imekosewa mara nyingi mno');
    expect(await chat('wc-owner-4', code)).not.toContain('imethibitishwa');
    expect(await chat('wc-owner-4', 'maombi yangu')).not.toContain(byUssd);
    const [proof] = await server.app.store.read((tx) => tx.orm.select().from(tx.t.phoneProofs).where(eq(tx.t.phoneProofs.phone, phone)));
    expect(proof).toMatchObject({ status: 'locked', attempts: 5 });
  });

  it('sends a number no more than three codes an hour, whoever asks', async () => {
    const phone = '+255755000666';
    for (const session of ['wc-flood-a', 'wc-flood-b', 'wc-flood-c']) expect(await chat(session, 'unganisha namba yangu 0755 000 666')).toContain('Tumetuma');
    expect(await chat('wc-flood-d', 'unganisha namba yangu 0755 000 666')).toContain('Tumekwisha kutuma namba za uthibitisho mara kadhaa');
    expect(await smsTo(phone)).toHaveLength(3);
    server.clock.advance(61 * 60_000);
    expect(await chat('wc-flood-d', 'unganisha namba yangu 0755 000 666')).toContain('Tumetuma');
  });

  it('asks for the number when none is given, and stops on "ghairi"', async () => {
    expect(await chat('wc-ask-7', 'unganisha namba yangu')).toContain('niandikie namba ya simu unayotaka kuiunganisha');
    expect(await chat('wc-ask-7', '0755 12')).toContain('namba hiyo haionekani kuwa sahihi');
    expect(await chat('wc-ask-7', '0755 000 777')).toContain('kwenda 0755 000 777');
    expect(await chat('wc-ask-7', 'ghairi')).toContain('hatujaunganisha namba yoyote');
  });
});

describe.each(BACKENDS)('phone identity by WhatsApp (Cloud API) on %s', (backend) => {
  it('sends the code on WhatsApp to a number that has written there, when there is no SMS; to no other number', async () => {
    const server = await startTestServer({
      backend,
      env: {
        RATE_LIMIT_PER_MINUTE: '0',
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
        WHATSAPP_CLOUD_ACCESS_TOKEN: 'token',
        WHATSAPP_CLOUD_APP_SECRET: 'secret',
        WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify',
        WHATSAPP_CLOUD_API_ROOT: 'http://127.0.0.1:9/v21.0',
      },
    });
    let n = 0;
    const say = async (channel: string, chatId: string, text: string) => {
      const o = await server.app.inbox.submit({ channel, chatId, senderId: chatId, channelMessageId: `wa-${++n}`, text, receivedAt: server.clock.now() });
      return o.status === 'replied' ? o.replies.map((r) => r.text).join('\n') : '';
    };
    try {
      await say('whatsapp_cloud', '255755000999', 'habari');
      expect(await say('webchat', 'wc-wa-1', 'unganisha namba yangu 0755 000 999')).toContain('kwa WhatsApp kwenda 0755 000 999');
      const [row] = await server.app.store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.outbox)
          .where(and(eq(tx.t.outbox.channel, 'whatsapp_cloud'), eq(tx.t.outbox.chatId, '255755000999')))
          .orderBy(desc(tx.t.outbox.id)),
      );
      const code = /(\d{6})/.exec((row?.body as { text: string } | undefined)?.text ?? '')?.[1] ?? '';
      expect(await say('webchat', 'wc-wa-1', code)).toContain('imethibitishwa');
      const [chatPerson, phonePerson] = await server.app.store.read(async (tx) => [
        (await tx.orm.select().from(tx.t.identities).where(eq(tx.t.identities.externalId, 'wc-wa-1')))[0]?.personId,
        (await tx.orm.select().from(tx.t.identities).where(eq(tx.t.identities.externalId, '255755000999')))[0]?.personId,
      ]);
      expect(chatPerson).toBe(phonePerson);
      // A number that never wrote on WhatsApp cannot be reached there.
      expect(await say('webchat', 'wc-wa-2', 'unganisha namba yangu 0755 000 998')).toContain('hatuwezi kutuma namba ya uthibitisho');
    } finally {
      await server.close();
    }
  });
});

describe('phone identity without a channel that can carry a code', () => {
  it('says politely that a number cannot be linked now, and offers nothing after a form', async () => {
    const server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const say = async (text: string) => {
        const o = await server.app.inbox.submit({ channel: 'webchat', chatId: 'wc-none-1', senderId: 'wc-none-1', channelMessageId: `none-${text}`, text, receivedAt: server.clock.now() });
        return o.status === 'replied' ? o.replies.map((r) => r.text).join('\n') : '';
      };
      expect(await say('unganisha namba yangu 0755 000 888')).toContain('hatuwezi kutuma namba ya uthibitisho');
      const outbox = await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox));
      expect(outbox).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
