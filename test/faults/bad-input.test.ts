// Whatever a client sends to the web chat: never a 5xx; a 4xx {"error"} for a bad body, or 200 with a reply and the text kept as typed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { messagesPath } from '../support/sessions.ts';

/** The server of the backend being tested (each describe.each block starts its own). */
let server: TestServer;

const LIMIT = 16 * 1024;
let sessions = 0;
/** A new person for every run, so what one run sends does not change the next one's answer. */
const nextSession = () => `bad-input-${++sessions}`;

const post = async (session: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  server.app.http.request(await messagesPath(server, session), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

/** The answer as JSON, checking it is JSON (never HTML) whatever the status. */
async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

/** A bad body: 4xx with a non-empty {"error"}; a good one: 200 with {"replies"}. Never 5xx. */
async function expectSaneAnswer(res: Response): Promise<number> {
  expect(res.status).toBeLessThan(500);
  const body = await jsonOf(res);
  if (res.status === 200) {
    expect(Array.isArray(body.replies)).toBe(true);
  } else {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(typeof body.error).toBe('string');
    expect((body.error as string).length).toBeGreaterThan(0);
  }
  return res.status;
}

// The texts people (and scripts) send.
const emoji = fc.array(fc.constantFrom('😀', '🇹🇿', '👍🏾', '👨‍👩‍👧‍👦', '🙏', '❤️', '📶', '🔥'), { minLength: 1, maxLength: 40 }).map((a) => a.join(''));
const control = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\u007f', '\u200b', '\u202e', '\ufeff', 'a', 'b', ' '),
    ),
    { minLength: 1, maxLength: 60 },
  )
  .map((a) => a.join(''));
const sqlish = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("'); DROP TABLE requests;--", "1' OR '1'='1", '"; DELETE FROM people; --', "Robert'); DROP TABLE messages;--", '%00; PRAGMA writable_schema=1;'))
  .map(([a, b]) => `${a}${b}`);
const htmlish = fc
  .tuple(
    fc.constantFrom('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</textarea><b>bold</b>', '&lt;&amp;&#x3C;', '<!-- hi -->', '<a href="javascript:alert(1)">x</a>'),
    fc.string({ maxLength: 20 }),
  )
  .map(([a, b]) => `${a}${b}`);
const unicode = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 });
const long = fc.tuple(fc.integer({ min: 3_990, max: 10_000 }), fc.constantFrom('a', 'ŵ', 'habari ', '😀')).map(([n, s]) => [...s.repeat(n)].slice(0, n).join('')); // whole characters (an emoji is two UTF-16 units)
const texts = fc.oneof(emoji, control, sqlish, htmlish, unicode, long, fc.constantFrom('x'.repeat(10_000), '   ', '', '\n\t habari \n'));

