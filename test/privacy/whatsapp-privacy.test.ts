import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPerson, startCloudFixture, text, webhook, type CloudFixture } from '../channels/whatsapp-cloud-fixture.ts';
import { BACKENDS } from '../support/databases.ts';
import { scanDatabase } from '../support/scan.ts';

// The same rights on WhatsApp (Meta's Cloud API, through its Graph stand-in):
// the notice after the first answer, once; "nipe taarifa zangu" answered at
// once (WhatsApp proves the number); "futa taarifa zangu" erased on the reply
// button, the goodbye delivered after the erasure, and nothing of the person
// left once it is sent and the daily retention run has emptied what was sent.

describe.each(BACKENDS)('privacy on WhatsApp (Cloud API) on %s', (backend) => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture(backend);
  });
  afterAll(() => f.close());

  const said = (chat: string) => f.sentTo(chat).map((r) => r.body.text?.body ?? r.body.interactive?.body.text ?? '');
  async function say(chat: string, words: string): Promise<string[]> {
    const before = f.sentTo(chat).length;
    expect((await f.post(webhook({ messages: [text(chat, words)] }))).status).toBe(200);
    await f.flush();
    return said(chat).slice(before);
  }

  it('tells the notice once, answers "what do you hold" at once, and erases on the button', async () => {
    const chat = '255788000401';
    const first = await say(chat, 'habari');
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/karibu/i);
    expect(first[1]).toMatch(/^Kuhusu faragha yako: Kitengo cha TEHAMA/);
    expect((await say(chat, 'asante sana')).join('\n')).not.toContain('Kuhusu faragha yako');

    const summary = await say(chat, 'nipe taarifa zangu');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatch(/^Hizi ndizo taarifa zako tunazohifadhi:\n/);
    expect(summary[0]).toContain('• Njia ulizotumia kuwasiliana nasi: WhatsApp.');

    await say(chat, 'futa taarifa zangu');
    const question = f.sentTo(chat).at(-1);
    expect(question?.body.interactive?.body.text).toMatch(/^Taarifa zako zikifutwa, jina lako/);
    expect(question?.body.interactive?.action.buttons).toEqual([
      { type: 'reply', reply: { id: '1', title: 'Ndiyo, zifutwe' } },
      { type: 'reply', reply: { id: '2', title: 'Hapana, zibaki' } },
    ]);
    const before = f.sentTo(chat).length;
    await f.post(webhook({ messages: [fromPerson(chat, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: '1', title: 'Ndiyo, zifutwe' } } })] }));
    await f.flush();
    // The chat is no longer known by its number, so the channel finds no open 24-hour window and sends the goodbye in its notice template.
    const goodbye = f.sentTo(chat).slice(before);
    expect(goodbye.map((r) => (r.body.template?.components as { parameters?: { text?: string }[] }[] | undefined)?.[0]?.parameters?.[0]?.text ?? r.body.text?.body)).toEqual([
      expect.stringMatching(/^Taarifa zako zimefutwa\./),
    ]);

    // Sent: the goodbye's row is emptied by the daily run (H3's retention job), and then nothing holds the number or the words.
    await f.server.app.retention.run();
    expect((await scanDatabase(f.server, [chat.slice(3), 'asante sana'])).found).toEqual([]);
    // A later message from the same number is a new person, told the notice again.
    expect((await say(chat, 'habari')).at(-1)).toMatch(/^Kuhusu faragha yako/);
  });
});
