import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRow } from '../../../db/queries/staff.ts';
import { startTestServer, type TestServer } from '../../support/app.ts';
import { SINZA, webPerson } from '../../support/announcements.ts';
import { PHONE_CHANNELS_ENV } from '../../support/citizen.ts';
import { BACKENDS } from '../../support/databases.ts';
import { addStaffToken } from '../../support/staff.ts';

// A notice to 10,000 subscribers (USSD users, told by SMS): the leader's
// sender queues them 500 to a transaction, one batch a look, so a person
// writing meanwhile is answered between two batches; the SMS rows keep to
// half the SMS pace from one batch to the next (the outbox sends the oldest
// first, so conversations' replies keep their turn); two senders at once
// tell each chat once.

const SUBSCRIBERS = 10_000;
const BATCH = 500;
const REASON = { sw: 'Kubadilisha transfoma.', en: 'Replacing a transformer.' };

describe.each(BACKENDS)('a planned outage with 10,000 subscribers on %s', (backend) => {
  let server: TestServer;
  let supervisor: StaffRow;

  beforeAll(async () => {
    server = await startTestServer({ backend, env: { ...PHONE_CHANNELS_ENV, CHARTER: 'utility', ANNOUNCEMENT_BATCH_SIZE: String(BATCH) } });
    const { token } = await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor');
    supervisor = (await server.app.desk.authenticate(token)) as StaffRow;
    const now = server.clock.now();
    // Subscribers written straight in, as 10,000 USSD sessions would leave them: each an SMS chat, in Sinza or a street of it.
    await server.app.store.transaction(async (tx) => {
      for (let from = 0; from < SUBSCRIBERS; from += BATCH) {
        const n = Math.min(BATCH, SUBSCRIBERS - from);
        const phones = Array.from({ length: n }, (_, k) => `+2557130${String(from + k).padStart(5, '0')}`);
        const people = await tx.orm
          .insert(tx.t.people)
          .values(phones.map((phone, k) => ({ locale: (from + k) % 3 === 0 ? ('en' as const) : ('sw' as const), phone, createdAt: now })))
          .returning({ id: tx.t.people.id });
        const chats = await tx.orm
          .insert(tx.t.conversations)
          .values(people.map((p, k) => ({ personId: p.id, channel: 'sms', chatId: phones[k] ?? '', state: {}, updatedAt: now })))
          .returning({ id: tx.t.conversations.id });
        await tx.orm
          .insert(tx.t.announcementSubscriptions)
          .values(chats.map((c, k) => ({ conversationId: c.id, area: (from + k) % 2 === 0 ? SINZA : `${SINZA}/sinza-mori`, areaLabel: 'Sinza', createdAt: now })));
      }
    });
  }, 180_000);
  afterAll(() => server?.close());

  const smsRows = (after = 0) =>
    server.app.store.read((tx) =>
      tx.orm
        .select({ id: tx.t.outbox.id, chatId: tx.t.outbox.chatId, nextTryAt: tx.t.outbox.nextTryAt, body: tx.t.outbox.body })
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'sms'), gt(tx.t.outbox.id, after)))
        .orderBy(asc(tx.t.outbox.id)),
    );
  const notices = (kind: 'before' | 'ended') =>
    server.app.store.read(async (tx) => {
      const [row] = await tx.orm
        .select({ n: sql<number>`count(*)`.mapWith(Number), chats: sql<number>`count(distinct ${tx.t.announcementNotices.conversationId})`.mapWith(Number) })
        .from(tx.t.announcementNotices)
        .where(eq(tx.t.announcementNotices.kind, kind));
      return row;
    });

  it('enqueues them 500 a transaction, a person writing between two batches is answered, and the rows keep half the SMS pace throughout', async () => {
    const published = await server.app.desk.announcements.publish(supervisor, { area: 'Sinza', day: '2026-11-23', from: '14:00', to: '16:00', reason: REASON });
    expect(published.status).toBe('published');
    const at = server.clock.now().getTime();
    const person = await webPerson(() => server);
    for (let k = 1; k <= SUBSCRIBERS / BATCH; k++) {
      const look = await server.app.announcements.sweep();
      expect(look).toEqual({ told: BATCH, more: true });
      expect((await smsRows()).length).toBe(k * BATCH);
      // Between two batches, a conversation's turn is taken and answered.
      const said = await person.say(k % 2 === 0 ? 'habari' : 'huduma zenu ni zipi?');
      expect(said.length).toBeGreaterThan(0);
    }
    expect(await server.app.announcements.sweep()).toEqual({ told: 0, more: false });
    const rows = await smsRows();
    expect(rows).toHaveLength(SUBSCRIBERS);
    expect(new Set(rows.map((r) => r.chatId)).size).toBe(SUBSCRIBERS);
    expect(await notices('before')).toEqual({ n: SUBSCRIBERS, chats: SUBSCRIBERS });
    const texts = rows.map((r) => (r.body as { text: string }).text);
    expect(texts.filter((t) => t.startsWith('TAARIFA YA KATIZO LA UMEME: Sinza')).length).toBe(SUBSCRIBERS - Math.ceil(SUBSCRIBERS / 3));
    expect(texts.filter((t) => t.startsWith('PLANNED POWER INTERRUPTION: Sinza')).length).toBe(Math.ceil(SUBSCRIBERS / 3));
    // SMS goes at 10 a second; the notice takes 5 of it, the k-th row 200 ms after the one before, across batches.
    const offsets = rows.map((r) => r.nextTryAt.getTime() - at);
    expect(offsets[0]).toBe(0);
    expect(offsets[BATCH]).toBe(BATCH * 200);
    expect(offsets.at(-1)).toBe((SUBSCRIBERS - 1) * 200);
    expect(offsets.every((o, i) => i === 0 || o > (offsets[i - 1] ?? 0))).toBe(true);
  }, 180_000);

  it('when it ends, two senders at once tell each chat once', async () => {
    const last = (await smsRows()).at(-1)?.id ?? 0;
    server.clock.set('2026-11-23T13:00:00Z');
    const loop = async () => {
      let told = 0;
      for (;;) {
        const look = await server.app.announcements.sweep();
        told += look.told;
        if (!look.more) return told;
      }
    };
    const [a, b] = await Promise.all([loop(), loop()]);
    expect(a + b).toBe(SUBSCRIBERS);
    const ended = await smsRows(last);
    expect(ended).toHaveLength(SUBSCRIBERS);
    expect(new Set(ended.map((r) => r.chatId)).size).toBe(SUBSCRIBERS);
    expect(ended.every((r) => /^(UMEME UMEREJEA|POWER RESTORED): /.test((r.body as { text: string }).text))).toBe(true);
    expect(await notices('ended')).toEqual({ n: SUBSCRIBERS, chats: SUBSCRIBERS });
  }, 180_000);
});