describe.each(BACKENDS)('on %s', (backend) => {
  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(() => server.close());

  describe('web chat bad input (property-based)', () => {
    it('a text of any kind: 200 with a reply and the text kept exactly as typed (trimmed), or 400/413 with the reason', async () => {
      await fc.assert(
        fc.asyncProperty(texts, async (text) => {
          const session = nextSession();
          const body = JSON.stringify({ text });
          const res = await post(session, body);
          const status = await expectSaneAnswer(res.clone());
          const typed = text.trim();
          const bytes = Buffer.byteLength(body);
          // The 4000-character limit counts characters (code points), not UTF-16 units: 4000 emoji are allowed.
          const characters = [...typed].length;
          // NUL is refused (no one types it, and PostgreSQL cannot keep it): 400, on both databases.
          const expected = bytes > LIMIT ? 413 : characters === 0 || characters > 4000 || typed.includes('\u0000') ? 400 : 200;
          expect(status).toBe(expected);
          if (status !== 200) return;
          const { replies } = (await res.json()) as { replies: { text: string }[] };
          expect(replies.length).toBeGreaterThan(0);
          expect(replies.every((r) => typeof r.text === 'string' && r.text.length > 0)).toBe(true);
          // Read back through the transcript: the same text, as a JSON string (never markup).
          const got = await server.app.http.request(await messagesPath(server, session));
          expect(got.status).toBe(200);
          const { messages } = (await jsonOf(got)) as { messages: { direction: string; text: string }[] };
          expect(messages[0]).toMatchObject({ direction: 'in', text: typed });
        }),
        { numRuns: 150 },
      );
    });

    it('any body at all (not JSON, JSON of any shape, raw bytes, invalid UTF-8): never 5xx', async () => {
      const invalidUtf8 = fc
        .tuple(fc.string({ maxLength: 20 }), fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0xbc], [0xc0, 0xaf]), fc.string({ maxLength: 20 }))
        .map(([a, bad, b]) => Buffer.concat([Buffer.from(`{"text":"${a.replace(/["\\]/g, '')}`), Buffer.from(bad), Buffer.from(`${b.replace(/["\\]/g, '')}"}`)]));
      const bodies = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json(),
        fc.jsonValue().map((v) => JSON.stringify({ text: v })),
        fc.jsonValue().map((v) => JSON.stringify({ text: 'habari', extra: v })),
        fc.uint8Array({ maxLength: 300 }),
        invalidUtf8,
        fc.string({ unit: 'binary', maxLength: 100 }).map((t) => JSON.stringify({ text: t })), // lone surrogates too
      );
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          await expectSaneAnswer(await post(nextSession(), body));
        }),
        { numRuns: 200 },
      );
    });

    it('invalid UTF-8 inside a JSON string is read with replacement characters and kept so', async () => {
      const session = nextSession();
      const res = await post(session, Buffer.concat([Buffer.from('{"text":"habari '), Buffer.from([0xff, 0xfe]), Buffer.from(' sana"}')]));
      expect(await expectSaneAnswer(res)).toBe(200);
      const { messages } = (await jsonOf(await server.app.http.request(await messagesPath(server, session)))) as { messages: { text: string }[] };
      expect(messages[0]?.text).toBe('habari \ufffd\ufffd sana');
    });

    it('text of the wrong type, or fields it does not know: 400 naming the problem', async () => {
      const wrong = fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            wrong.map((text) => ({ text })),
            fc.record({ text: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''), admin: fc.jsonValue() }),
          ),
          async (payload) => {
            const res = await post(nextSession(), JSON.stringify(payload));
            expect(res.status).toBe(400);
            expect(((await jsonOf(res)) as { error: string }).error).toMatch(/text|admin|Unrecognized|expected/i);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('a body over 16 KB: 413 {"error"}, with or without a Content-Length, and nothing stored', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: LIMIT + 1, max: 200 * 1024 }), fc.boolean(), fc.constantFrom('a', '😀', '<'), async (size, withLength, unit) => {
          const session = nextSession();
          const body = JSON.stringify({ text: unit.repeat(size) });
          const res = await post(session, body, withLength ? { 'content-length': String(Buffer.byteLength(body)) } : {});
          expect(res.status).toBe(413);
          expect(await jsonOf(res)).toEqual({ error: 'the body is larger than 16 KB', code: 'too_large' });
          expect(((await jsonOf(await server.app.http.request(await messagesPath(server, session)))) as { messages: unknown[] }).messages).toEqual([]);
        }),
        { numRuns: 30 },
      );
    });

    it('any session id, cursor or Idempotency-Key: never 5xx', async () => {
      const key = fc.string({ unit: 'grapheme-ascii', maxLength: 120 }).filter((k) => /^[\x20-\x7e]*$/.test(k));
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 80 }), fc.string({ maxLength: 30 }), key, async (session, after, idempotencyKey) => {
          const path = `/webchat/sessions/${encodeURIComponent(session)}/messages`;
          await expectSaneAnswer(
            await server.app.http.request(path, { method: 'POST', body: '{"text":"habari"}', headers: { 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey } }),
          );
          const got = await server.app.http.request(`${path}?after=${encodeURIComponent(after)}`);
          expect(got.status).toBeLessThan(500);
          await jsonOf(got);
        }),
        { numRuns: 100 },
      );
    });

    it('the chat page never carries what people typed; it shows text with textContent only', async () => {
      await post(nextSession(), JSON.stringify({ text: '<script>alert("x")</script>' }));
      const page = await (await server.app.http.request('/')).text();
      expect(page).not.toContain('alert("x")');
      expect(page).not.toContain('innerHTML');
      // And the SQL-looking texts were only ever data: the tables are all there.
      const counted = await server.app.store.read(async (tx) => ({ people: (await tx.orm.select().from(tx.t.people)).length, requests: (await tx.orm.select().from(tx.t.requests)).length }));
      expect(counted.people).toBeGreaterThan(0);
      expect(counted.requests).toBeGreaterThanOrEqual(0);
    });
  });
});
