import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleEngine, calendarOf } from '../../bot/assemble.ts';
import { loadCharter } from '../../bot/charter/charter.ts';
import { loadConfig } from '../../bot/config.ts';
import { inboxFor } from '../../bot/engine/inbox.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { gsm7Length, toGsm7 } from '../../channels/sms/gsm7.ts';
import { normalizePhone } from '../../intents/phone.ts';
import { smsRoutes } from '../../channels/sms/routes.ts';
import { renderSms, SmsChannel } from '../../channels/sms/sms.ts';
import { ussdRoutes } from '../../channels/ussd/routes.ts';
import { findOrCreateConversation } from '../../db/queries/conversations.ts';
import { outboxRow } from '../../db/queries/outbox.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshStore } from '../support/databases.ts';

// A loopback stand-in for Africa's Talking's messaging API. The number decides
// the answer; everything it accepted is kept, to count deliveries.
const accepted: { to: string; message: string; from?: string }[] = [];
const calls = new Map<string, number>();
let gateway = '';
let stub: ReturnType<typeof serve>;

function answerFor(to: string, call: number): { status: number; body: string; headers?: Record<string, string> } {
  const recipients = (statusCode: number, status: string) =>
    JSON.stringify({ SMSMessageData: { Message: 'Sent to 1/1', Recipients: [{ statusCode, number: to, status, cost: 'TZS 20.0000', messageId: `ATXid_${call}` }] } });
  if (to === '+255700000500' && call === 1) return { status: 500, body: 'Internal Server Error' };
  if (to === '+255700000403') return { status: 201, body: recipients(403, 'InvalidPhoneNumber') };
  if (to === '+255700000406') return { status: 201, body: recipients(406, 'UserInBlacklist') };
  if (to === '+255700000405') return { status: 201, body: recipients(405, 'InsufficientBalance') };
  if (to === '+255700000502') return { status: 201, body: recipients(502, 'RejectedByGateway') };
  if (to === '+255700000429') return { status: 429, body: 'Too Many Requests', headers: { 'Retry-After': '7' } };
  if (to === 'nobody') return { status: 201, body: JSON.stringify({ SMSMessageData: { Message: 'InvalidPhoneNumber', Recipients: [] } }) };
  return { status: 201, body: recipients(101, 'Success') };
}

