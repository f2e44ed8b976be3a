import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers are read loosely here; the assertions check their shape.
type Json = Record<string, any>;

// Ownership and routing (issue 14, item 3): a new request goes to its
// service's team; officers take what is in their team's queue; only a
// supervisor (or an administrator) moves another's request or assigns outside
// the team, which the audit trail records; acting on someone else's request is
// allowed and recorded, naming both; SLA alerts name the owner (mentioning
// their linked Telegram user), else the team, and escalations the supervisors.

const STAFF_GROUP = '-1009876543';

describe.each(BACKENDS)('owners and teams, on %s', (backend) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    // A staff group is set, so SLA alerts are queued for it; nothing is started, so nothing is sent.
    server = await startTestServer({
      backend,
      env: { TELEGRAM_BOT_TOKEN: '123456:owners-test', TELEGRAM_STAFF_CHAT_ID: STAFF_GROUP, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' },
    });
    const people = [
      ['asha', 'Asha Mushi', 'agent', 'networks'],
      ['baraka', 'Baraka Juma', 'agent', 'networks'],
      ['chausiku', 'Chausiku Ali', 'agent', 'workshop'],
      ['daudi', 'Daudi Kweka', 'supervisor', 'networks'],
      ['admin', 'Rehema Admin', 'admin', undefined],
    ] as const;
    for (const [key, name, role, team] of people) {
      const made = await addStaffToken(server.databaseEnv, name, role, team ? { team } : {});
      tokens[key] = made.token;
      ids[key] = Number(/#(\d+)/.exec(made.stdout)?.[1]);
    }
  });
  afterAll(() => server?.close());

  const api = async (who: string, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
    const res = await server.app.http.request(path, {
      method,
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${tokens[who]}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const assign = (who: string, reference: string, to: unknown) => api(who, `/api/requests/${reference}/assign`, { to });
  const events = async (reference: string) => (await api('admin', `/api/requests/${reference}`)).json.events as { kind: string; actor: string; note: string | null; data: Json }[];

  it('files a new request into its service’s team queue, unassigned', async () => {
    const network = await fileNetworkFault(server, 'owners-route-1');
    const got = (await api('asha', `/api/requests/${network}`)).json.request;
    expect(got).toMatchObject({ team: 'networks', assignee: null });
    for (const line of ['the projector in the boardroom is broken', 'PRJ-0042', 'no', 'Boardroom, admin block', '0754 010 020']) await say(server, 'owners-route-2', line);
    const equipment = /ICT-\d{4}-\d{6}/.exec((await say(server, 'owners-route-2', 'yes')).map((r) => r.text).join(' '))?.[0] ?? '';
    expect((await api('asha', `/api/requests/${equipment}`)).json.request).toMatchObject({ team: 'workshop', assignee: null });
    const queue = (await api('baraka', '/api/requests?team=networks&assignee=none')).json.requests as { reference: string }[];
    expect(queue.map((r) => r.reference)).toContain(network);
    expect(queue.map((r) => r.reference)).not.toContain(equipment);
  });

  it('an agent takes an unassigned request of their team; another agent may not take it from them (403), nor one of another team', async () => {
    const reference = await fileNetworkFault(server, 'owners-take-1');
    const taken = await assign('asha', reference, 'me');
    expect(taken.status).toBe(200);
    expect(taken.json).toMatchObject({ assignee: { id: ids.asha, name: 'Asha Mushi' }, outsideTeam: false, changed: true, request: { assignee: { id: ids.asha, name: 'Asha Mushi' } } });
    expect((await assign('asha', reference, 'me')).json).toMatchObject({ changed: false });

    const grab = await assign('baraka', reference, 'me');
    expect(grab.status).toBe(403);
    expect(grab.json.error).toMatch(/assigned to Asha Mushi.*only a supervisor or an administrator may reassign/);
    expect((await assign('baraka', reference, ids.baraka)).status).toBe(403);
    // Asha may not hand her request outside her team either.
    const outside = await assign('asha', reference, ids.chausiku);
    expect(outside.status).toBe(403);
    expect(outside.json.error).toMatch(/Chausiku Ali .* not in your team/);

    const other = await fileNetworkFault(server, 'owners-take-2');
    const foreign = await assign('chausiku', other, 'me');
    expect(foreign.status).toBe(403);
    expect(foreign.json.error).toMatch(/networks queue, not your team's/);
    // Asha may hand an unassigned request of her team to a teammate.
    expect((await assign('asha', other, ids.baraka)).json).toMatchObject({ assignee: { id: ids.baraka } });

    const mine = (await api('asha', '/api/requests?assignee=me')).json.requests as { reference: string }[];
    expect(mine.map((r) => r.reference)).toContain(reference);
    expect(mine.map((r) => r.reference)).not.toContain(other);
    const trail = (await events(reference)).filter((e) => e.kind === 'assigned');
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor: `staff:${ids.asha} Asha Mushi`, data: { from: null, to: { id: ids.asha, name: 'Asha Mushi' }, team: 'networks', outsideTeam: false } });
  });

  it('a supervisor reassigns, also outside the team, which the trail records; bad targets are refused clearly', async () => {
    const reference = await fileNetworkFault(server, 'owners-lead-1');
    await assign('asha', reference, 'me');
    const moved = await assign('daudi', reference, ids.baraka);
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ assignee: { id: ids.baraka, name: 'Baraka Juma' }, outsideTeam: false });
    const outside = await assign('daudi', reference, ids.chausiku);
    expect(outside.json).toMatchObject({ assignee: { id: ids.chausiku, name: 'Chausiku Ali' }, outsideTeam: true });
    const trail = (await events(reference)).filter((e) => e.kind === 'assigned');
    expect(trail.map((e) => [e.data.from?.name ?? null, e.data.to.name, e.data.outsideTeam])).toEqual([
      [null, 'Asha Mushi', false],
      ['Asha Mushi', 'Baraka Juma', false],
      ['Baraka Juma', 'Chausiku Ali', true],
    ]);
    expect(trail.at(-1)).toMatchObject({ actor: `staff:${ids.daudi} Daudi Kweka`, note: 'outside the networks team' });

    expect((await assign('daudi', reference, 999_999)).status).toBe(404);
    expect((await assign('daudi', reference, 'somebody')).status).toBe(400);
    expect((await api('daudi', `/api/requests/${reference}/assign`, { who: 'me' })).status).toBe(400);
    expect((await assign('daudi', 'ICT-2026-999999', 'me')).status).toBe(404);
    // Back to the queue.
    expect((await assign('daudi', reference, 'none')).json).toMatchObject({ assignee: null, changed: true });
    expect((await events(reference)).at(-1)).toMatchObject({ kind: 'unassigned', data: { from: { name: 'Chausiku Ali' }, to: null } });
  });

  it('a status change or a reply by an officer who does not own the request goes through, and the trail names both', async () => {
    const session = 'owners-foreign-1';
    const reference = await fileNetworkFault(server, session);
    await assign('baraka', reference, 'me');
    const moved = await api('asha', `/api/requests/${reference}/status`, { status: 'in_progress', note: 'Nimeanza kulishughulikia' });
    expect(moved.status).toBe(200);
    expect((await api('asha', `/api/requests/${reference}/reply`, { text: 'Tunashughulikia ombi lako' })).status).toBe(200);
    const foreign = (await events(reference)).filter((e) => e.kind === 'not_owner');
    expect(foreign).toEqual([
      expect.objectContaining({ actor: `staff:${ids.asha} Asha Mushi`, note: 'Baraka Juma', data: { action: 'status', owner: { id: ids.baraka, name: 'Baraka Juma' } } }),
      expect.objectContaining({ actor: `staff:${ids.asha} Asha Mushi`, note: 'Baraka Juma', data: { action: 'reply', owner: { id: ids.baraka, name: 'Baraka Juma' } } }),
    ]);
    // The owner's own moves are not marked.
    await api('baraka', `/api/requests/${reference}/status`, { status: 'waiting_for_customer' });
    expect((await events(reference)).filter((e) => e.kind === 'not_owner')).toHaveLength(2);
  });

  it('SLA alerts: the warning names the owner and mentions their Telegram; unassigned, the team; the escalation names the team’s supervisors', async () => {
    const linked = await api('admin', `/api/staff/${ids.baraka}`, { telegramUserId: '7001' }, 'PATCH');
    expect(linked.status).toBe(200);
    expect((await api('admin', `/api/staff/${ids.daudi}`, { telegramUserId: '7002' }, 'PATCH')).status).toBe(200);
    server.clock.set('2026-11-30T05:00:00Z'); // Monday 08:00: a fresh day, so these two are the only ones due at the times below
    const owned = await fileNetworkFault(server, 'owners-sla-1');
    const queued = await fileNetworkFault(server, 'owners-sla-2');
    await assign('baraka', owned, 'me');
    const staffAlerts = async (reference: string) => {
      const rows = await server.app.store.read(({ orm, t }) => orm.select().from(t.outbox).where(eq(t.outbox.chatId, STAFF_GROUP)).orderBy(asc(t.outbox.id)));
      return rows.map((r) => r.body as { text: string; mentions?: { userId: string; name: string }[] }).filter((b) => b.text.includes(reference));
    };
    // Six working hours on (75% of one working day): the warning.
    await server.app.sla.sweep(new Date('2026-11-30T11:01:00Z'));
    const [warning] = await staffAlerts(owned);
    expect(warning?.text).toMatch(/^⏳.*\n👤 Anayelishughulikia: Baraka Juma$/s);
    expect(warning?.mentions).toEqual([{ userId: '7001', name: 'Baraka Juma' }]);
    const [teamWarning] = await staffAlerts(queued);
    expect(teamWarning?.text).toMatch(/\n👥 Timu: Mitandao na Usalama wa TEHAMA — bado hakuna afisa aliyelichukua\.$/);
    expect(teamWarning?.mentions).toBeUndefined();
    // Twice the promised time: the escalation, to the owner and the team's supervisor.
    await server.app.sla.sweep(new Date('2026-12-02T05:01:00Z'));
    const escalation = (await staffAlerts(owned)).find((b) => b.text.startsWith('🚨'));
    expect(escalation?.text).toMatch(/\n👤 Anayelishughulikia: Baraka Juma\n🧭 Wasimamizi wa timu: Daudi Kweka$/);
    expect(escalation?.mentions).toEqual([
      { userId: '7001', name: 'Baraka Juma' },
      { userId: '7002', name: 'Daudi Kweka' },
    ]);
    const teamEscalation = (await staffAlerts(queued)).find((b) => b.text.startsWith('🚨'));
    expect(teamEscalation?.mentions).toEqual([{ userId: '7002', name: 'Daudi Kweka' }]);
    server.clock.set('2026-11-23T08:00:00Z');
  });
});
