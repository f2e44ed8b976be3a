import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { calendarOf } from '../../../bot/assemble.ts';
import { loadCharter } from '../../../bot/charter/charter.ts';
import { loadConfig } from '../../../bot/config.ts';
import { ManualClock } from '../../../bot/sla/clock.ts';
import { SlaWatch } from '../../../bot/sla/watch.ts';
import { toLocal } from '../../../bot/sla/zoned.ts';
import type { Store } from '../../../db/store.ts';
import { translator, type Locale } from '../../../locales/index.ts';
import { formatDeadline } from '../../../locales/time.ts';
import { BACKENDS, freshStore, type Backend } from '../../support/databases.ts';

const config = loadConfig({});
const charter = loadCharter(config.CHARTER_PATH);
const calendar = calendarOf(config);
const line = charter.lines.find((l) => l.line === 2);
const CREATED = new Date('2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam
const DUE = Date.parse('2026-11-24T08:00:00Z'); // one working day on
const NOW = new Date('2026-11-24T09:30:00Z');
const CHANNELS = ['webchat', 'telegram', 'sms', 'whatsapp'] as const;
const outboxChannel = (c: string) => c !== 'webchat';

/** 250 requests with their breach due, on every channel and in both languages; some filed without a conversation. */
async function database(backend: Backend): Promise<Store> {
  const store = await freshStore(backend, join(mkdtempSync(join(tmpdir(), 'huduma-sla-rows-')), 'huduma.db'));
  await store.transaction(async ({ orm, t }) => {
    const ids = Array.from({ length: 250 }, (_, n) => n + 1);
    const chat = (i: number) => i % 10 !== 0;
    await orm.insert(t.people).values(ids.map((i) => ({ id: i, locale: i % 3 === 0 ? ('en' as const) : ('sw' as const), createdAt: CREATED })));
    await orm
      .insert(t.conversations)
      .values(ids.filter(chat).map((i) => ({ id: i, personId: i, channel: CHANNELS[i % CHANNELS.length] ?? 'webchat', chatId: `chat-${i}`, state: {}, updatedAt: CREATED })));
    // Due a minute apart, so the due times in words differ too.
    const due = (i: number) => new Date(DUE + (i % 7) * 60_000);
    await orm.insert(t.requests).values(
      ids.map((i) => ({
        id: i,
        reference: `ICT-2026-${String(i).padStart(6, '0')}`,
        personId: i,
        conversationId: chat(i) ? i : null,
        service: 'network_email_fault',
        charterLine: 2,
        details: {},
        status: i % 2 ? ('received' as const) : ('in_progress' as const),
        createdAt: CREATED,
        dueAt: due(i),
        slaStage: 'breach' as const,
        slaNextAt: due(i),
        updatedAt: CREATED,
      })),
    );
  });
  return store;
}

describe.each(BACKENDS)('the rows of an SLA sweep on %s', (backend) => {
  it('are the notices, alerts and events one request at a time would write, in batches of any size', async () => {
    if (!line) throw new Error('no charter line 2');
    const store = await database(backend);
    const watch = new SlaWatch({
      store,
      charter,
      calendar,
      clock: new ManualClock(NOW),
      log: pino({ level: 'silent' }),
      deliversByOutbox: outboxChannel,
      staffChat: { channel: 'telegram', chatId: '-100777' },
      staffLocale: 'sw',
      batchSize: 64,
    });
    // Between its batches the sweep lets the event loop serve others: a tick scheduled beside it runs meanwhile.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const swept = await watch.sweep(NOW);
    const ticksDuring = ticks;
    clearInterval(ticker);
    expect(swept).toEqual({ warned: 0, breached: 250, escalated: 0 });
    expect(ticksDuring).toBeGreaterThanOrEqual(2);
    expect(await watch.sweep(NOW)).toEqual({ warned: 0, breached: 0, escalated: 0 });

    const { requests, messages, outbox, events } = await store.read(async ({ orm, t }) => ({
      // In the order the sweep takes them: earliest step first (here the due time), then as filed.
      requests: await orm
        .select({
          id: t.requests.id,
          reference: t.requests.reference,
          status: t.requests.status,
          dueAt: t.requests.dueAt,
          slaStage: t.requests.slaStage,
          slaNextAt: t.requests.slaNextAt,
          conversationId: t.requests.conversationId,
          locale: t.people.locale,
          channel: t.conversations.channel,
          chatId: t.conversations.chatId,
        })
        .from(t.requests)
        .innerJoin(t.people, eq(t.people.id, t.requests.personId))
        .leftJoin(t.conversations, eq(t.conversations.id, t.requests.conversationId))
        .orderBy(asc(t.requests.dueAt), asc(t.requests.id)),
      messages: await orm.select().from(t.messages).orderBy(asc(t.messages.id)),
      outbox: await orm.select().from(t.outbox).orderBy(asc(t.outbox.id)),
      events: await orm.select().from(t.requestEvents).orderBy(asc(t.requestEvents.id)),
    }));
    const words = (locale: Locale, key: string, r: (typeof requests)[number]) => {
      const t = translator(locale);
      const deadline = formatDeadline(t, toLocal(r.dueAt ?? new Date(0), calendar.timeZone));
      return t(key, { reference: r.reference, service: line.name[locale], promise: line.promise[locale], deadline, status: t(`status.name.${r.status}`), percent: '75', multiple: '2' });
    };
    const expectedMessages: unknown[] = [];
    const expectedOutbox: unknown[] = [];
    for (const r of requests) {
      if (r.conversationId !== null && r.channel !== null) {
        const text = words(r.locale, r.channel === 'sms' ? 'sms.breach' : 'sla.breach_customer', r);
        expectedMessages.push([r.conversationId, 'out', text, null, null, null, null, null, r.channel, NOW.getTime()]);
        if (outboxChannel(r.channel)) expectedOutbox.push([r.conversationId, r.channel, r.chatId, { text }]);
      }
      const staff = words('sw', 'sla.staff_breach', r);
      expectedOutbox.push([r.conversationId, 'telegram', '-100777', r.conversationId === null ? { text: staff } : { text: staff, thread: r.conversationId }]);
    }
    expect(messages.map((m) => [m.conversationId, m.direction, m.text, m.channelMessageId, m.replyTo, m.options, m.attachments, m.author, m.channel, m.createdAt.getTime()])).toEqual(expectedMessages);
    expect(outbox.map((o) => [o.conversationId, o.channel, o.chatId, o.body])).toEqual(expectedOutbox);
    expect(outbox.filter((o) => o.status !== 'pending' || o.attempts !== 0 || o.nextTryAt.getTime() !== o.createdAt.getTime())).toEqual([]);
    expect(events.map((e) => [e.requestId, e.at.getTime(), e.actor, e.kind, e.note, e.data])).toEqual(requests.map((r) => [r.id, NOW.getTime(), 'sla', 'sla_breach', null, null]));
    expect(requests.filter((r) => r.slaStage === 'escalation' && r.slaNextAt !== null && r.slaNextAt > NOW)).toHaveLength(250);
    await store.close();
  });
});
