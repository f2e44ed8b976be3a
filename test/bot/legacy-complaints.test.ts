import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say } from '../support/flows.ts';

// Before complaints were tracked, they were rows of the notices table nobody
// read. At start-up each becomes a complaint request, once, whichever server
// starts first and however often.

describe.each(BACKENDS)('complaints kept as notices, on %s', (backend) => {
  it('become complaint requests at start-up, once, linked to the request they named', async () => {
    const first = await startTestServer({ backend });
    const fault = await fileNetworkFault(first, 'legacy-person-1');
    const { databaseEnv } = first;
    await first.app.store.transaction(async ({ orm, t }) => {
      const request = (await orm.select().from(t.requests).where(eq(t.requests.reference, fault)))[0];
      if (!request?.conversationId) throw new Error('the fault was not filed');
      const of = { personId: request.personId, conversationId: request.conversationId };
      await orm.insert(t.notices).values([
        // Friday 20 November, 10:00 in Dar es Salaam: due two working days later, Tuesday 10:00.
        { kind: 'complaint', ...of, requestId: request.id, text: 'bado haijarekebishwa, huu ni uzembe', createdAt: new Date('2026-11-20T07:00:00Z') },
        { kind: 'complaint', ...of, requestId: null, text: 'afisa alinijibu vibaya', status: 'done', createdAt: new Date('2026-11-19T07:00:00Z') },
      ]);
    });
    await first.close();

    // Two servers start on the database at once: the complaints are filed by one of them.
    const servers = await Promise.all([startTestServer({ databaseEnv, backend }), startTestServer({ databaseEnv, backend })]);
    const read = (s: TestServer) =>
      s.app.store.read(async ({ orm, t }) => ({
        notices: await orm.select().from(t.notices),
        complaints: await orm.select().from(t.requests).where(eq(t.requests.service, 'complaint')).orderBy(asc(t.requests.createdAt)),
        fault: (await orm.select().from(t.requests).where(eq(t.requests.reference, fault)))[0],
        events: await orm.select().from(t.requestEvents).orderBy(asc(t.requestEvents.id)),
      }));
    const { notices, complaints, fault: faultRow, events } = await read(servers[0] as TestServer);
    expect(notices).toEqual([]);
    expect(complaints.map((c) => [c.charterLine, c.status, c.details, c.aboutRequestId])).toEqual([
      [17, 'closed', { description: 'afisa alinijibu vibaya' }, null],
      [17, 'received', { description: 'bado haijarekebishwa, huu ni uzembe' }, faultRow?.id],
    ]);
    const [done, open] = complaints;
    expect(open?.reference).toMatch(/^ICT-2026-\d{6}$/);
    expect(open?.createdAt.toISOString()).toBe('2026-11-20T07:00:00.000Z');
    expect(open?.dueAt?.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(open?.slaNextAt).not.toBeNull();
    expect(done).toMatchObject({ slaNextAt: null, slaStage: 'done' });
    expect(events.filter((e) => e.requestId === open?.id).map((e) => e.kind)).toEqual(['created', 'converted']);
    for (const s of servers) await s.close();

    // Started again: nothing more to convert. The person's "any news?" is answered about the open one.
    const again = await startTestServer({ databaseEnv, backend });
    try {
      expect((await read(again)).complaints).toHaveLength(2);
      const news = await say(again, 'legacy-person-1', 'any news on my complaint?');
      expect(news[0]?.text).toContain(`About your complaint: ${open?.reference}`);
    } finally {
      await again.close();
    }
  });
});
