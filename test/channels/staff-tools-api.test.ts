import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest } from '../../db/queries/requests.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// The staff API's working tools (issue 14, item 4): a request as staff see it,
// search, replies and notes by reference, canned replies in the person's language.

/** Files a request by saying these lines in the web chat; its reference. */
async function file(server: TestServer, session: string, lines: readonly string[]): Promise<string> {
  let said = '';
  for (const line of lines) said = (await say(server, session, line)).map((r) => r.text).join(' ');
  const reference = /ICT-\d{4}-\d{6}/.exec(said)?.[0];
  if (!reference) throw new Error(`no reference in: ${said}`);
  return reference;
}

/** An MIS account asked in Swahili: the person writes Swahili, their name and number are in the form. */
const fileMisAccountSw = (server: TestServer, session: string) => file(server, session, ['naomba kufunguliwa akaunti ya e-office', 'Neema Mushi, Afisa Utumishi', 'Utumishi', '0754 777 888', 'ndiyo']);
/** A broken projector not under contract: filed with its clock waiting for the workshop. */
const fileWorkshopRepair = (server: TestServer, session: string) =>
  file(server, session, ['the projector in the boardroom is broken', 'PRJ-0042', 'no', 'Boardroom, admin block', '0754 010 020', 'yes']);

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let agent = '';
  let admin = '';
  beforeAll(async () => {
    server = await startTestServer({ backend });
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    admin = (await addStaffToken(server.databaseEnv, 'Juma Admin', 'admin')).token;
  });
  afterAll(() => server?.close());

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await server.app.http.request(path, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${init.token ?? agent}` },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: string } };
  };
  type Listed = {
    reference: string;
    requester: { name: string | null; phone: string | null };
    office: string;
    summary: string;
    assignee: unknown;
    timeLeftMs: number | null;
    waitingFor: string | null;
  };
  const list = async (query: string) => {
    const res = await api(`/api/requests?${query}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return (res.json.requests as Listed[]).map((r) => r.reference);
  };
  const outboxText = async () => JSON.stringify(await server.app.store.read(({ orm, t }) => orm.select({ body: t.outbox.body }).from(t.outbox)));

  describe('the request as staff see it', () => {
    it('lists who asked, their office, a line of what they wrote, the assignee and the time left', async () => {
      const reference = await fileNetworkFault(server, 'tools-list-1');
      const res = await api('/api/requests?limit=50');
      const r = (res.json.requests as Listed[]).find((x) => x.reference === reference);
      expect(r).toMatchObject({
        requester: { phone: '+255713000111' },
        office: 'Registry, block B',
        summary: 'the internet in our office has been down since morning',
        assignee: null,
        waitingFor: null,
      });
      // Filed Monday 11:00 in Dar es Salaam with one working day: due Tuesday 11:00.
      expect(r?.timeLeftMs).toBe(24 * 3600_000);
    });

    it('a repair waiting for the workshop has no due time: it says what its clock waits for', async () => {
      const reference = await fileWorkshopRepair(server, 'tools-list-2');
      const { json } = await api(`/api/requests/${reference}`);
      expect(json.request).toMatchObject({ dueAt: null, timeLeftMs: null, waitingFor: 'delivered_to_workshop', summary: 'the projector in the boardroom is broken', office: 'Boardroom, admin block' });
    });

    it('filters mine and unassigned, by team and by the day created', async () => {
      const mine = await fileNetworkFault(server, 'tools-mine-1');
      const nobodys = await fileNetworkFault(server, 'tools-mine-2');
      await server.app.store.transaction(async ({ orm, t }) => {
        const [asha] = await orm.select().from(t.staff).where(eq(t.staff.name, 'Asha Mushi'));
        await orm.update(t.requests).set({ assigneeId: asha?.id, team: 'network' }).where(eq(t.requests.reference, mine));
      });
      const assigned = (await api(`/api/requests/${mine}`)).json.request as { assignee: { id: number; name: string }; team: string };
      expect(assigned.assignee.name).toBe('Asha Mushi');
      expect(assigned.team).toBe('network');
      expect(await list('assignee=me')).toEqual([mine]);
      expect(await list(`assignee=${assigned.assignee.id}`)).toEqual([mine]);
      const unassigned = await list('assignee=none');
      expect(unassigned).toContain(nobodys);
      expect(unassigned).not.toContain(mine);
      expect(await list('team=network')).toEqual([mine]);
      expect(await list('from=2026-11-23&to=2026-11-23')).toContain(mine);
      expect(await list('from=2026-11-24')).toEqual([]);
      expect(await list('to=2026-11-22')).toEqual([]);
    });
  });

  describe('search', () => {
    it('finds a request by its reference, the phone written any way, the name and words of the description', async () => {
      const fault = await fileNetworkFault(server, 'tools-search-1');
      const account = await fileMisAccountSw(server, 'tools-search-2');
      expect(await list(`q=${fault}`)).toEqual([fault]);
      expect(await list(`q=${fault.toLowerCase()}`)).toEqual([fault]);
      expect(await list(`q=${encodeURIComponent(fault.slice(4))}`)).toEqual([fault]);
      expect(await list(`q=${encodeURIComponent('0754 777 888')}`)).toEqual([account]);
      expect(await list(`q=${encodeURIComponent('+255754777888')}`)).toEqual([account]);
      expect(await list('q=neema')).toEqual([account]);
      expect(await list(`q=${encodeURIComponent('MUSHI utumishi')}`)).toEqual([account]);
      expect(await list(`q=${encodeURIComponent('Internet DOWN')}`)).toContain(fault);
      expect(await list(`q=${encodeURIComponent('internet printer')}`)).toEqual([]);
    });

    it("takes LIKE's characters and quotes literally, and cannot be made into SQL", async () => {
      await fileNetworkFault(server, 'tools-search-3');
      for (const q of ['%', '_', '\\', "' or 1=1 --", '"; drop table requests; --', '%internet%']) expect(await list(`q=${encodeURIComponent(q)}`), q).toEqual([]);
      expect((await list('limit=5')).length).toBeGreaterThan(0);
    });

    it('says what is wrong with a bad filter', async () => {
      for (const [query, word] of [
        ['assignee=bob', 'assignee'],
        ['team=Bad Team!', 'team'],
        ['from=2026-02-30', 'from'],
        ['from=2026-11-24&to=2026-11-23', 'from must not be after to'],
        [`q=${'x'.repeat(201)}`, 'q'],
      ] as const) {
        const res = await api(`/api/requests?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.json.error, query).toContain(word);
      }
    });
  });

  describe('replies and notes by reference', () => {
    it('a reply by reference reaches the person on their channel, and the audit trail names the officer', async () => {
      const reference = await fileNetworkFault(server, 'tools-reply-1');
      const res = await api(`/api/requests/${reference}/reply`, { method: 'POST', body: { text: 'Fundi atafika saa nane mchana.' } });
      expect(res.status).toBe(200);
      expect((await transcript(server, 'tools-reply-1')).at(-1)).toMatchObject({ direction: 'out', text: '👤 ICT officer: Fundi atafika saa nane mchana.' });
      const detail = (await api(`/api/requests/${reference}`)).json as { events: { kind: string; actor: string; note: string }[] };
      expect(detail.events.at(-1)).toMatchObject({ kind: 'staff_reply', actor: expect.stringMatching(/^staff:\d+ Asha Mushi$/), note: 'Fundi atafika saa nane mchana.' });
    });

    it('404 for an unknown reference, 409 for a request with no conversation, 400 for bad input', async () => {
      expect((await api('/api/requests/ICT-2026-999999/reply', { method: 'POST', body: { text: 'hello' } })).status).toBe(404);
      const offline = await server.app.store.transaction(async (tx) => {
        const [person] = await tx.orm.insert(tx.t.people).values({ locale: 'sw', createdAt: server.clock.now() }).returning();
        return createRequest(tx, {
          personId: person?.id ?? 0,
          conversationId: null,
          service: 'network_email_fault',
          charterLine: 2,
          details: { description: 'kwa barua' },
          prefix: 'ICT',
          year: 2026,
          at: server.clock.now(),
          actor: 'test',
        });
      });
      const none = await api(`/api/requests/${offline.reference}/reply`, { method: 'POST', body: { text: 'hello' } });
      expect(none.status).toBe(409);
      expect(none.json.error).toMatch(/no conversation/);
      const reference = await fileNetworkFault(server, 'tools-reply-2');
      for (const body of [{ text: '' }, { text: 'a', canned: 1 }, {}, { text: 'x'.repeat(4001) }, { note: 'x' }])
        expect((await api(`/api/requests/${reference}/reply`, { method: 'POST', body })).status, JSON.stringify(body)).toBe(400);
      expect((await api(`/api/requests/${reference}/reply`, { method: 'POST', body: '{"text":' })).json.error).toBe('the body must be JSON');
      expect((await api('/api/requests/nope/reply', { method: 'POST', body: { text: 'x' } })).status).toBe(400);
    });

    it('a note is kept for staff and never reaches the person: not in their transcript, not in the outbox', async () => {
      const session = 'tools-note-1';
      const reference = await fileNetworkFault(server, session);
      const secret = 'Mteja huyu alipiga simu mara tatu; angalia swichi ya ghorofa ya pili kwanza.';
      const before = await transcript(server, session);
      const added = await api(`/api/requests/${reference}/notes`, { method: 'POST', body: { text: secret } });
      expect(added.status).toBe(201);
      expect(added.json.note).toMatchObject({ author: 'Asha Mushi', text: secret });
      const detail = (await api(`/api/requests/${reference}`)).json as { notes: { at: string; author: string; staff: { name: string }; text: string }[] };
      expect(detail.notes).toEqual([{ at: server.clock.now().toISOString(), author: 'Asha Mushi', staff: { id: expect.any(Number), name: 'Asha Mushi' }, text: secret }]);
      // A status change and the sweep after the note still tell the person nothing of it.
      await api(`/api/requests/${reference}/status`, { method: 'POST', body: { status: 'in_progress', note: 'Tunashughulikia' } });
      const after = await transcript(server, session);
      expect(after.length).toBe(before.length + 1);
      expect(JSON.stringify(after)).not.toContain('swichi ya ghorofa');
      expect(await outboxText()).not.toContain('swichi ya ghorofa');
      expect((await api(`/api/requests/${reference}/notes`, { method: 'POST', body: { text: '  ' } })).status).toBe(400);
      expect((await api('/api/requests/ICT-2026-999998/notes', { method: 'POST', body: { text: 'x' } })).status).toBe(404);
    });
  });

  describe('canned replies', () => {
    it('admins keep them; an agent reads them but gets 403 changing them', async () => {
      const made = await api('/api/canned-replies', { method: 'POST', token: admin, body: { title: 'Fundi njiani', textSw: 'Fundi wetu yuko njiani.', textEn: 'Our technician is on the way.' } });
      expect(made.status).toBe(201);
      const id = (made.json.cannedReply as { id: number }).id;
      const listed = (await api('/api/canned-replies')).json.cannedReplies as { id: number; title: string }[];
      expect(listed.find((c) => c.id === id)?.title).toBe('Fundi njiani');
      for (const [method, path, body] of [
        ['POST', '/api/canned-replies', { title: 'x', textSw: 'x', textEn: 'x' }],
        ['PATCH', `/api/canned-replies/${id}`, { title: 'y' }],
        ['DELETE', `/api/canned-replies/${id}`, undefined],
      ] as const) {
        const res = await api(path, { method, body });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.json.error).toMatch(/only an administrator/);
      }
      const changed = await api(`/api/canned-replies/${id}`, { method: 'PATCH', token: admin, body: { title: 'Fundi yuko njiani' } });
      expect(changed.json.cannedReply).toMatchObject({ title: 'Fundi yuko njiani', textEn: 'Our technician is on the way.' });
      expect((await api(`/api/canned-replies/${id}`, { method: 'DELETE', token: admin })).status).toBe(200);
      expect((await api(`/api/canned-replies/${id}`, { method: 'DELETE', token: admin })).status).toBe(404);
    });

    it('says what is wrong with a bad canned reply', async () => {
      const bad = await api('/api/canned-replies', { method: 'POST', token: admin, body: { title: 'Only Swahili', textSw: 'Habari' } });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toContain('textEn');
      expect((await api('/api/canned-replies/abc', { method: 'PATCH', token: admin, body: { title: 'x' } })).status).toBe(400);
      expect((await api('/api/canned-replies/1', { method: 'PATCH', token: admin, body: {} })).json.error).toMatch(/at least one/);
    });

    it("is sent in the person's language, whatever the officer's: English to an English speaker, Swahili to a Swahili speaker", async () => {
      const made = await api('/api/canned-replies', { method: 'POST', token: admin, body: { title: 'Imetatuliwa?', textSw: 'Je, tatizo limetatuliwa sasa?', textEn: 'Is the problem solved now?' } });
      const id = (made.json.cannedReply as { id: number }).id;
      const english = await fileNetworkFault(server, 'tools-canned-en');
      const swahili = await fileMisAccountSw(server, 'tools-canned-sw');
      // The agent's console speaks Swahili (the default); the English speaker still gets English.
      expect((await api(`/api/requests/${english}/reply`, { method: 'POST', body: { canned: id } })).status).toBe(200);
      expect((await api(`/api/requests/${swahili}/reply`, { method: 'POST', body: { canned: id } })).status).toBe(200);
      expect((await transcript(server, 'tools-canned-en')).at(-1)?.text).toBe('👤 ICT officer: Is the problem solved now?');
      expect((await transcript(server, 'tools-canned-sw')).at(-1)?.text).toMatch(/: Je, tatizo limetatuliwa sasa\?$/);
      expect((await api(`/api/requests/${english}/reply`, { method: 'POST', body: { canned: 99999 } })).status).toBe(404);
    });
  });
});
