import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer({ backend });
    const made = await addStaffToken(server.databaseEnv);
    token = made.token;
    expect(made.stdout).toContain('shown only this once');
  });
  afterAll(() => server?.close());

  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    server.app.http.request(path, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.token === '' ? {} : { Authorization: `Bearer ${init.token ?? token}` }) },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });

  describe('the staff API', () => {
    it('npm run staff:add stores only the hash of the token it prints', async () => {
      const rows = await server.app.store.read(({ orm, t }) => orm.select().from(t.staff).where(eq(t.staff.name, 'Asha Mushi')));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.tokenHash).not.toContain(token);
      expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a missing or wrong token with 401', async () => {
      expect((await api('/api/requests', { token: '' })).status).toBe(401);
      const wrong = await api('/api/requests', { token: 'x'.repeat(43) });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: expect.stringContaining('staff token') });
    });

    it('lists requests with filters, and says what is wrong with a bad filter', async () => {
      const reference = await fileNetworkFault(server, 'api-list-1');
      const all = (await (await api('/api/requests')).json()) as { requests: { reference: string; breached: boolean }[] };
      expect(all.requests.map((r) => r.reference)).toContain(reference);
      const bad = await api('/api/requests?status=lost');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: expect.stringContaining('status') });
      const none = (await (await api('/api/requests?breached=true')).json()) as { requests: unknown[] };
      expect(none.requests.map((r) => (r as { reference: string }).reference)).not.toContain(reference);
      server.clock.set('2026-11-24T09:00:00Z');
      const late = (await (await api('/api/requests?breached=true&service=network_email_fault')).json()) as { requests: { reference: string }[] };
      expect(late.requests.map((r) => r.reference)).toContain(reference);
      server.clock.set('2026-11-23T08:00:00Z');
    });

    it('changes a status with a note: the customer is told in their language, the audit trail names the officer', async () => {
      const reference = await fileNetworkFault(server, 'api-status-1');
      const res = await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'in_progress', note: 'Fundi yuko njiani' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ request: { status: 'in_progress' }, customerNotified: true });
      expect((await transcript(server, 'api-status-1')).at(-1)?.text).toMatch(new RegExp(`${reference} is now being handled.*Fundi yuko njiani`));
      const detail = (await (await api(`/api/requests/${reference.toLowerCase()}`)).json()) as { events: { actor: string; kind: string }[] };
      expect(detail.events.find((e) => e.kind === 'status')?.actor).toMatch(/^staff:\d+ Asha Mushi$/);
    });

    it('refuses a status a request cannot go to (409), a bad body (400), an unknown reference (404)', async () => {
      const reference = await fileNetworkFault(server, 'api-status-2');
      expect((await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'cancelled' } })).status).toBe(200);
      const again = await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'in_progress' } });
      expect(again.status).toBe(409);
      expect((await api(`/api/requests/${reference}/status`, { method: 'POST', body: '{"status":' })).status).toBe(400);
      expect((await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'done' } })).status).toBe(400);
      expect((await api('/api/requests/ICT-2026-999999')).status).toBe(404);
      expect((await api('/api/requests/not-a-ref')).status).toBe(400);
    });

    it('two officers moving one request at the same moment: one move is made, the other is refused', async () => {
      const reference = await fileNetworkFault(server, 'api-status-race-1');
      const officer = { kind: 'telegram' as const, userId: '9001', name: 'Baraka' };
      // PostgreSQL: idle pooled connections for both, so neither waits on a new connection and the two really overlap.
      await Promise.all([1, 2, 3].map(() => server.app.store.read(({ orm, t }) => orm.select({ id: t.requests.id }).from(t.requests).limit(1))));
      // Cancelled and closed are final: whichever comes second must be checked against the first one's outcome, not the status both read.
      const outcomes = await Promise.all([server.app.desk.setStatus(officer, reference, 'cancelled'), server.app.desk.setStatus(officer, reference, 'closed')]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['changed', 'refused']);
      const detail = (await (await api(`/api/requests/${reference}`)).json()) as { events: { kind: string }[] };
      expect(detail.events.filter((e) => e.kind === 'status')).toHaveLength(1);
    });

    it('on resolved asks the customer for a 1–5 rating and a comment, and shows them to staff', async () => {
      const reference = await fileNetworkFault(server, 'api-rate-1');
      await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'resolved', note: 'The router was replaced' } });
      const ask = (await transcript(server, 'api-rate-1')).at(-1)?.text ?? '';
      expect(ask).toMatch(/complete.*rate the service, from 1/s);
      expect((await say(server, 'api-rate-1', '4'))[0]?.text).toMatch(/4 out of 5/);
      expect((await say(server, 'api-rate-1', 'Quick and polite, thank you'))[0]?.text).toMatch(/received your comment/);
      const detail = (await (await api(`/api/requests/${reference}`)).json()) as { request: { rating: number; ratingComment: string } };
      expect(detail.request).toMatchObject({ rating: 4, ratingComment: 'Quick and polite, thank you' });
    });
  });

  describe('hand-off to staff', () => {
    it('a person asks for an officer: the bot goes quiet, staff answer, then hand the chat back', async () => {
      const session = 'handoff-1';
      expect((await say(server, session, 'I want to talk to a human officer please'))[0]?.text).toMatch(/passed you to an ICT officer/);
      expect(await say(server, session, 'hello? is anyone there')).toEqual([]);
      const queue = (await (await api('/api/handoffs')).json()) as { handoffs: { conversationId: number; takenBy: string | null }[] };
      const mine = queue.handoffs.at(-1);
      expect(mine?.takenBy).toBeNull();
      expect((await api(`/api/conversations/${mine?.conversationId}/reply`, { method: 'POST', body: { text: 'Habari, naitwa Asha. Nikusaidie nini?' } })).status).toBe(200);
      expect((await transcript(server, session)).at(-1)?.text).toBe('👤 ICT officer: Habari, naitwa Asha. Nikusaidie nini?');
      expect(await say(server, session, 'my laptop screen is broken')).toEqual([]);
      expect((await api(`/api/conversations/${mine?.conversationId}/end`, { method: 'POST' })).status).toBe(200);
      expect((await transcript(server, session)).at(-1)?.text).toMatch(/conversation with our officer has ended/);
      expect((await say(server, session, 'hello')).length).toBeGreaterThan(0);
      expect((await api('/api/conversations/999999/reply', { method: 'POST', body: { text: 'hi' } })).status).toBe(404);
      expect((await api(`/api/conversations/${mine?.conversationId}/reply`, { method: 'POST', body: { text: '' } })).status).toBe(400);
    });

    it('a staff-group message delivered twice at the same moment is answered once', async () => {
      const session = 'handoff-twice-1';
      const reference = await fileNetworkFault(server, session);
      const detail = async () => (await (await api(`/api/requests/${reference}`)).json()) as { request: { conversationId: number }; events: { kind: string }[] };
      const { conversationId } = (await detail()).request;
      const officer = { kind: 'telegram' as const, userId: '9002', name: 'Baraka' };
      // PostgreSQL: idle pooled connections for both, so neither waits on a new connection and the two really overlap.
      await Promise.all([1, 2, 3].map(() => server.app.store.read(({ orm, t }) => orm.select({ id: t.requests.id }).from(t.requests).limit(1))));
      const reply = () => server.app.desk.reply(officer, conversationId, 'Tunakuja sasa hivi', 'update:4242');
      expect(await Promise.all([reply(), reply()])).toEqual([
        { status: 'sent', conversationId },
        { status: 'sent', conversationId },
      ]);
      expect((await transcript(server, session)).filter((m) => m.text.includes('Tunakuja sasa hivi'))).toHaveLength(1);
      expect((await detail()).events.filter((e) => e.kind === 'staff_reply')).toHaveLength(1);
    });

    it('nobody takes it within 20 seconds: the person is told it is logged and offered a request meanwhile, once', async () => {
      const session = 'handoff-2';
      await say(server, session, 'nataka kuongea na afisa');
      server.clock.advance(19_000);
      expect(await server.app.pickupCheck()).toBe(0);
      server.clock.advance(1_000);
      expect(await server.app.pickupCheck()).toBe(1);
      expect(await server.app.pickupCheck()).toBe(0);
      const notice = (await transcript(server, session)).at(-1)?.text ?? '';
      expect(notice).toMatch(/Ujumbe wako umehifadhiwa.*ungependa tukufungulie ombi rasmi/s);
      const next = await say(server, session, '1');
      expect(next[0]?.text).toMatch(/eleza kwa ufupi tatizo lako/);
      server.clock.set('2026-11-23T08:00:00Z');
    });
  });
});
