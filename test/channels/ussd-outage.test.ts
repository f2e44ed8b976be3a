// The gateways get their own format whatever fails: USSD an END screen the person can read (200, plain text),
// the SMS callback plain text that is not a 2xx (so it is posted again); never JSON. Every failure is logged.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleEngine, calendarOf } from '../../bot/assemble.ts';
import { loadCharter } from '../../bot/charter/charter.ts';
import { loadConfig } from '../../bot/config.ts';
import { inboxFor } from '../../bot/engine/inbox.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { Metrics } from '../../bot/metrics.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { createServer } from '../../channels/server.ts';
import { smsRoutes } from '../../channels/sms/routes.ts';
import { ussdRoutes } from '../../channels/ussd/routes.ts';
import { openStore } from '../../db/open.ts';
import type { Store } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';
import { outage, type Outage } from '../faults/outage.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';
import { capturingLogger } from './whatsapp-fake.ts';

const charter = loadCharter();
const calendar = calendarOf(loadConfig({}));
const flows = loadFlows();
const SORRY_SW = `END ${translator('sw')('outage.ussd')}`;
const SORRY_EN = `END ${translator('en')('outage.ussd')}`;

describe.each(BACKENDS)('USSD and SMS callbacks on %s when the database is out', (backend) => {
  const clock = new ManualClock('2026-11-23T08:00:00Z');
  let store: Store;
  let http: Hono;
  let database: Outage;
  const captured = capturingLogger();

  beforeAll(async () => {
    const env = await databaseEnv(backend, join(mkdtempSync(join(tmpdir(), 'huduma-ussd-outage-')), 'huduma.db'));
    // A short busy timeout: on SQLite the outage is another connection's lock.
    store = await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '', busyTimeoutMs: 50 });
    database = outage(backend, env);
    const inbox = inboxFor({ store, engine: assembleEngine(loadConfig({}), { clock, charter, calendar, flows }) });
    const ussd = ussdRoutes({ store, charter, calendar, flows, clock, referencePrefix: 'ICT', defaultLocale: 'sw', retentionMonths: 24 });
    const sms = smsRoutes({ deliver: inbox.submit, store, clock, defaultLocale: 'sw' });
    // As the app mounts them: behind the server, whose logging sees what the routes answer themselves.
    http = createServer({ store, metrics: new Metrics(), log: captured.log, routes: [ussd, sms] });
  });
  afterAll(async () => {
    await database.end().catch(() => undefined);
    await store.close();
  });

  const dial = (sessionId: string, text: string) => http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId, serviceCode: '*152*00#', phoneNumber: '+255712300001', text }) });
  const smsIn = (id: string, text: string) => http.request('/sms/inbound', { method: 'POST', body: new URLSearchParams({ from: '+255712300002', to: '15xxx', text, id }) });
  const errorLines = () => captured.lines.filter((l) => l.level === 50);

  it('USSD: a polite END screen (200, plain text, within 182 characters), logged; served again once the database is back', async () => {
    expect(await (await dial('out-1', '')).text()).toMatch(/^CON /);
    await database.begin();
    try {
      const res = await dial('out-1', '1');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const screen = await res.text();
      expect(screen).toBe(SORRY_SW);
      expect(screen.length).toBeLessThanOrEqual(182);
      expect(SORRY_EN.length).toBeLessThanOrEqual(182);
    } finally {
      await database.end();
    }
    expect(errorLines().find((l) => l.route === '/ussd')).toMatchObject({ msg: 'database unavailable', method: 'POST', status: 200 });
    // The same session goes on where it was.
    expect(await (await dial('out-1', '1')).text()).toMatch(/^CON Chagua huduma:/);
  });

  it('USSD: a defect also ends with the polite screen, never JSON, and is logged with its stack', async () => {
    const broken: Store = {
      ...store,
      dialect: store.dialect,
      transaction: () => Promise.reject(new TypeError('a defect in the menu')),
      read: store.read.bind(store),
      health: store.health.bind(store),
      close: async () => {},
    };
    const ussd = ussdRoutes({ store: broken, charter, calendar, flows, clock, referencePrefix: 'ICT', defaultLocale: 'en', retentionMonths: 24 });
    const app = createServer({ store, metrics: new Metrics(), log: captured.log, routes: [ussd] });
    const res = await app.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: 'defect-1', phoneNumber: '+255712300003', text: '' }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SORRY_EN);
    const line = errorLines().find((l) => l.msg === 'unexpected error');
    expect(line).toMatchObject({ route: '/ussd', err: { message: 'a defect in the menu' } });
    expect(JSON.stringify(line)).toContain('TypeError');
  });

  it('SMS in: 503 in plain text (the gateway posts it again), logged; the same post is taken once when the database is back', async () => {
    await database.begin();
    try {
      const res = await smsIn('ATXid_out_1', 'habari');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('the service is unavailable for a moment; please post this message again');
    } finally {
      await database.end();
    }
    expect(errorLines().find((l) => l.route === '/sms/inbound')).toMatchObject({ msg: 'database unavailable', status: 503 });
    const again = await smsIn('ATXid_out_1', 'habari');
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('ok');
    expect((await smsIn('ATXid_out_1', 'habari')).status).toBe(200);
    const replies = await store.read((tx) =>
      tx.orm
        .select()
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, '+255712300002'))),
    );
    // The greeting and the privacy notice (the person's first answer), once.
    expect(replies).toHaveLength(2);
  });
});
