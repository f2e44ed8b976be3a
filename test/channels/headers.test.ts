import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';

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
    ['a web chat message', 'POST', '/webchat/sessions/headers-person-1/messages'],
    ['a transcript', 'GET', '/webchat/sessions/headers-person-1/messages'],
    ['the staff API, refused', 'GET', '/api/requests'],
    ['health', 'GET', '/healthz'],
    ['a 404', 'GET', '/no/such/page'],
  ])('%s', async (_what, method, path) => {
    const res = await server.app.http.request(path, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify({ text: 'habari' }) } : {}) });
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBeTruthy();
    if (/^\/(api|webchat)/.test(path)) expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it("keeps the console's own stricter policy", async () => {
    const res = await server.app.http.request('/staff/login');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
