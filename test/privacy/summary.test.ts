import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasePerson } from '../../bot/privacy/erase.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { summaryOf, summaryText } from '../../bot/privacy/summary.ts';
import { translator } from '../../locales/index.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// What the chat will say to "nipe taarifa zangu" / "what data do you hold
// about me?" and "futa taarifa zangu": the services the engine calls inside
// its turn's transaction, on what a real conversation stored.

const REFERENCE = /ICT-2026-\d{6}/;
/** The ICT desk's form fields (the server's bundle): the phone given in the form is a kind held. */
const FIELDS = loadFlows().fields;

describe.each(BACKENDS)('what is held, for the chat, on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => server?.close());

  async function filed(): Promise<{ personId: number; reference: string }> {
    const session = ((await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId;
    let said = '';
    for (const text of ['barua pepe yangu haifanyi kazi tangu jana', 'Idara ya Fedha, chumba 3', '0713 000 444', 'ndiyo']) {
      const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      said = ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join(' ');
    }
    const reference = REFERENCE.exec(said)?.[0] ?? '';
    const request = (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference))))[0];
    return { personId: request?.personId ?? 0, reference };
  }

  it('tells the kinds and the counts, each request by reference and status, in Swahili and English, never the data itself', async () => {
    const { personId, reference } = await filed();
    const data = await server.app.store.read((tx) => summaryOf(tx, personId, server.clock.now()));
    const stored = await server.app.store.read(async (tx) => {
      const chats = await tx.orm.select().from(tx.t.conversations).where(eq(tx.t.conversations.personId, personId));
      return (
        await tx.orm
          .select()
          .from(tx.t.messages)
          .where(eq(tx.t.messages.conversationId, chats[0]?.id ?? 0))
      ).length;
    });
    expect(stored).toBeGreaterThanOrEqual(8);
    expect(data?.counts).toMatchObject({ requests: 1, messages: stored, conversations: 1, ratings: 0 });
    const sw = summaryText(data ?? never(), translator('sw'), FIELDS);
    expect(sw.split('\n')).toEqual([
      'Hizi ndizo taarifa zako tunazohifadhi:',
      // The phone was given in the form: the request keeps it, so it is said to be held.
      '• Taarifa za mawasiliano: namba ya simu.',
      '• Njia ulizotumia kuwasiliana nasi: tovuti (web chat).',
      `• Maombi (1): ${reference} (Limepokelewa).`,
      `• Jumbe za mazungumzo yetu: ${stored}.`,
      'Ukihitaji nakala kamili ya taarifa hizi, afisa wetu atakuandalia. Ukitaka zifutwe, andika "futa taarifa zangu".',
    ]);
    const en = summaryText(data ?? never(), translator('en'), FIELDS);
    expect(en).toContain(`• Requests (1): ${reference} (`);
    expect(en).toContain('• How you have written to us: the web chat.');
    expect(en).toContain('• Contact details: phone number.');
    for (const text of [sw, en]) for (const personal of ['Idara ya Fedha', '0713', 'barua pepe yangu haifanyi']) expect(text).not.toContain(personal);
  });

  it('erases inside the caller’s transaction and hands back the chats, to say goodbye on; what is left is nothing personal', async () => {
    const { personId, reference } = await filed();
    const outcome = await server.app.store.transaction((tx) => erasePerson(tx, personId, { actor: `person:${personId}`, now: server.clock.now() }));
    expect(outcome).toMatchObject({ status: 'erased', personId, alreadyErased: false, closed: [reference], requests: 1, locale: 'sw' });
    expect(outcome.status === 'erased' && outcome.conversations[0]?.channel).toBe('webchat');
    const left = await server.app.store.read((tx) => summaryOf(tx, personId, server.clock.now()));
    expect(left).toMatchObject({
      erasedAt: server.clock.now().toISOString(),
      contact: { name: null, phone: null, email: null },
      identities: [],
      requests: [{ reference, status: 'closed', details: {} }],
    });
    expect(left?.conversations[0]).toMatchObject({ chat: null, channel: 'webchat' });
    expect(left?.conversations[0]?.messages.every((m) => m.text === '')).toBe(true);
    // The goodbye said in the same turn, once sent, and whatever reached the chat since: emptied by the daily run.
    const chat = outcome.status === 'erased' ? outcome.conversations[0] : undefined;
    await server.app.store.transaction(async (tx) => {
      await insertReplies(tx, {
        conversationId: chat?.id ?? 0,
        channel: 'telegram',
        chatId: 'goodbye-chat-42',
        replies: [{ text: translator('sw')('privacy.erase.done') }],
        at: server.clock.now(),
        viaOutbox: true,
      });
      await tx.orm.update(tx.t.outbox).set({ status: 'sent', sentAt: server.clock.now() }).where(eq(tx.t.outbox.chatId, 'goodbye-chat-42'));
    });
    server.clock.advance(86_400_000);
    expect((await server.app.retention.run()).scrubbed).toBeGreaterThanOrEqual(2);
    const after = await server.app.store.read(async (tx) => ({
      messages: await tx.orm
        .select()
        .from(tx.t.messages)
        .where(eq(tx.t.messages.conversationId, chat?.id ?? 0)),
      outbox: await tx.orm
        .select()
        .from(tx.t.outbox)
        .where(eq(tx.t.outbox.conversationId, chat?.id ?? 0)),
    }));
    expect(after.messages.filter((m) => m.text !== '')).toEqual([]);
    expect(after.outbox.filter((o) => o.chatId !== '')).toEqual([]);
    // Erasing again is harmless: nothing more to close, and it says it was done before.
    const again = await server.app.store.transaction((tx) => erasePerson(tx, personId, { actor: `person:${personId}`, now: server.clock.now() }));
    expect(again).toMatchObject({ status: 'erased', alreadyErased: true, closed: [] });
    expect(await server.app.store.transaction((tx) => erasePerson(tx, 999_999, { actor: 'x', now: server.clock.now() }))).toEqual({ status: 'not_found' });
  });

  it('has a notice for the first answer and a short one for USSD, naming the period', () => {
    for (const locale of ['sw', 'en'] as const) {
      const t = translator(locale);
      expect(t('privacy.notice', { institution: 'X', months: 24 })).toMatch(/24/);
      // "CON " and a menu follow on a 182-character USSD screen: the short notice leaves room.
      expect(`CON ${t('privacy.notice_short', { months: 24 })}`.length).toBeLessThanOrEqual(110);
    }
  });
});

function never(): never {
  throw new Error('nothing held');
}
