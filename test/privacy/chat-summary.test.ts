import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { chat, fileByChat, fileByUssd, openWebchat, PHONE_CHANNELS_ENV, provePhone, queuedTo, smsIn } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';

// "nipe taarifa zangu" (PDPA 2022, the right to know), as a citizen asks it.
// SMS proves the phone: the answer comes at once. A web chat session proves
// nothing: it is told how to prove its number, and is shown only what it gave
// itself; once the number is proved with a code, everything held under it.

const PROOF_NEEDED = /^Kwa usalama wa taarifa zako, tafadhali kwanza thibitisha namba yako ya simu/;

describe.each(BACKENDS)('"what do you hold about me?" on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
  });
  afterAll(() => server?.close());

  it('web chat: before proof, how to prove the number and what this chat gave; after proof, everything under the number', async () => {
    const phone = '+255755000881';
    const byUssd = await fileByUssd(server, 'summary-ussd', phone, 'Mtandao umekatika Masjala');
    const session = await openWebchat(server);
    const inChat = await fileByChat(server, session, 'barua pepe yangu haifanyi kazi tangu jana', { office: 'Idara ya Fedha, chumba 3', phone: '0755 000 881' });
    expect([byUssd, inChat]).toEqual([expect.stringMatching(/ICT-/), expect.stringMatching(/ICT-/)]);

    const before = await chat(server, session, 'nipe taarifa zangu');
    expect(before.replies).toHaveLength(2);
    expect(before.replies[0]?.text).toMatch(PROOF_NEEDED);
    const chatOnly = before.replies[1]?.text ?? '';
    expect(chatOnly.split('\n')[0]).toBe('Kwa sasa ninaweza kukuonyesha taarifa ulizotupatia kwenye mazungumzo haya pekee:');
    expect(chatOnly).toContain(`• Maombi (1): ${inChat} (Limepokelewa).`);
    expect(chatOnly).toContain('• Njia ulizotumia kuwasiliana nasi: tovuti (web chat).');
    // The number typed in the form opens nothing: the phone's request is not shown, nor any of the data itself.
    for (const hidden of [byUssd, '0755', 'Idara ya Fedha', 'Mtandao umekatika']) expect(before.text).not.toContain(hidden);

    await provePhone(server, session, '0755 000 881', phone);
    const after = await chat(server, session, 'Mna taarifa gani kunihusu?');
    expect(after.replies).toHaveLength(1);
    const lines = after.text.split('\n');
    expect(lines[0]).toBe('Hizi ndizo taarifa zako tunazohifadhi:');
    expect(lines).toContain('• Taarifa za mawasiliano: namba ya simu.');
    expect(after.text).toMatch(/• Njia ulizotumia kuwasiliana nasi: .*SMS.*USSD.*tovuti \(web chat\)/);
    expect(after.text).toContain(`• Maombi (2): ${byUssd} (Limepokelewa) na ${inChat} (Limepokelewa).`);
    for (const hidden of ['0755', 'Idara ya Fedha', 'Mtandao umekatika']) expect(after.text).not.toContain(hidden);
    // In English when asked in English; the session stays where it was (no notice again, nothing else changes).
    const english = await chat(server, session, 'What data do you hold about me?');
    expect(english.text.split('\n')[0]).toBe('This is what we hold about you:');
    expect(english.text).toContain(`• Requests (2): ${byUssd} (`);
    expect(english.text).not.toContain('About your privacy');
  });

  it('SMS: the summary at once, by SMS, in the language asked', async () => {
    const phone = '+255755000882';
    await smsIn(server, phone, 'habari');
    const reference = await fileByUssd(server, 'summary-sms', phone, 'Printa ya ofisi imeharibika');
    const sent = (await queuedTo(server, 'sms', phone)).length;
    await smsIn(server, phone, 'nipe taarifa zangu');
    const [summary, ...more] = (await queuedTo(server, 'sms', phone)).slice(sent);
    expect(more).toEqual([]);
    expect(summary?.split('\n')[0]).toBe('Hizi ndizo taarifa zako tunazohifadhi:');
    expect(summary).toContain(`• Maombi (1): ${reference} (Limepokelewa).`);
    expect(summary).not.toMatch(/thibitisha namba/);
    await smsIn(server, phone, 'show my data please');
    expect((await queuedTo(server, 'sms', phone)).at(-1)?.split('\n')[0]).toBe('This is what we hold about you:');
  });
});
