import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { messagesPath } from '../support/sessions.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// The fast cases go through app.request(), without a socket.
const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => server.app.http.request(path, { method: 'POST', body, headers });

describe('web chat HTTP contract', () => {
  it('answers a message with replies, and options when it offers choices', async () => {
    const res = await post(await messagesPath(server, 'webchat-test-1'), JSON.stringify({ text: 'msaada' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { replies: { text: string; options?: { id: string; label: string }[] }[] };
    expect(body.replies[0]?.options?.map((o) => o.id)).toEqual(['report', 'status', 'services', 'person']);
  });

  it('gives the whole transcript after a cursor, in order', async () => {
    await post(await messagesPath(server, 'webchat-test-2'), JSON.stringify({ text: 'habari' }));
    const all = (await (await server.app.http.request(await messagesPath(server, 'webchat-test-2'))).json()) as { messages: { id: string; direction: string; text: string }[]; cursor: string };
    // The greeting, then the privacy notice (the person's first answer).
    expect(all.messages.map((m) => m.direction)).toEqual(['in', 'out', 'out']);
    expect(all.messages[0]?.text).toBe('habari');
    const after = (await (await server.app.http.request(`${await messagesPath(server, 'webchat-test-2')}?after=${all.cursor}`)).json()) as { messages: unknown[]; cursor: string };
    expect(after).toEqual({ messages: [], cursor: all.cursor });
  });

  it('answers a retried message (same Idempotency-Key) with the same replies, once', async () => {
    const headers = { 'content-type': 'application/json', 'Idempotency-Key': 'k-123' };
    const first = await (await post(await messagesPath(server, 'webchat-test-3'), JSON.stringify({ text: 'habari' }), headers)).json();
    const again = await (await post(await messagesPath(server, 'webchat-test-3'), JSON.stringify({ text: 'habari' }), headers)).json();
    expect(again).toEqual(first);
    const t = (await (await server.app.http.request(await messagesPath(server, 'webchat-test-3'))).json()) as { messages: unknown[] };
    // "habari", the greeting and the privacy notice (the person's first answer), once.
    expect(t.messages).toHaveLength(3);
  });

  it.each(['has spaces', 'ü-umlaut', 'x'.repeat(101), 'semi;colon', ''])('refuses an Idempotency-Key %j in another shape with 400 and the format, storing nothing', async (key) => {
    const res = await post(await messagesPath(server, 'webchat-test-key'), JSON.stringify({ text: 'habari' }), { 'content-type': 'application/json', 'Idempotency-Key': key });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Idempotency-Key must be 1 to 100 characters of A-Z, a-z, 0-9, _ and -/);
    const t = (await (await server.app.http.request(await messagesPath(server, 'webchat-test-key'))).json()) as { messages: unknown[] };
    expect(t.messages).toEqual([]);
  });

  it.each([
    ['not JSON', '{"text": ', /must be JSON/],
    ['no text', '{}', /text/],
    ['empty text', '{"text": "   "}', /must not be empty/],
    ['text of the wrong type', '{"text": 42}', /text/],
    ['an unknown field', '{"text": "habari", "admin": true}', /admin|Unrecognized/i],
    ['a message over 4000 characters', JSON.stringify({ text: 'a'.repeat(4001) }), /at most 4000/],
  ])('refuses %s with a 400 that says what is wrong', async (_, body, message) => {
    const res = await post(await messagesPath(server, 'webchat-test-4'), body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('refuses a bad session id and an oversized body', async () => {
    expect((await post('/webchat/sessions/x!/messages', '{"text":"hi"}')).status).toBe(400);
    const big = await post(await messagesPath(server, 'webchat-test-1'), JSON.stringify({ text: 'a'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expect((await server.app.http.request(`${await messagesPath(server, 'webchat-test-1')}?after=abc`)).status).toBe(400);
  });

  it('stores HTML as typed and never as markup in the page', async () => {
    await post(await messagesPath(server, 'webchat-test-5'), JSON.stringify({ text: '<script>alert(1)</script>' }));
    const t = (await (await server.app.http.request(await messagesPath(server, 'webchat-test-5'))).json()) as { messages: { text: string }[] };
    expect(t.messages[0]?.text).toBe('<script>alert(1)</script>');
    const page = await (await server.app.http.request('/')).text();
    expect(page).toContain('<title>Huduma — Dawati la msaada la TEHAMA</title>');
    expect(page).toContain('textContent');
    expect(page).not.toContain('innerHTML');
  });

  it('reports health and Prometheus metrics', async () => {
    expect(await (await server.app.http.request('/healthz')).json()).toEqual({ status: 'ok' });
    const metrics = await (await server.app.http.request('/metrics')).text();
    expect(metrics).toMatch(/huduma_messages_in_total\{channel="webchat"\} \d+/);
    expect(metrics).toMatch(/huduma_classifier_confidence_bucket\{le="\+Inf"\} \d+/);
    expect((await server.app.http.request('/nowhere')).status).toBe(404);
  });
});
