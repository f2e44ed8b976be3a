import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { ShiftedClock } from '../../bot/sla/clock.ts';
import { createApp } from '../../channels/app.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';
import { APP_SECRET, PHONE_NUMBER_ID, sign, text, VERIFY_TOKEN, webhook } from './whatsapp-cloud-fixture.ts';

// The Cloud API as production wires it (createApp from the settings): a reply goes out
// through the outbox, its wamid is kept on the row, and a `failed` status webhook marks
// that row failed with Meta's reason, where staff see failed messages.
describe.each(BACKENDS)('WhatsApp Cloud API in the app on %s', (backend) => {
  it('keeps the sent message id on the outbox row and records a failed status there', async () => {
    const sent: { type: string }[] = [];
    const graph = new Hono();
    graph.post('/v21.0/:phone/messages', async (c) => {
      sent.push((await c.req.json()) as { type: string });
      return c.json({ messaging_product: 'whatsapp', messages: [{ id: `wamid.APP${sent.length}` }] });
    });
    const stub = serve({ fetch: graph.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => stub.once('listening', () => r()));
    const app = await createApp(
      loadConfig({
        ...(await databaseEnv(backend, join(mkdtempSync(join(tmpdir(), 'huduma-cloud-app-')), 'huduma.db'))),
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test-token',
        WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
        WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
        WHATSAPP_CLOUD_API_ROOT: `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v21.0`,
      }),
      new ShiftedClock('2026-11-23T08:00:00Z'),
      pino({ level: 'silent' }),
    );
    await app.start();
    const post = (payload: object) => {
      const raw = JSON.stringify(payload);
      return app.http.request('/whatsapp/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': sign(raw) }, body: raw });
    };
    expect((await post(webhook({ messages: [text('255712000111', 'habari')] }))).status).toBe(200);
    const rows = () => app.store.read((tx) => tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.channel, 'whatsapp_cloud')).orderBy(tx.t.outbox.id));
    for (let i = 0; i < 200 && (await rows()).some((r) => r.status !== 'sent'); i++) await new Promise((r) => setTimeout(r, 100));
    // The greeting, then the privacy notice (the person's first answer).
    expect((await rows()).map((r) => [r.status, r.providerId, r.deliveryStatus])).toEqual([
      ['sent', 'wamid.APP1', 'sent'],
      ['sent', 'wamid.APP2', 'sent'],
    ]);
    const failed = { id: 'wamid.APP1', status: 'failed', timestamp: '1795392100', recipient_id: '255712000111', errors: [{ code: 131026, title: 'Message undeliverable' }] };
    expect((await post(webhook({ statuses: [{ id: 'wamid.APP1', status: 'delivered', timestamp: '1795392050', recipient_id: '255712000111' }] }))).status).toBe(200);
    expect((await post(webhook({ statuses: [failed] }))).status).toBe(200);
    expect((await rows())[0]).toMatchObject({ status: 'failed', deliveryStatus: 'failed', lastError: '131026 Message undeliverable' });

    // Meta says a reply fell outside the 24-hour window: it is sent again, as the approved template.
    expect((await post(webhook({ messages: [text('255712000222', 'habari')] }))).status).toBe(200);
    // Meta reports on a message seconds after it is sent; wait until the worker has recorded the send.
    // (Both of its first answer's messages: the greeting, APP3, and the privacy notice, APP4.)
    for (let i = 0; i < 200 && !(await rows()).some((r) => r.providerId === 'wamid.APP4'); i++) await new Promise((r) => setTimeout(r, 100));
    const closed = { id: 'wamid.APP3', status: 'failed', timestamp: '1795392100', recipient_id: '255712000222', errors: [{ code: 131047, title: 'Re-engagement message' }] };
    expect((await post(webhook({ statuses: [closed] }))).status).toBe(200);
    for (let i = 0; i < 200 && sent.length < 5; i++) await new Promise((r) => setTimeout(r, 100));
    expect(sent.map((m) => m.type)).toEqual(['text', 'text', 'text', 'text', 'template']);
    await app.close();
    stub.close();
  }, 60_000);
});
