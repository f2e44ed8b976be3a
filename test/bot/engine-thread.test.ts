import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { messagesPath } from '../support/sessions.ts';

// The engine on its own thread (as npm start runs it): the same conversations,
// on the same SQLite file, with time and metrics still the main thread's.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ engineThread: true, now: '2026-11-23T08:00:00Z' }); // Monday 11:00 in Dar es Salaam
});
afterAll(() => server.close());

describe('the engine thread', () => {
  it('files a request from a whole web chat flow and answers where it is', async () => {
    const reference = await fileNetworkFault(server, 'thread-flow-1');
    const status = await say(server, 'thread-flow-1', `where is my request ${reference}?`);
    expect(status.map((r) => r.text).join(' ')).toContain(reference);
    const messages = await transcript(server, 'thread-flow-1');
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(5);
  });

  it("takes the time from the main thread's clock, not its own", async () => {
    server.clock.set('2026-11-24T07:15:00Z');
    const reference = await fileNetworkFault(server, 'thread-clock-1');
    const row = (await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests))).find((r) => r.reference === reference);
    expect(row?.createdAt.toISOString()).toBe('2026-11-24T07:15:00.000Z');
    // "Within 1 working day" from Tuesday 10:15 is Wednesday 10:15 in Dar es Salaam.
    expect(row?.dueAt?.toISOString()).toBe('2026-11-25T07:15:00.000Z');
  });

  it("counts its messages in the main thread's /metrics", async () => {
    await say(server, 'thread-metrics-1', 'habari');
    const body = await (await server.app.http.request('/metrics')).text();
    expect(body).toMatch(/huduma_messages_in_total\{channel="webchat"\} \d+/);
    expect(body).toMatch(/huduma_classifier_confidence_count [1-9]\d*/);
  });

  it('answers fifty people writing at once, each their own reply', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => say(server, `thread-many-${i}`, 'barua pepe yangu haifanyi kazi tangu jana')));
    expect(replies.every((r) => r.length > 0)).toBe(true);
    expect(new Set(replies.map((r) => r[0]?.text)).size).toBe(1);
  });
});

describe('stopping the engine thread', () => {
  it('answers every message taken before close, then refuses new ones with 503', async () => {
    const s = await startTestServer({ engineThread: true });
    const lateSession = await messagesPath(s, 'thread-close-late');
    for (let i = 0; i < 30; i++) await messagesPath(s, `thread-close-${i}`);
    const taken = Array.from({ length: 30 }, (_, i) => say(s, `thread-close-${i}`, 'habari'));
    const closing = s.close();
    expect((await Promise.all(taken)).every((r) => r.length > 0)).toBe(true);
    await closing;
    const late = await s.app.http.request(lateSession, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"habari"}' });
    expect(late.status).toBe(503);
  });
});
