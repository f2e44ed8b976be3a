import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppCloudChannel } from '../../channels/whatsapp-cloud/cloud.ts';
import { findConversation } from '../../db/queries/conversations.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { translator } from '../../locales/index.ts';
import { BACKENDS } from '../support/databases.ts';
import { ACCESS_TOKEN, PHONE_NUMBER_ID, startCloudFixture, text, webhook, type CloudFixture } from './whatsapp-cloud-fixture.ts';

describe.each(BACKENDS)('WhatsApp Cloud API out on %s', (backend) => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture(backend);
  });
  afterAll(() => f.close());

  const HOURS_25 = 25 * 60 * 60 * 1000;
  /** A channel whose every chat wrote just now (inside the window), for what does not depend on the window. */
  const openChannel = () => new WhatsAppCloudChannel(f.channelOptions({ lastInboundAt: async () => f.server.clock.now() }));

  describe('the 24-hour window for a proactive notice', () => {
    const breach = translator('sw')('sla.breach_customer', { reference: 'ICT-2026-000009', service: 'Barua pepe', promise: 'siku 1 ya kazi' });
    /** Queues a notice the way the SLA watch does: in the outbox, unasked. */
    async function queueNotice(chatId: string): Promise<void> {
      await f.server.app.store.transaction(async (tx) => {
        const conversation = await findConversation(tx, 'whatsapp_cloud', chatId);
        if (!conversation) throw new Error('no conversation');
        await insertReplies(tx, { conversationId: conversation.id, channel: 'whatsapp_cloud', chatId, replies: [{ text: breach }], at: f.server.clock.now(), viaOutbox: true });
      });
    }

    it("free text inside the window; the template, in the person's language, 25 hours after their last message", async () => {
      const chat = '255711000007';
      await f.post(webhook({ messages: [text(chat, 'habari')] }));
      await f.flush();
      await queueNotice(chat);
      await f.flush();
      expect(f.sentTo(chat).at(-1)?.body).toMatchObject({ type: 'text', text: { body: breach } });
      f.server.clock.advance(HOURS_25);
      await queueNotice(chat);
      await f.flush();
      expect(f.sentTo(chat).at(-1)?.body).toMatchObject({
        type: 'template',
        template: { name: 'huduma_notice', language: { code: 'sw' }, components: [{ type: 'body', parameters: [{ type: 'text', text: breach }] }] },
      });
    });

    it('an English speaker gets the English template', async () => {
      const chat = '255711000008';
      await f.post(webhook({ messages: [text(chat, 'hello, my email is not working since yesterday')] }));
      await f.flush();
      f.server.clock.advance(HOURS_25);
      await queueNotice(chat);
      await f.flush();
      expect(f.sentTo(chat).at(-1)?.body.template).toMatchObject({ name: 'huduma_notice', language: { code: 'en_US' } });
    });

    it('when Meta says the window is closed (131047), the same notice goes at once as the template', async () => {
      const c = openChannel();
      expect(await c.send('255700000047', { text: breach })).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^wamid\./) });
      expect(f.sentTo('255700000047').map((r) => r.body.type)).toEqual(['text', 'template']);
      // Meta's word stands for this chat until the person writes again.
      await c.send('255700000047', { text: 'tena' });
      expect(f.sentTo('255700000047').map((r) => r.body.type)).toEqual(['text', 'template', 'template']);
    });
  });

  describe('delivery statuses', () => {
    it('records a failed status webhook, with its code and title, against the message it is about', async () => {
      const chat = '255711000009';
      expect(await openChannel().send(chat, { text: 'Ombi lako limepokelewa' })).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^wamid\./) });
      const wamid = `wamid.TEST${f.sent.length}`;
      expect(f.deliveries.get(wamid)).toEqual({ chatId: chat });
      const status = (s: string, extra: object = {}) => ({ id: wamid, status: s, timestamp: '1795392100', recipient_id: chat, ...extra });
      expect((await f.post(webhook({ statuses: [status('sent')] }))).status).toBe(200);
      expect(f.deliveries.get(wamid)?.status).toBe('sent');
      const failed = status('failed', { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'x' } }] });
      expect((await f.post(webhook({ statuses: [failed] }))).status).toBe(200);
      expect(f.deliveries.get(wamid)).toEqual({ chatId: chat, status: 'failed', error: { code: 131026, title: 'Message undeliverable' } });
    });

    it('a failed 131047 status closes the window: the next message to that chat goes as the template', async () => {
      const chat = '255711000011';
      // The person wrote (so by our record the window is open), and our answer went as text...
      await f.post(webhook({ messages: [text(chat, 'habari')] }));
      await f.flush();
      const answered = f.sentTo(chat).length;
      expect(f.sentTo(chat).every((r) => r.body.type !== 'template')).toBe(true);
      // ...but Meta, counting from its own clock, refused it.
      const refused = { id: `wamid.TEST${f.sent.length}`, status: 'failed', timestamp: '1795392100', recipient_id: chat, errors: [{ code: 131047, title: 'Re-engagement message' }] };
      expect((await f.post(webhook({ statuses: [refused] }))).status).toBe(200);
      await f.channel.send(chat, { text: 'pili' });
      expect(
        f
          .sentTo(chat)
          .slice(answered)
          .map((r) => r.body.type),
      ).toEqual(['template']);
    });
  });

  describe('Graph errors, as the outbox sees them', () => {
    it('429 → retry after a minute, invalid recipient → failed, 5xx and no network → retry', async () => {
      const c = openChannel();
      expect(await c.send('255700000429', { text: 'x' })).toEqual({ status: 'retry', reason: 'graph 429 (#130429) Rate limit hit', afterMs: 60_000 });
      expect(await c.send('255700000026', { text: 'x' })).toEqual({ status: 'failed', reason: 'graph 400 (#131026) Message undeliverable' });
      expect((await c.send('255700000051', { text: 'x' })).status).toBe('failed');
      expect((await c.send('255700000500', { text: 'x' })).status).toBe('retry');
      const offline = new WhatsAppCloudChannel(f.channelOptions({ graph: { apiRoot: 'http://127.0.0.1:9', phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN } }));
      expect((await offline.send('255711000010', { text: 'x' })).status).toBe('retry');
    });

    it('logs no phone number and no message text, even at debug level', () => {
      const all = f.logLines.join('\n');
      expect(f.logLines.length).toBeGreaterThan(0);
      expect(all).not.toMatch(/2557\d{8}/);
      expect(all).not.toMatch(/habari|hello|Ombi lako|kwanza/);
    });
  });
});
