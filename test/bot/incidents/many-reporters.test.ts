import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRequest } from '../../../bot/engine/filing.ts';
import { Incidents } from '../../../bot/incidents/incidents.ts';
import { deliversByOutbox } from '../../../bot/assemble.ts';
import type { StaffRow } from '../../../db/queries/staff.ts';
import { findOrCreateConversation } from '../../../db/queries/conversations.ts';
import { startTestServer, type TestServer } from '../../support/app.ts';
import { BACKENDS } from '../../support/databases.ts';
import { SERVICE, SINZA } from '../../support/incidents.ts';
import { addStaffToken } from '../../support/staff.ts';

// One outage, hundreds of reporters: one resolve is one transaction that
// queues a message a chat (a person who reported twice hears once), spread at
// the channel's pace so conversations keep their turn, and returns promptly.

const MESSAGE = { sw: 'Tunafahamu; mafundi wako njiani.', en: 'We know; a crew is on the way.' };
const DONE = { sw: 'Huduma imerudi.', en: 'Service is back.' };
const CHATS = 490;
const TWICE = 10;

describe.each(BACKENDS)('an incident with 500 reports on %s', (backend) => {
  let server: TestServer;
  let incidents: Incidents;
  let supervisor: StaffRow;
  let staffFiled = '';

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const { app, clock } = server;
    // Telegram's pace (25 a second): the notices take half of it.
    incidents = new Incidents({ store: app.store, charter: app.charter, calendar: app.calendar, clock, deliversByOutbox, staffLocale: 'sw', outboundPace: (c) => (c === 'telegram' ? 25 : undefined) });
    const { token } = await addStaffToken(server.databaseEnv, 'Neema Kisanga', 'supervisor');
    supervisor = (await app.desk.authenticate(token)) as StaffRow;
    const deps = { charter: app.charter, calendar: app.calendar, referencePrefix: 'ICT' };
    await app.store.transaction(async (tx) => {
      const now = clock.now();
      for (let i = 0; i < CHATS; i++) {
        const chat = { channel: 'telegram', chatId: String(9_000_000 + i), senderId: String(9_000_000 + i) };
        const { person, conversation } = await findOrCreateConversation(tx, chat, i % 2 === 0 ? 'sw' : 'en', now);
        for (let k = 0; k < (i < TWICE ? 2 : 1); k++)
          await fileRequest(tx, deps, { personId: person.id, conversationId: conversation.id, service: SERVICE, details: { description: 'no network' }, area: `${SINZA}/sinza-mori`, now });
      }
      // One a staff member filed for a caller, with no chat to tell.
      const { person } = await findOrCreateConversation(tx, { channel: 'telegram', chatId: 'nobody', senderId: 'nobody' }, 'sw', now);
      staffFiled = (await fileRequest(tx, deps, { personId: person.id, conversationId: null, service: SERVICE, details: { description: 'by phone' }, area: SINZA, now })).request.reference;
    });
  }, 120_000);
  afterAll(() => server?.close());

  const outbox = () =>
    server.app.store.read((tx) =>
      tx.orm
        .select()
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'telegram'), inArray(tx.t.outbox.chatId, [String(9_000_000), String(9_000_001), String(9_000_000 + CHATS - 1)])))
        .orderBy(asc(tx.t.outbox.id)),
    );
  const queuedSince = async (after: number) => server.app.store.read(async (tx) => (await tx.orm.select().from(tx.t.outbox)).filter((r) => r.id > after));
  const lastOutboxId = async () => server.app.store.read(async (tx) => Math.max(0, ...(await tx.orm.select({ id: tx.t.outbox.id }).from(tx.t.outbox)).map((r) => r.id)));

  let id = 0;
  it('opening links all 501 reports and queues one message a chat, spread at half the channel pace', async () => {
    const before = await lastOutboxId();
    const at = server.clock.now().getTime();
    const opened = await incidents.open(supervisor, { service: SERVICE, area: SINZA, message: MESSAGE });
    if (opened.status !== 'opened') throw new Error(opened.status);
    id = opened.incident.id;
    expect(opened).toMatchObject({ linked: CHATS + TWICE + 1, told: { requests: CHATS + TWICE, chats: CHATS } });
    const queued = await queuedSince(before);
    expect(queued).toHaveLength(CHATS);
    const tries = queued.map((r) => r.nextTryAt.getTime() - at).sort((a, b) => a - b);
    expect(tries[0]).toBe(0);
    // 490 messages at 12.5 a second: the last one's first try some 39 seconds on.
    expect(tries.at(-1)).toBe(Math.floor((489 / 12.5) * 1000));
    const twice = (await outbox()).map((r) => (r.body as { text: string }).text).filter((t) => t.includes(MESSAGE.sw));
    expect(twice).toEqual([expect.stringMatching(/^📢 Kuhusu maombi yako ICT-2026-\d{6}, ICT-2026-\d{6}:\nTunafahamu; mafundi wako njiani\.$/)]);
  }, 60_000);

  it('one resolve resolves all 501 in one transaction, tells each chat once and returns promptly; a second one at the same moment does nothing', async () => {
    // One report waits for its customer: resolving it gives the waited time back to its figures, as a status change does.
    const waiting = await server.app.store.read(async (tx) => (await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.incidentId, id)).orderBy(asc(tx.t.requests.id)).limit(1))[0]);
    if (!waiting) throw new Error('no report');
    expect((await server.app.desk.setStatus({ kind: 'staff', staff: supervisor }, waiting.reference, 'waiting_for_customer')).status).toBe('changed');
    server.clock.advance(2 * 3600_000);
    const before = await lastOutboxId();
    const started = performance.now();
    const outcomes = await Promise.all([incidents.resolve(supervisor, id, DONE), incidents.resolve(supervisor, id, DONE)]);
    const ms = performance.now() - started;
    expect(outcomes.map((o) => o.status).sort()).toEqual(['resolved', 'wrong_status']);
    expect(outcomes.find((o) => o.status === 'resolved')).toMatchObject({ resolved: CHATS + TWICE + 1, told: { requests: CHATS + TWICE, chats: CHATS } });
    expect(await queuedSince(before)).toHaveLength(CHATS);
    expect(ms).toBeLessThan(20_000);
    const rows = await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.incidentId, id)));
    expect(rows).toHaveLength(CHATS + TWICE + 1);
    expect(rows.every((r) => r.status === 'resolved' && r.slaNextAt === null && r.pausedSince === null)).toBe(true);
    const after = rows.find((r) => r.id === waiting.id);
    expect(after?.pausedMs).toBeGreaterThan(0);
    expect(after?.dueAt?.getTime()).toBeGreaterThan(waiting.dueAt?.getTime() ?? Number.POSITIVE_INFINITY);
    expect(rows.find((r) => r.reference === staffFiled)?.status).toBe('resolved');
    const events = await server.app.store.read((tx) =>
      tx.orm
        .select()
        .from(tx.t.requestEvents)
        .where(and(eq(tx.t.requestEvents.kind, 'status'), inArray(tx.t.requestEvents.requestId, rows.map((r) => r.id).slice(0, 400)))),
    );
    expect(events.filter((e) => (e.data as { status?: string } | null)?.status === 'resolved')).toHaveLength(400);
    const texts = (await outbox()).map((r) => (r.body as { text: string }).text);
    expect(texts.filter((t) => t.includes(DONE.sw) || t.includes(DONE.en))).toHaveLength(3);
    // A second resolve later (a retry) finds it resolved and sends nothing.
    const last = await lastOutboxId();
    expect((await incidents.resolve(supervisor, id, DONE)).status).toBe('wrong_status');
    expect(await lastOutboxId()).toBe(last);
  }, 60_000);
});
