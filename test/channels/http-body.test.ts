import { request } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBytes, readForm } from '../../channels/http.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { messagesPath } from '../support/sessions.ts';

// Over a real socket the web chat reads Node's request itself (channels/http.ts);
// app.request() in other tests takes hono's path. These are the direct path's edges.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

/** A raw POST: the body as given, chunked when no length is declared. */
function post(path: string, body: Buffer, headers: Record<string, string | number> = {}): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    if (headers['transfer-encoding'] === 'chunked') {
      // Several writes, so the body really arrives in chunks.
      for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
      req.end();
    } else req.end(body);
  });
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const withLength = (b: Buffer) => ({ 'content-length': b.length });
const path = (s: string) => messagesPath(server, s);

describe('web chat bodies over a real socket', () => {
  it('answers a declared-length body with replies', async () => {
    const body = json({ text: 'habari' });
    const a = await post(await path('direct-ok-1'), body, withLength(body));
    expect(a.status).toBe(200);
    expect((a.json as { replies: unknown[] }).replies.length).toBeGreaterThan(0);
  });

  it('refuses a declared length over 16 KB with 413, without reading it', async () => {
    const body = json({ text: 'a'.repeat(17 * 1024) });
    const a = await post(await path('direct-big-1'), body, withLength(body));
    expect(a.status).toBe(413);
    expect(a.json).toEqual({ error: 'the body is larger than 16 KB', code: 'too_large' });
  });

  it('counts a chunked body and refuses it over 16 KB', async () => {
    const big = await post(await path('chunked-big-1'), json({ text: 'a'.repeat(17 * 1024) }), { 'transfer-encoding': 'chunked' });
    expect(big.status).toBe(413);
    const small = await post(await path('chunked-ok-1'), json({ text: 'habari' }), { 'transfer-encoding': 'chunked' });
    expect(small.status).toBe(200);
  });

  it('takes invalid UTF-8 as replacement characters and a byte-order mark as nothing', async () => {
    const invalid = Buffer.concat([Buffer.from('{"text":"habari '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    expect((await post(await path('direct-utf8-1'), invalid, withLength(invalid))).status).toBe(200);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ text: 'habari' })]);
    expect((await post(await path('direct-bom-1'), bom, withLength(bom))).status).toBe(200);
    const { messages } = (await (await fetch(`${server.url}${await path('direct-utf8-1')}`)).json()) as { messages: { direction: string; text: string }[] };
    expect(messages.find((m) => m.direction === 'in')?.text).toBe('habari \ufffd(\ufffd');
  });

  it('answers an empty or non-JSON body with 400', async () => {
    const empty = await post(await path('direct-empty-1'), Buffer.alloc(0), { 'content-length': 0 });
    expect(empty).toEqual({ status: 400, json: { error: 'the body must be JSON: {"text": "..."}', code: 'not_json' } });
    const text = Buffer.from('text=habari');
    expect((await post(await path('direct-form-1'), text, withLength(text))).status).toBe(400);
  });

  it('reads the Idempotency-Key header from Node: a retry gets the same replies, stored once', async () => {
    const body = json({ text: 'habari' });
    const first = await post(await path('direct-retry-1'), body, { ...withLength(body), 'Idempotency-Key': 'k-1' });
    const again = await post(await path('direct-retry-1'), body, { ...withLength(body), 'Idempotency-Key': 'k-1' });
    expect(again).toEqual(first);
    const { messages } = (await (await fetch(`${server.url}${await path('direct-retry-1')}`)).json()) as { messages: { direction: string }[] };
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(1);
  });
});

describe("reading a body from Node's request", () => {
  it("does not take hono's web path when Node's parser bounds the body", async () => {
    const { Hono } = await import('hono');
    const { serve } = await import('@hono/node-server');
    const { readText } = await import('../../channels/http.ts');
    const app = new Hono();
    app.post('/echo', async (c) => {
      // Were the web path taken, this would answer 500.
      c.req.text = () => Promise.reject(new Error('the web Request was built'));
      return c.text(await readText(c));
    });
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    const { port } = s.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'habari yako' });
    expect({ status: res.status, text: await res.text() }).toEqual({ status: 200, text: 'habari yako' });
    await new Promise<void>((resolve) => s.close(() => resolve()));
  });
});

describe('the one body reader, for every route', () => {
  type Post = (body: RequestInit['body'], headers?: Record<string, string>) => Promise<unknown>;

  /** A bare app over a real socket whose one route answers what `read` made of the body; `check` posts to it. */
  async function reading(read: (c: Context) => Promise<unknown>, check: (post: Post) => Promise<void>): Promise<void> {
    const app = new Hono();
    app.post('/read', async (c) => {
      const value = await read(c);
      return c.json(Buffer.isBuffer(value) ? { hex: value.toString('hex') } : value);
    });
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    const { port } = s.address() as { port: number };
    // duplex: what fetch needs to send a stream (a body without a declared length).
    const post: Post = async (body, headers = {}) => (await fetch(`http://127.0.0.1:${port}/read`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit)).json();
    try {
      await check(post);
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  it("gives a form's text fields, url-encoded or multipart, and leaves files out", () =>
    reading(readForm, async (post) => {
      expect(await post(new URLSearchParams({ from: '+255713000111', text: 'habari' }))).toEqual({ from: '+255713000111', text: 'habari' });
      const multipart = new FormData();
      multipart.set('token', 'abc');
      multipart.set('upload', new Blob(['x']), 'x.txt');
      expect(await post(multipart)).toEqual({ token: 'abc' });
    }));

  it('reads a body that is not a form as no fields, so the route says what is missing', () =>
    reading(readForm, async (post) => {
      expect(await post(JSON.stringify({ from: '+255713000111' }), { 'content-type': 'application/json' })).toEqual({});
      expect(await post('from=%zz', { 'content-type': 'text/plain' })).toEqual({});
    }));

  it('gives the bytes as they came, for a signature over them, on both paths', () =>
    reading(readBytes, async (post) => {
      const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0xc3, 0x28, 0xff, 0x7d]);
      expect(await post(bytes)).toEqual({ hex: bytes.toString('hex') });
      // A stream has no declared length: chunked, read by hono's web path.
      const chunked = new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 3));
          controller.enqueue(bytes.subarray(3));
          controller.close();
        },
      });
      expect(await post(chunked)).toEqual({ hex: bytes.toString('hex') });
    }));
});
