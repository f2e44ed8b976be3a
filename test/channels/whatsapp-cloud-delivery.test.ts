import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/sla/clock.ts';
import { OutboxDeliveryLog } from '../../channels/whatsapp-cloud/delivery.ts';
import { chatLookupsOf } from '../../channels/whatsapp-cloud/settings.ts';
import { findOrCreateConversation } from '../../db/queries/conversations.ts';
import { insertInbound } from '../../db/queries/messages.ts';
import { outboxRow } from '../../db/queries/outbox.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshStore } from '../support/databases.ts';

// What the Cloud channel keeps and reads in the database, without the app:
// status webhooks on the outbox row that sent the message, and the chat's
// window and language.
describe.each(BACKENDS)('WhatsApp Cloud API storage on %s', (backend) => {
  const clock = new ManualClock('2026-11-23T08:00:00Z');
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend, join(mkdtempSync(join(tmpdir(), 'huduma-cloud-store-')), 'huduma.db'));
  });
  afterAll(() => store.close());

  /** An outbox row sent with this wamid, as the worker leaves it. */
  async function sentRow(wamid: string): Promise<number> {
    const now = clock.now();
    const [row] = await store.transaction((tx) =>
      tx.orm
        .insert(tx.t.outbox)
        .values({ channel: 'whatsapp_cloud', chatId: '255711000001', body: { text: 'x' }, status: 'sent', nextTryAt: now, createdAt: now, sentAt: now, providerId: wamid, deliveryStatus: 'sent' })
        .returning(),
    );
    return row?.id ?? 0;
  }
  const row = (id: number) => store.read((tx) => outboxRow(tx, id));

  it('records statuses on the row that sent the message, never going back, a failure with its reason', async () => {
    const log = new OutboxDeliveryLog(store, clock);
    const id = await sentRow('wamid.D1');
    await log.record('wamid.D1', 'read');
    await log.record('wamid.D1', 'delivered'); // arrived late: read stands
    expect(await row(id)).toMatchObject({ status: 'sent', deliveryStatus: 'read' });
    await log.record('wamid.D1', 'failed', { code: 131026, title: 'Message undeliverable' });
    expect(await row(id)).toMatchObject({ status: 'failed', deliveryStatus: 'failed', lastError: '131026 Message undeliverable' });
    await log.record('wamid.unknown', 'delivered'); // not ours: nothing to do
  });

  it('sends a message refused as outside the window (131047) again', async () => {
    const id = await sentRow('wamid.D2');
    await new OutboxDeliveryLog(store, clock).record('wamid.D2', 'failed', { code: 131047, title: 'Re-engagement message' });
    expect(await row(id)).toMatchObject({ status: 'pending', nextTryAt: clock.now(), providerId: null, deliveryStatus: null, lastError: '131047 Re-engagement message' });
  });

  it("answers when the person last wrote, and in which language, from the chat's conversation", async () => {
    const lookups = chatLookupsOf(store);
    expect(await lookups.lastInboundAt('255711000002')).toBeUndefined();
    expect(await lookups.localeOf('255711000002')).toBeUndefined();
    const at = clock.now();
    await store.transaction(async (tx) => {
      const { conversation } = await findOrCreateConversation(tx, { channel: 'whatsapp_cloud', chatId: '255711000002', senderId: '255711000002' }, 'en', at);
      await insertInbound(tx, { conversationId: conversation.id, channel: 'whatsapp_cloud', channelMessageId: 'wamid.IN-D3', text: 'hello', at });
    });
    expect(await lookups.lastInboundAt('255711000002')).toEqual(at);
    expect(await lookups.localeOf('255711000002')).toBe('en');
  });
});
