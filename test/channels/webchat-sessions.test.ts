import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// Web chat sessions are issued by the server, expire after a silence, and one client address cannot open
// or write without limit.

const json = { 'content-type': 'application/json' };

describe.each(BACKENDS)('web chat sessions on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    // Over the socket, so the client's address is the loopback's; small limits to reach them.
    server = await startTestServer({ backend, env: { RATE_LIMIT_PER_IP_PER_MINUTE: '5', RATE_LIMIT_MESSAGES_PER_IP_PER_MINUTE: '8', WEBCHAT_SESSION_DAYS: '30' } });
  });
  afterAll(() => server.close());

  const open = () => fetch(`${server.url}/webchat/sessions`, { method: 'POST' });
  const send = (id: string, text: string) => fetch(`${server.url}/webchat/sessions/${id}/messages`, { method: 'POST', headers: json, body: JSON.stringify({ text }) });

  it('are issued by the server (at least 128 random bits); an id it never issued gets 404', async () => {
    const res = await open();
    expect(res.status).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect((await send(sessionId, 'habari')).status).toBe(200);
    for (const id of ['aaaaaaaa', 'x'.repeat(43), sessionId.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const refused = await send(id, 'habari');
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: string }).error).toMatch(/POST \/webchat\/sessions/);
      expect((await fetch(`${server.url}/webchat/sessions/${id}/messages`)).status).toBe(404);
    }
  });

  it('expire after the silence allowed: 410, and the transcript is no longer served', async () => {
    server.clock.set('2026-11-23T08:00:00Z');
    const { sessionId } = (await (await open()).json()) as { sessionId: string };
    expect((await send(sessionId, 'habari')).status).toBe(200);
    server.clock.advance(29 * 86_400_000);
    expect((await send(sessionId, 'bado nipo')).status).toBe(200);
    server.clock.advance(31 * 86_400_000);
    const late = await send(sessionId, 'habari tena');
    expect(late.status).toBe(410);
    expect((await late.json()) as object).toMatchObject({ expired: true });
    expect((await fetch(`${server.url}/webchat/sessions/${sessionId}/messages`)).status).toBe(410);
  });

  it('one address opening too many: 429 with Retry-After and a JSON error; a minute later it may again', async () => {
    server.clock.set('2027-03-01T08:00:00Z');
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await open();
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    if (!refused) throw new Error('no 429');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many/);
    server.clock.advance(61_000);
    expect((await open()).status).toBe(201);
  });

  it('one address sending too many messages over several sessions: 429, and what was refused is not stored as a turn', async () => {
    server.clock.set('2027-03-02T08:00:00Z');
    const ids = await Promise.all([open(), open()].map(async (r) => ((await (await r).json()) as { sessionId: string }).sessionId));
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await send(ids[i % 2] as string, `ujumbe ${i}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.slice(8)).toEqual([429, 429]);
    server.clock.advance(61_000);
    const kept = await Promise.all(
      ids.map(async (id) => ((await (await fetch(`${server.url}/webchat/sessions/${id}/messages`)).json()) as { messages: { direction: string; text: string }[] }).messages),
    );
    const inbound = kept
      .flat()
      .filter((m) => m.direction === 'in')
      .map((m) => m.text);
    expect(inbound.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `ujumbe ${i}`).sort());
  });
});
