import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { calendarOf } from '../../../bot/app.ts';
import { loadCharter } from '../../../bot/charter/charter.ts';
import { loadConfig } from '../../../bot/config.ts';
import { ManualClock } from '../../../bot/sla/clock.ts';
import { SlaWatch } from '../../../bot/sla/watch.ts';
import { toLocal } from '../../../bot/sla/zoned.ts';
import { openDatabase } from '../../../db/client.ts';
import { translator, type Locale } from '../../../locales/index.ts';
import { formatDeadline } from '../../../locales/time.ts';

const config = loadConfig({});
const charter = loadCharter(config.CHARTER_PATH);
const calendar = calendarOf(config);
const line = charter.lines.find((l) => l.line === 2);
const CREATED = Date.parse('2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam
const DUE = Date.parse('2026-11-24T08:00:00Z'); // one working day on
const NOW = new Date('2026-11-24T09:30:00Z');
const CHANNELS = ['webchat', 'telegram', 'sms', 'whatsapp'] as const;
const outboxChannel = (c: string) => c !== 'webchat';

/** 250 requests with their breach due, on every channel and in both languages; some filed without a conversation. */
function database() {
  const o = openDatabase(join(mkdtempSync(join(tmpdir(), 'huduma-sla-rows-')), 'huduma.db'));
  const person = o.sqlite.prepare('insert into people (id, locale, created_at) values (?, ?, ?)');
  const conversation = o.sqlite.prepare("insert into conversations (id, person_id, channel, chat_id, state, updated_at) values (?, ?, ?, ?, '{}', ?)");
  const request = o.sqlite.prepare(`insert into requests (id, reference, person_id, conversation_id, service, charter_line, details, status, created_at, due_at, sla_stage, sla_next_at, updated_at)
    values (?, ?, ?, ?, 'network_email_fault', 2, '{}', ?, ?, ?, 'breach', ?, ?)`);
  for (let i = 1; i <= 250; i++) {
    person.run(i, i % 3 === 0 ? 'en' : 'sw', CREATED);
    const chat = i % 10 !== 0;
    if (chat) conversation.run(i, i, CHANNELS[i % CHANNELS.length], `chat-${i}`, CREATED);
    // Due a minute apart, so the due times in words differ too.
    request.run(i, `ICT-2026-${String(i).padStart(6, '0')}`, i, chat ? i : null, i % 2 ? 'received' : 'in_progress', CREATED, DUE + (i % 7) * 60_000, DUE + (i % 7) * 60_000, CREATED);
  }
  return o;
}

describe('the rows of an SLA sweep', () => {
  it('are the notices, alerts and events one request at a time would write, in batches of any size', () => {
    if (!line) throw new Error('no charter line 2');
    const o = database();
    const watch = new SlaWatch({ db: o.db, charter, calendar, clock: new ManualClock(NOW), log: pino({ level: 'silent' }), deliversByOutbox: outboxChannel, staffChat: { channel: 'telegram', chatId: '-100777' }, staffLocale: 'sw', batchSize: 64 });
    expect(watch.sweep(NOW)).toEqual({ warned: 0, breached: 250, escalated: 0 });
    expect(watch.sweep(NOW)).toEqual({ warned: 0, breached: 0, escalated: 0 });

    // In the order the sweep takes them: earliest step first (here the due time), then as filed.
    const requests = o.sqlite.prepare('select r.id, r.reference, r.status, r.due_at, r.conversation_id, p.locale, c.channel, c.chat_id from requests r join people p on p.id = r.person_id left join conversations c on c.id = r.conversation_id order by r.due_at, r.id').all() as {
      id: number; reference: string; status: string; due_at: number; conversation_id: number | null; locale: Locale; channel: string | null; chat_id: string | null;
    }[];
    const words = (locale: Locale, key: string, r: (typeof requests)[number]) => {
      const t = translator(locale);
      const deadline = formatDeadline(t, toLocal(new Date(r.due_at), calendar.timeZone));
      return t(key, { reference: r.reference, service: line.name[locale], promise: line.promise[locale], deadline, status: t(`status.name.${r.status}`), percent: '75', multiple: '2' });
    };
    const messages: unknown[] = [];
    const outbox: unknown[] = [];
    for (const r of requests) {
      if (r.conversation_id !== null && r.channel !== null) {
        const text = words(r.locale, r.channel === 'sms' ? 'sms.breach' : 'sla.breach_customer', r);
        messages.push([r.conversation_id, 'out', text, null, null, null, null, null, r.channel, NOW.getTime()]);
        if (outboxChannel(r.channel)) outbox.push([r.conversation_id, r.channel, r.chat_id, JSON.stringify({ text })]);
      }
      const staff = words('sw', 'sla.staff_breach', r);
      outbox.push([r.conversation_id, 'telegram', '-100777', JSON.stringify(r.conversation_id === null ? { text: staff } : { text: staff, thread: r.conversation_id })]);
    }
    const all = (sql: string) => o.sqlite.prepare(sql).raw().all();
    expect(all('select conversation_id, direction, text, channel_message_id, reply_to, options, attachments, author, channel, created_at from messages order by id')).toEqual(messages);
    expect(all('select conversation_id, channel, chat_id, body from outbox order by id')).toEqual(outbox);
    expect(all("select count(*) from outbox where status != 'pending' or attempts != 0 or next_try_at != created_at")).toEqual([[0]]);
    expect(all('select request_id, at, actor, kind, note, data from request_events order by id')).toEqual(requests.map((r) => [r.id, NOW.getTime(), 'sla', 'sla_breach', null, null]));
    const escalation = all("select count(*) from requests where sla_stage = 'escalation' and sla_next_at > ?".replace('?', String(NOW.getTime())));
    expect(escalation).toEqual([[250]]);
    o.close();
  });
});
