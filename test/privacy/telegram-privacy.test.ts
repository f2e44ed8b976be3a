import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { PHONE_CHANNELS_ENV } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { scanDatabase } from '../support/scan.ts';

// A Telegram account proves no phone number: like a web chat session, it is
// told how to prove one, and sees and erases what it gave itself. Messages
// are handed to the inbox as the Telegram channel hands them (its transport
// is tested in test/channels/telegram.test.ts).

const USER = '918273645';

describe.each(BACKENDS)('privacy on Telegram on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
  });
  afterAll(() => server?.close());

  let n = 0;
  async function say(text: string): Promise<string[]> {
    const message: InboundMessage = { channel: 'telegram', chatId: USER, senderId: USER, channelMessageId: `tg-${backend}-${++n}`, text, receivedAt: server.clock.now() };
    const outcome = await server.app.inbox.submit(message);
    return outcome.status === 'handed_off' ? [] : outcome.replies.map((r) => r.text);
  }

  it('the notice once; what this account gave, with how to prove a number; erased after a yes, then a new person', async () => {
    const first = await say('habari za asubuhi');
    expect(first.at(-1)).toMatch(/^Kuhusu faragha yako/);
    expect((await say('Je, mvua itanyesha kesho huko Dodoma')).join('\n')).not.toContain('Kuhusu faragha yako');

    const held = await say('nipe taarifa zangu');
    expect(held[0]).toMatch(/^Kwa usalama wa taarifa zako, tafadhali kwanza thibitisha namba yako ya simu/);
    expect(held[1]).toMatch(/^Kwa sasa ninaweza kukuonyesha taarifa ulizotupatia kwenye mazungumzo haya pekee:\n/);
    expect(held[1]).toContain('• Njia ulizotumia kuwasiliana nasi: Telegram.');

    const asked = await say('futa taarifa zangu');
    expect(asked[1]).toMatch(/^Kabla namba yako ya simu haijathibitishwa, ninaweza kufuta taarifa za mazungumzo haya pekee\. Taarifa zako zikifutwa,/);
    expect(await say('ndiyo')).toEqual([expect.stringMatching(/^Taarifa zako zimefutwa\./)]);
    expect((await scanDatabase(server, ['mvua itanyesha kesho', 'habari za asubuhi'])).found).toEqual([]);
    const identities = await server.app.store.read((tx) => tx.orm.select().from(tx.t.identities).where(eq(tx.t.identities.externalId, USER)));
    expect(identities).toEqual([]);

    expect((await say('habari')).at(-1)).toMatch(/^Kuhusu faragha yako/);
  });
});