beforeAll(async () => {
  const api = new Hono();
  api.post('/version1/messaging', async (c) => {
    if (c.req.header('apiKey') !== 'test-key' || c.req.header('Accept') !== 'application/json') return c.text('The supplied authentication is invalid', 401);
    const form = (await c.req.parseBody()) as Record<string, string>;
    if (form.username !== 'huduma') return c.text('The supplied authentication is invalid', 401);
    const to = form.to ?? '';
    const call = (calls.get(to) ?? 0) + 1;
    calls.set(to, call);
    const a = answerFor(to, call);
    if (a.status < 300) accepted.push({ to, message: form.message ?? '', ...(form.from ? { from: form.from } : {}) });
    return c.body(a.body, a.status as 201, { 'content-type': a.body.startsWith('{') ? 'application/json' : 'text/plain', ...a.headers });
  });
  stub = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => stub.once('listening', () => r()));
  gateway = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/version1`;
});
afterAll(() => new Promise<void>((r) => stub.close(() => r())));

const channel = (overrides: Partial<ConstructorParameters<typeof SmsChannel>[0]> = {}) => new SmsChannel({ apiRoot: gateway, username: 'huduma', apiKey: 'test-key', ...overrides });
const silent = pino({ level: 'silent' });
const tempPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-sms-')), 'huduma.db');

describe("SMS out through Africa's Talking's messaging API", () => {
  it('sends with the username, the api key and the sender id, and reads 101 as sent', async () => {
    expect(await channel({ senderId: 'TEHAMA' }).send('+255700000001', { text: 'Ombi lako limepokelewa' })).toEqual({ status: 'sent' });
    expect(accepted.at(-1)).toEqual({ to: '+255700000001', message: 'Ombi lako limepokelewa', from: 'TEHAMA' });
  });

  it('marks an invalid or blacklisted number failed with the reason', async () => {
    expect(await channel().send('+255700000403', { text: 'x' })).toEqual({ status: 'failed', reason: '403 InvalidPhoneNumber' });
    expect(await channel().send('+255700000406', { text: 'x' })).toEqual({ status: 'failed', reason: '406 UserInBlacklist' });
    expect(await channel().send('nobody', { text: 'x' })).toEqual({ status: 'failed', reason: 'InvalidPhoneNumber' });
  });

  it('retries a gateway error, a 5xx, no network, a wrong key, and waits out a 429 and an empty balance', async () => {
    expect((await channel().send('+255700000502', { text: 'x' })).status).toBe('retry');
    expect((await channel({ apiRoot: 'http://127.0.0.1:9/version1' }).send('+255700000001', { text: 'x' })).status).toBe('retry');
    expect(await channel({ apiKey: 'wrong' }).send('+255700000001', { text: 'x' })).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^HTTP 401/) });
    expect(await channel().send('+255700000429', { text: 'x' })).toMatchObject({ status: 'retry', afterMs: 7000 });
    expect(await channel().send('+255700000405', { text: 'x' })).toMatchObject({ status: 'retry', reason: '405 InsufficientBalance', afterMs: 15 * 60_000 });
  });

  it('writes choices as a numbered list and keeps to GSM-7 punctuation', () => {
    const t = (key: string) => (key === 'sms.reply_with_number' ? 'Jibu kwa namba.' : key);
    expect(
      renderSms(
        {
          text: 'ICT-2026-000001 — «Printa»: Limepokelewa…',
          options: [
            { id: 'a', label: 'Ndiyo' },
            { id: 'b', label: 'Hapana' },
          ],
        },
        t,
      ),
    ).toBe('ICT-2026-000001 - "Printa": Limepokelewa...\n1. Ndiyo\n2. Hapana\nJibu kwa namba.');
    expect(toGsm7('⏳ Tahadhari')).toBe('Tahadhari');
    expect(gsm7Length('Habari [ya] leo')).toBe(17);
    expect(gsm7Length('Habari — leo')).toBeUndefined();
  });

  it('reads phone numbers the ways people and gateways write them', () => {
    for (const n of ['+255712345678', '0712 345 678', '255712345678', '00255712345678', '+255 (712) 345-678']) expect(normalizePhone(n), n).toBe('+255712345678');
    for (const n of ['hello', '12345', '+0712345678', '']) expect(normalizePhone(n), n).toBeUndefined();
  });
});

describe.each(BACKENDS)('SMS on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend, tempPath());
  });
  afterAll(() => store.close());

  it('through the outbox worker: a 500 then success is delivered once; an invalid number is failed with its reason', async () => {
    // The stub fails a number's first call: this backend's run starts afresh.
    calls.delete('+255700000500');
    const acceptedBefore = accepted.filter((a) => a.to === '+255700000500').length;
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const worker = new OutboxWorker({ store, channels: [channel()], clock, log: silent, random: () => 0.5 });
    const enqueue = async (chatId: string) => {
      const [row] = await store.transaction((tx) =>
        tx.orm
          .insert(tx.t.outbox)
          .values({ channel: 'sms', chatId, body: { text: 'Ombi lako ICT-2026-000001 limepokelewa.' }, nextTryAt: clock.now(), createdAt: clock.now() })
          .returning(),
      );
      return row?.id ?? 0;
    };
    const flaky = await enqueue('+255700000500');
    const invalid = await enqueue('+255700000403');
    expect(await worker.tick()).toBe(2);
    expect(await store.read((tx) => outboxRow(tx, flaky))).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^HTTP 500/) });
    expect(await store.read((tx) => outboxRow(tx, invalid))).toMatchObject({ status: 'failed', lastError: '403 InvalidPhoneNumber' });
    clock.advance(60_000);
    expect(await worker.tick()).toBe(1);
    clock.advance(3_600_000);
    expect(await worker.tick()).toBe(0);
    expect(await store.read((tx) => outboxRow(tx, flaky))).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(accepted.filter((a) => a.to === '+255700000500')).toHaveLength(acceptedBefore + 1);
  });

  it("writes the choices' line in the language the person is answered in", async () => {
    const phone = '+255700000777';
    await store.transaction((tx) => findOrCreateConversation(tx, { channel: 'sms', chatId: phone, senderId: phone }, 'en', new Date('2026-11-23T08:00:00Z')));
    const options = [
      { id: 'a', label: 'Yes' },
      { id: 'b', label: 'No' },
    ];
    expect(await channel({ store }).send(phone, { text: 'Is this right?', options })).toEqual({ status: 'sent' });
    expect(accepted.at(-1)?.message).toBe('Is this right?\n1. Yes\n2. No\nReply with the number of your choice.');
    // Someone never answered before: the default language.
    await channel({ store, defaultLocale: 'sw' }).send('+255700000778', { text: 'Sawa?', options });
    expect(accepted.at(-1)?.message).toBe('Sawa?\n1. Yes\n2. No\nJibu kwa kutuma namba ya chaguo lako.');
  });
});

describe.each(BACKENDS)('SMS in on %s: the callback to the engine', (backend) => {
  const clock = new ManualClock('2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam
  const charter = loadCharter();
  const calendar = calendarOf(loadConfig({}));
  const flows = loadFlows();
  let store: Store;
  let sms: Hono;
  const sent = async (chatId: string) =>
    (
      await store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.outbox)
          .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, chatId)))
          .orderBy(tx.t.outbox.id),
      )
    ).map((r) => (r.body as { text: string }).text);
  const receive = (fields: Record<string, string>, query = '') => sms.request(`/sms/inbound${query}`, { method: 'POST', body: new URLSearchParams(fields) });

  beforeAll(async () => {
    store = await freshStore(backend, tempPath());
    const inbox = inboxFor({ store, engine: assembleEngine(loadConfig({}), { clock, charter, calendar, flows }) });
    sms = smsRoutes({ deliver: inbox.submit, store, clock, defaultLocale: 'sw', callbackSecret: 'siri' });
  });
  afterAll(() => store.close());

  it('answers an SMS by SMS to the same number, once even when the gateway posts it again', async () => {
    const fields = { from: '+255720000001', to: '15xxx', text: 'habari', date: '2026-11-23 11:00:00', id: 'ATXid_in_1', linkId: 'l-1' };
    const res = await receive(fields, '?secret=siri');
    expect(res.status).toBe(200);
    // The greeting, then the privacy notice (the person's first answer), in one SMS.
    expect(await sent('+255720000001')).toHaveLength(2);
    expect((await sent('+255720000001'))[0]).toMatch(/Nzuri, karibu/);
    expect((await sent('+255720000001'))[1]).toMatch(/Sheria ya Ulinzi wa Taarifa Binafsi/);
    expect((await receive(fields, '?secret=siri')).status).toBe(200);
    expect(await sent('+255720000001')).toHaveLength(2);
  });

  it('refuses a callback without the secret (401) and one that is not an SMS (400)', async () => {
    expect((await receive({ from: '+255720000002', text: 'habari', id: 'ATXid_in_2' })).status).toBe(401);
    expect((await receive({ from: '+255720000002', text: 'habari', id: 'ATXid_in_2' }, '?secret=wrong')).status).toBe(401);
    // As long as the secret in characters, not in bytes: 401, never an error.
    expect((await receive({ from: '+255720000002', text: 'habari', id: 'ATXid_in_2' }, `?secret=${encodeURIComponent('ññññ')}`)).status).toBe(401);
    expect((await receive({ text: 'habari' }, '?secret=siri')).status).toBe(400);
    expect(await sent('+255720000002')).toHaveLength(0);
  });

  it('a USSD user asks by SMS about the request they filed on USSD', async () => {
    const ussd = ussdRoutes({ store, charter, calendar, flows, clock, referencePrefix: 'ICT', defaultLocale: 'sw', retentionMonths: 24 });
    let end = '';
    for (const text of ['', '1', '1*1', '1*1*Barua pepe haifunguki', '1*1*Barua pepe haifunguki*1'])
      end = await (await ussd.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: 'sms-x', phoneNumber: '+255720000003', text }) })).text();
    const reference = /ICT-2026-\d{6}/.exec(end)?.[0] ?? '';
    expect(await sent('+255720000003')).toEqual([end.slice('END '.length)]);
    const res = await receive({ from: '+255720000003', text: reference, id: 'ATXid_in_3' }, '?secret=siri');
    expect(res.status).toBe(200);
    expect((await sent('+255720000003'))[1]).toMatch(new RegExp(`${reference}.*Limepokelewa`));
  });
});
