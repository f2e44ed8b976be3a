import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { messagesPath } from '../support/sessions.ts';

// Every answer, whatever route gave it, carries the headers that keep a page from being framed or sniffed
// and staff data and transcripts from being cached.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('security headers', () => {
  it.each([
    ['the chat page', 'GET', '/'],
    ['a web chat message', 'POST', 'messages of headers-person-1'],
    ['a transcript', 'GET', 'messages of headers-person-1'],
    ['a session opened', 'POST', '/webchat/sessions'],
    ['the staff API, refused', 'GET', '/api/requests'],
    ['health', 'GET', '/healthz'],
    ['a 404', 'GET', '/no/such/page'],
  ])('%s', async (_what, method, path) => {
    const target = path.startsWith('messages of ') ? await messagesPath(server, path.slice('messages of '.length)) : path;
    const res = await server.app.http.request(target, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify({ text: 'habari' }) } : {}) });
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBeTruthy();
    if (/^\/(api|webchat)/.test(target)) expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it("keeps the console's own stricter policy", async () => {
    const res = await server.app.http.request('/staff/login');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
