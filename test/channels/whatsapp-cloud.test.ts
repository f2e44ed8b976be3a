import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/databases.ts';
import { ACCESS_TOKEN, fromPerson, PHONE_NUMBER_ID, sign, startCloudFixture, text, VERIFY_TOKEN, webhook, type CloudFixture } from './whatsapp-cloud-fixture.ts';

describe.each(BACKENDS)('WhatsApp Cloud API on %s', (backend) => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture(backend);
  });
  afterAll(() => f.close());

  const rowsFor = async (chat: string) => (await f.cloudRows()).filter((r) => r.chatId === chat);

  describe('webhook verification', () => {
    const verify = (token: string) => fetch(`${f.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    it('echoes the challenge when the token matches, 403 otherwise', async () => {
      const good = await verify(VERIFY_TOKEN);
      expect(good.status).toBe(200);
      expect(await good.text()).toBe('1158201444');
      expect((await verify('guess')).status).toBe(403);
      expect((await fetch(`${f.url}/whatsapp/webhook?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
    });
    it('leaves the rest of the app where it was', async () => {
      expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
    });
  });

  describe('messages in, answers out through the Graph API', () => {
    it('answers a signed text message only after it is committed, as text, with the bearer token', async () => {
      const res = await f.post(webhook({ messages: [text('255711000001', 'habari')] }));
      expect(res.status).toBe(200);
      // Already committed when Meta got its 200: the reply is queued.
      expect((await rowsFor('255711000001')).length).toBeGreaterThan(0);
      await f.flush();
      const replies = f.sentTo('255711000001');
      expect(replies[0]).toMatchObject({ path: `/v21.0/${PHONE_NUMBER_ID}/messages`, authorization: `Bearer ${ACCESS_TOKEN}`, body: { messaging_product: 'whatsapp', type: 'text' } });
      expect(replies.map((r) => r.body.text?.body ?? r.body.interactive?.body.text).join(' ')).toMatch(/karibu/i);
    });

    it('offers the menu after "msaada" as a list, and takes a list row back as its number', async () => {
      await f.post(webhook({ messages: [text('255711000002', 'msaada')] }));
      await f.flush();
      const menu = f.sentTo('255711000002').find((r) => r.body.type === 'interactive');
      const rows = menu?.body.interactive?.action.sections?.[0]?.rows ?? [];
      expect(menu?.body.interactive?.type).toBe('list');
      expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4']);
      const row = fromPerson('255711000002', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: '2', title: rows[1]?.title } } });
      expect((await f.post(webhook({ messages: [row] }))).status).toBe(200);
      expect(f.delivered.at(-1)?.text).toBe('2');
    });

    it('takes a person to a reference number, the confirmation as reply buttons answered by button', async () => {
      const chat = '255711000003';
      for (const words of ['barua pepe yangu haifanyi kazi tangu jana', 'Masjala, jengo A', '0754 123 456']) {
        expect((await f.post(webhook({ messages: [text(chat, words)] }))).status).toBe(200);
        await f.flush();
      }
      const confirm = f.sentTo(chat).at(-1);
      expect(confirm?.body.interactive).toMatchObject({ type: 'button', body: { text: expect.stringMatching(/Je, taarifa hizi ni sahihi\?/) } });
      expect(confirm?.body.interactive?.action.buttons).toEqual([
        { type: 'reply', reply: { id: '1', title: 'Ndiyo, wasilisha' } },
        { type: 'reply', reply: { id: '2', title: 'Badilisha taarifa' } },
        { type: 'reply', reply: { id: '3', title: 'Ghairi' } },
      ]);
      await f.post(webhook({ messages: [fromPerson(chat, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: '1', title: 'Ndiyo, wasilisha' } } })] }));
      await f.flush();
      expect(f.sentTo(chat).at(-1)?.body.text?.body).toMatch(/ICT-2026-\d{6}/);
    });

    it('keeps a photo and a location as attachments', async () => {
      const photo = fromPerson('255711000004', { type: 'image', image: { id: 'MEDIA-77', mime_type: 'image/jpeg', sha256: 'abc', caption: 'printa imeharibika' } });
      const place = fromPerson('255711000004', { type: 'location', location: { latitude: -6.7924, longitude: 39.2083, name: 'Ofisi' } });
      expect((await f.post(webhook({ messages: [photo, place] }))).status).toBe(200);
      expect(f.delivered.slice(-2).map((m) => m.attachments)).toEqual([
        [{ kind: 'photo', fileId: 'MEDIA-77', caption: 'printa imeharibika' }],
        [{ kind: 'location', latitude: -6.7924, longitude: 39.2083 }],
      ]);
      const stored = (await f.inboundOf('255711000004')).map((m) => m.attachments);
      expect(stored).toContainEqual([{ kind: 'photo', fileId: 'MEDIA-77', caption: 'printa imeharibika' }]);
      expect(stored).toContainEqual([{ kind: 'location', latitude: -6.7924, longitude: 39.2083 }]);
    });

    it('answers a message Meta posts twice only once', async () => {
      const twice = webhook({ messages: [text('255711000005', 'habari')] });
      expect((await f.post(twice)).status).toBe(200);
      const queued = (await rowsFor('255711000005')).length;
      expect((await f.post(twice)).status).toBe(200);
      expect(await rowsFor('255711000005')).toHaveLength(queued);
      await f.flush();
      expect(f.sentTo('255711000005')).toHaveLength(queued);
    });
  });

  describe('refused posts', () => {
    const body = webhook({ messages: [text('255711000006', 'habari')] });
    const count = async () => (await f.server.app.store.read((tx) => tx.orm.select({ id: tx.t.messages.id }).from(tx.t.messages))).length;
    it('a missing or wrong signature: 401, nothing stored', async () => {
      const before = await count();
      expect((await f.post(body, null)).status).toBe(401);
      expect((await f.post(body, sign(JSON.stringify(body), 'another-secret'))).status).toBe(401);
      // Signed, then changed on the way: the signature covers the exact bytes.
      expect((await f.post(JSON.stringify(body).replace('habari', 'hacked'), sign(JSON.stringify(body)))).status).toBe(401);
      expect(await count()).toBe(before);
      expect(await rowsFor('255711000006')).toHaveLength(0);
    });
    it('not JSON, or not a WhatsApp payload: 400', async () => {
      expect((await f.post('{"object": ')).status).toBe(400);
      expect((await f.post({ object: 'page', entry: [] })).status).toBe(400);
    });
    it('a body over 512 KB: 413, before the signature is even computed', async () => {
      // Without a socket: a server answering before it read the whole body leaves a keep-alive connection unusable for the next test.
      const big = JSON.stringify({ pad: 'a'.repeat(600 * 1024) });
      const res = await f.app.request('/whatsapp/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': sign(big) }, body: big });
      expect(res.status).toBe(413);
    });
  });
});
