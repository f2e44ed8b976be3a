import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../../bot/staff/status.ts';
import { openDatabase } from '../../../db/client.ts';
import { DUE_FOR_SLA_SQL } from '../../../db/queries/sla.ts';
import { requestByReference } from '../../../db/queries/staff-requests.ts';
import { requestEvents } from '../../../db/schema.ts';
import { startTestServer, type TestServer } from '../../support/app.ts';
import { fileNetworkFault, transcript } from '../../support/flows.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

// Filed Monday 23 Nov 2026 at 11:00 in Dar es Salaam (08:00Z), "within 1 working day" of 8 office hours:
// warning at 75% (6 h) on Tuesday 09:00, breach Tuesday 11:00, escalation at twice the time Wednesday 11:00.
const WARNING = '2026-11-24T06:00:00Z';
const BREACH = '2026-11-24T08:00:00Z';
const ESCALATION = '2026-11-25T08:00:00Z';

const sweepAt = (server: TestServer, at: string) => server.app.sla.sweep(new Date(at));
const breachNotices = async (server: TestServer, session: string) => (await transcript(server, session)).filter((m) => m.text.includes('We apologise'));
const events = (server: TestServer, reference: string) => {
  const request = server.app.db.transaction((tx) => requestByReference(tx, reference));
  return server.app.db.select({ kind: requestEvents.kind }).from(requestEvents).where(and(eq(requestEvents.requestId, request?.id ?? 0), like(requestEvents.kind, 'sla_%'))).all().map((e) => e.kind);
};

describe('the SLA watch', () => {
  it('warns staff, tells the customer of the breach and escalates, each exactly once', async () => {
    const server = await startTestServer();
    const session = 'sla-once-1';
    const reference = await fileNetworkFault(server, session);
    expect(sweepAt(server, '2026-11-24T05:59:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(sweepAt(server, WARNING)).toEqual({ warned: 1, breached: 0, escalated: 0 });
    expect(sweepAt(server, WARNING)).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await breachNotices(server, session)).toEqual([]);
    expect(sweepAt(server, BREACH)).toEqual({ warned: 0, breached: 1, escalated: 0 });
    expect(await breachNotices(server, session)).toHaveLength(1);
    expect(sweepAt(server, '2026-11-24T12:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(sweepAt(server, ESCALATION)).toEqual({ warned: 0, breached: 0, escalated: 1 });
    expect(sweepAt(server, '2026-12-31T00:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(events(server, reference)).toEqual(['sla_warning', 'sla_breach', 'sla_escalation']);
    await server.close();
  });

  it('tells the customer in their language, with the reference, an apology and what happens next', async () => {
    const server = await startTestServer();
    const reference = await fileNetworkFault(server, 'sla-words-1');
    sweepAt(server, BREACH);
    const notice = (await transcript(server, 'sla-words-1')).at(-1)?.text ?? '';
    expect(notice).toContain(reference);
    expect(notice).toMatch(/We apologise.*passed to the unit's supervisor.*let you know/);
    await server.close();
  });

  it('skips the warning when a late sweep finds the breach already past', async () => {
    const server = await startTestServer();
    const reference = await fileNetworkFault(server, 'sla-late-1');
    expect(sweepAt(server, '2026-11-24T10:00:00Z')).toEqual({ warned: 0, breached: 1, escalated: 0 });
    expect(events(server, reference)).toEqual(['sla_breach']);
    await server.close();
  });

  it('does not breach a request waiting for the customer, and gives the waited office time back', async () => {
    const server = await startTestServer();
    const reference = await fileNetworkFault(server, 'sla-pause-1');
    const move = (to: 'waiting_for_customer' | 'in_progress', at: string) =>
      server.app.db.transaction((tx) => {
        const request = requestByReference(tx, reference);
        if (!request) throw new Error('no request');
        return changeStatus(tx, { charter: server.app.charter, calendar: server.app.calendar, deliversByOutbox: () => false }, { request, to, actor: 'staff:test', now: new Date(at) });
      });
    move('waiting_for_customer', '2026-11-23T09:00:00Z'); // Monday 12:00
    expect(sweepAt(server, '2026-11-26T08:00:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    move('in_progress', '2026-11-23T11:00:00Z'); // two office hours later
    const due = server.app.db.transaction((tx) => requestByReference(tx, reference))?.dueAt;
    expect(due?.toISOString()).toBe('2026-11-24T10:00:00.000Z'); // Tuesday 13:00: two office hours on
    expect(sweepAt(server, '2026-11-24T07:59:00Z')).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(sweepAt(server, '2026-11-24T08:00:00Z')).toEqual({ warned: 1, breached: 0, escalated: 0 });
    expect(sweepAt(server, '2026-11-24T10:00:00Z')).toEqual({ warned: 0, breached: 1, escalated: 0 });
    await server.close();
  });

  it('remembers across a restart what it already did', async () => {
    const first = await startTestServer();
    await fileNetworkFault(first, 'sla-restart-1');
    expect(sweepAt(first, BREACH).breached).toBe(1);
    await first.close();
    const again = await startTestServer({ databasePath: first.databasePath });
    expect(sweepAt(again, BREACH)).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await breachNotices(again, 'sla-restart-1')).toHaveLength(1);
    await again.close();
  });

  it('finds due requests by its partial index, never by reading the requests table through', async () => {
    const server = await startTestServer();
    const other = openDatabase(server.databasePath);
    const plan = other.sqlite.prepare(`EXPLAIN QUERY PLAN ${DUE_FOR_SLA_SQL}`).all(new Date(BREACH).getTime(), 500) as { detail: string }[];
    other.close();
    const requestsStep = plan.map((p) => p.detail).find((d) => / requests /.test(`${d} `));
    expect(requestsStep).toMatch(/USING INDEX requests_sla_next/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/SCAN requests\b(?! USING)/);
    await server.close();
  });

  it('npm run sla:sweep, twice at the same moment in two processes, breaches once', async () => {
    const server = await startTestServer();
    await fileNetworkFault(server, 'sla-cli-1');
    const env = { ...process.env, DATABASE_PATH: server.databasePath, LOG_LEVEL: 'silent' };
    const sweep = () => run(process.execPath, ['--import', 'tsx', 'scripts/sla-sweep.ts', '--now', '2026-11-24T11:00:00+03:00'], { cwd: root, env });
    const outs = await Promise.all([sweep(), sweep()]);
    const results = outs.map((o) => JSON.parse(o.stdout) as { breached: number });
    expect(results.map((r) => r.breached).sort()).toEqual([0, 1]);
    expect(await breachNotices(server, 'sla-cli-1')).toHaveLength(1);
    const bad = await run(process.execPath, ['--import', 'tsx', 'scripts/sla-sweep.ts', '--now', 'jana'], { cwd: root, env }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    await server.close();
  }, 30_000);
});
