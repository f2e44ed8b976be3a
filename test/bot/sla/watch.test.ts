import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { and, asc, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../bot/staff/status.ts';
import { openStore } from '../../../db/open.ts';
import { insertIncident } from '../../../db/queries/incidents.ts';
import { DUE_FOR_SLA_SQL } from '../../../db/queries/sla.ts';
import { requestByReference } from '../../../db/queries/staff-requests.ts';
import type { Store } from '../../../db/store.ts';
import { startTestServer, type TestServer } from '../../support/app.ts';
import { BACKENDS, databaseEnv, freshStore } from '../../support/databases.ts';
import { fileNetworkFault, transcript } from '../../support/flows.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);
const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-sla-')), 'huduma.db');

// Filed Monday 23 Nov 2026 at 11:00 in Dar es Salaam (08:00Z), "within 1 working day" of 8 office hours:
// warning at 75% (6 h) on Tuesday 09:00, breach Tuesday 11:00, escalation at twice the time Wednesday 11:00.
const FILED = '2026-11-23T08:00:00Z';
const WARNING = '2026-11-24T06:00:00Z';
const BREACH = '2026-11-24T08:00:00Z';
const ESCALATION = '2026-11-25T08:00:00Z';

const sweepAt = (server: TestServer, at: string) => server.app.sla.sweep(new Date(at));
const breachNotices = async (server: TestServer, session: string) => (await transcript(server, session)).filter((m) => m.text.includes('We apologise'));
const events = (store: Store, reference: string) =>
  store.read(async (tx) => {
    const { orm, t } = tx;
    const request = await requestByReference(tx, reference);
    const rows = await orm
      .select({ kind: t.requestEvents.kind })
      .from(t.requestEvents)
      .where(and(eq(t.requestEvents.requestId, request?.id ?? 0), like(t.requestEvents.kind, 'sla_%')))
      .orderBy(asc(t.requestEvents.id));
    return rows.map((e) => e.kind);
  });

describe.each(BACKENDS)('the SLA watch on %s', (backend) => {
  it('warns staff, tells the customer of the breach and escalates, each exactly once', async () => {
    const server = await startTestServer({ backend });
    const session = 'sla-once-1';
    const reference = await fileNetworkFault(server, session);
    expect(await sweepAt(server, '2026-11-24T05:59:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await sweepAt(server, WARNING)).toEqual({ warned: 1, breached: 0, escalated: 0 });
    expect(await sweepAt(server, WARNING)).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await breachNotices(server, session)).toEqual([]);
    expect(await sweepAt(server, BREACH)).toEqual({ warned: 0, breached: 1, escalated: 0 });
    expect(await breachNotices(server, session)).toHaveLength(1);
    expect(await sweepAt(server, '2026-11-24T12:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await sweepAt(server, ESCALATION)).toEqual({ warned: 0, breached: 0, escalated: 1 });
    expect(await sweepAt(server, '2026-12-31T00:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await events(server.app.store, reference)).toEqual(['sla_warning', 'sla_breach', 'sla_escalation']);
    await server.close();
  });

  it('a report joined to an incident keeps its steps in its history, but hears the incident’s news instead of its own apology', async () => {
    const server = await startTestServer({ backend });
    const session = 'sla-incident-1';
    const reference = await fileNetworkFault(server, session);
    await server.app.store.transaction(async (tx) => {
      const incident = await insertIncident(tx, {
        service: 'network_email_fault',
        area: 'dar-es-salaam/ubungo/sinza',
        areaLabel: 'Sinza',
        message: { sw: 'Tunafahamu.', en: 'We know.' },
        status: 'open',
        source: 'staff',
        at: new Date(FILED),
      });
      await tx.orm
        .update(tx.t.requests)
        .set({ incidentId: incident?.id ?? null })
        .where(eq(tx.t.requests.reference, reference));
    });
    expect(await sweepAt(server, WARNING)).toEqual({ warned: 1, breached: 0, escalated: 0 });
    expect(await sweepAt(server, BREACH)).toEqual({ warned: 0, breached: 1, escalated: 0 });
    expect(await breachNotices(server, session)).toEqual([]);
    expect(await events(server.app.store, reference)).toEqual(['sla_warning', 'sla_breach']);
    await server.close();
  });

  it('tells the customer in their language, with the reference, an apology and what happens next', async () => {
    const server = await startTestServer({ backend });
    const reference = await fileNetworkFault(server, 'sla-words-1');
    await sweepAt(server, BREACH);
    const notice = (await transcript(server, 'sla-words-1')).at(-1)?.text ?? '';
    expect(notice).toContain(reference);
    expect(notice).toMatch(/We apologise.*passed to the supervisor in charge.*let you know/);
    await server.close();
  });

  it('skips the warning when a late sweep finds the breach already past', async () => {
    const server = await startTestServer({ backend });
    const reference = await fileNetworkFault(server, 'sla-late-1');
    expect(await sweepAt(server, '2026-11-24T10:00:00Z')).toEqual({ warned: 0, breached: 1, escalated: 0 });
    expect(await events(server.app.store, reference)).toEqual(['sla_breach']);
    await server.close();
  });

  it('does not breach a request waiting for the customer, and gives the waited office time back', async () => {
    const server = await startTestServer({ backend });
    const reference = await fileNetworkFault(server, 'sla-pause-1');
    const move = (to: 'waiting_for_customer' | 'in_progress', at: string) =>
      server.app.store.transaction(async (tx) => {
        const request = await requestByReference(tx, reference);
        if (!request) throw new Error('no request');
        return changeStatus(tx, { charter: server.app.charter, calendar: server.app.calendar, deliversByOutbox: () => false }, { request, to, actor: 'staff:test', now: new Date(at) });
      });
    await move('waiting_for_customer', '2026-11-23T09:00:00Z'); // Monday 12:00
    expect(await sweepAt(server, '2026-11-26T08:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    await move('in_progress', '2026-11-23T11:00:00Z'); // two office hours later
    const due = (await server.app.store.read((tx) => requestByReference(tx, reference)))?.dueAt;
    expect(due?.toISOString()).toBe('2026-11-24T10:00:00.000Z'); // Tuesday 13:00: two office hours on
    expect(await sweepAt(server, '2026-11-24T07:59:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await sweepAt(server, '2026-11-24T08:00:00Z')).toEqual({ warned: 1, breached: 0, escalated: 0 });
    expect(await sweepAt(server, '2026-11-24T10:00:00Z')).toEqual({ warned: 0, breached: 1, escalated: 0 });
    await server.close();
  });

  it('remembers across a restart what it already did', async () => {
    const first = await startTestServer({ backend });
    await fileNetworkFault(first, 'sla-restart-1');
    expect((await sweepAt(first, BREACH)).breached).toBe(1);
    await first.close();
    const again = await startTestServer({ backend, databaseEnv: first.databaseEnv });
    expect(await sweepAt(again, BREACH)).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await breachNotices(again, 'sla-restart-1')).toHaveLength(1);
    await again.close();
  });

  it('npm run sla:sweep, twice at the same moment in two processes, breaches once', async () => {
    const path = freshPath();
    const database = await databaseEnv(backend, path);
    const store = await openStore({ url: database.DATABASE_URL, path: database.DATABASE_PATH ?? path });
    // A network fault filed at FILED over the web chat, as fileNetworkFault leaves it: its warning is the next step.
    const conversationId = await store.transaction(async ({ orm, t }) => {
      const [person] = await orm
        .insert(t.people)
        .values({ locale: 'en', createdAt: new Date(FILED) })
        .returning({ id: t.people.id });
      const [chat] = await orm
        .insert(t.conversations)
        .values({ personId: person?.id ?? 0, channel: 'webchat', chatId: 'sla-cli-1', state: {}, updatedAt: new Date(FILED) })
        .returning({ id: t.conversations.id });
      await orm.insert(t.requests).values({
        reference: 'ICT-2026-000001',
        personId: person?.id ?? 0,
        conversationId: chat?.id ?? 0,
        service: 'network_email_fault',
        charterLine: 2,
        details: {},
        status: 'received',
        createdAt: new Date(FILED),
        dueAt: new Date(BREACH),
        slaStage: 'warning',
        slaNextAt: new Date(WARNING),
        updatedAt: new Date(FILED),
      });
      return chat?.id ?? 0;
    });
    const env = { ...process.env, DATABASE_PATH: undefined, DATABASE_URL: undefined, ...database, LOG_LEVEL: 'silent' };
    const sweep = () => run(process.execPath, ['--import', 'tsx', 'scripts/sla-sweep.ts', '--now', '2026-11-24T11:00:00+03:00'], { cwd: root, env });
    const outs = await Promise.all([sweep(), sweep()]);
    const results = outs.map((o) => JSON.parse(o.stdout) as { breached: number });
    expect(results.map((r) => r.breached).sort()).toEqual([0, 1]);
    const said = await store.read(({ orm, t }) => orm.select({ text: t.messages.text }).from(t.messages).where(eq(t.messages.conversationId, conversationId)));
    expect(said.filter((m) => m.text.includes('We apologise'))).toHaveLength(1);
    const bad = await run(process.execPath, ['--import', 'tsx', 'scripts/sla-sweep.ts', '--now', 'jana'], { cwd: root, env }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    await store.close();
  }, 30_000);
});

describe('the SLA watch on sqlite', () => {
  it('finds due requests by its partial index, never by reading the requests table through', async () => {
    const store = await freshStore('sqlite', freshPath());
    const plan = await store.read(async (tx) => tx.sqlite?.prepare(`EXPLAIN QUERY PLAN ${DUE_FOR_SLA_SQL}`).all(new Date(BREACH).getTime(), 500) as { detail: string }[]);
    await store.close();
    const requestsStep = plan.map((p) => p.detail).find((d) => / requests /.test(`${d} `));
    expect(requestsStep).toMatch(/USING INDEX requests_sla_next/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/SCAN requests\b(?! USING)/);
  });
});
