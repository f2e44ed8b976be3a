// SIGTERM under load: the requests in flight are answered, the process exits 0, and the outbox is whole on restart.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, databaseEnv } from '../support/databases.ts';
import { FLOW, freePort, post, queryDatabase, REFERENCE, sleep, spawnServer, stopServer, tempDir, transcriptOf, type Reply, type RunningServer } from './support.ts';
import { forgetSocketSessions, messagesPath } from '../support/sessions.ts';

const TOKEN = '123456:graceful-test';
const SECRET = 'graceful_secret';
const WEBCHAT_PEOPLE = 14;
const TELEGRAM_PEOPLE = 6;

/** A Bot API that answers what grammY asks and records every message sent, a little slowly as Telegram does. */
async function fakeBotApi(): Promise<{ url: string; sent: { chatId: string; text: string }[]; close(): Promise<void> }> {
  const sent: { chatId: string; text: string }[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (b: Buffer) => (body += b.toString()));
      req.on('end', () => resolve(body));
    });
  const server: Server = createServer((req, res) => {
    void read(req).then(async (raw) => {
      const method = req.url?.split('/').at(-1) ?? '';
      const params = raw ? (JSON.parse(raw) as { chat_id?: string | number; text?: string }) : {};
      let result: unknown = true;
      if (method === 'getMe')
        result = { id: 42, is_bot: true, first_name: 'Huduma', username: 'huduma_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      if (method === 'sendMessage') {
        await sleep(20);
        sent.push({ chatId: String(params.chat_id), text: String(params.text) });
        result = { message_id: sent.length, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: params.text };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const _updateId = 1000;
/** A Telegram update for the webhook, as Telegram posts it; resolves with the HTTP status. */
async function telegramSays(url: string, chatId: number, text: string, id: number): Promise<number> {
  const update = {
    update_id: id,
    message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Mteja' }, from: { id: chatId, is_bot: false, first_name: 'Mteja' }, text },
  };
  const res = await fetch(`${url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(update) });
  await res.text();
  return res.status;
}

/**
 * A web chat POST surely in flight: the server has read its headers (it answered "100 Continue")
 * and the rest of the body comes only when the test says.
 */
async function slowPost(url: string, session: string, text: string): Promise<{ finish(): void; answer: Promise<{ status: number; body: string } | { error: string }> }> {
  const body = JSON.stringify({ text });
  const { hostname, port } = new URL(url);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'Idempotency-Key': 'slow-1', expect: '100-continue' };
  const req = request({ hostname, port, path: await messagesPath(url, session), method: 'POST', headers });
  const answer = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    req.on('response', (res) => {
      let got = '';
      res.on('data', (b: Buffer) => (got += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: got }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
  });
  const headersRead = new Promise<boolean>((resolve) => {
    req.on('continue', () => resolve(true));
    void answer.then(() => resolve(false));
  });
  req.flushHeaders();
  expect(await headersRead, 'the server read the request headers').toBe(true);
  req.write(body.slice(0, 6));
  return { finish: () => req.end(body.slice(6)), answer };
}

type Attempt = { who: string; startedAt: number; outcome: number | 'connection failed' };

let server: RunningServer | undefined;
let api: Awaited<ReturnType<typeof fakeBotApi>> | undefined;
afterEach(async () => {
  await stopServer(server);
  await api?.close();
});

describe.each(BACKENDS)('SIGTERM under load on %s', (backend) => {
  it('answers the requests in flight, exits 0, leaves no outbox row half-done, and every flow finishes after a restart', async () => {
    api = await fakeBotApi();
    const fake = api;
    const database = await databaseEnv(backend, join(tempDir('huduma-graceful-'), 'huduma.db'));
    forgetSocketSessions();
    const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_WEBHOOK_SECRET: SECRET };
    server = await spawnServer({ database, env });
    const first = server;

    const attempts: Attempt[] = [];
    /** What each conversation must still send after the restart: [who, flow, message index]. */
    const leftOver: { who: number; flow: number; j: number }[] = [];
    const webAnswers = new Map<string, Reply[]>();
    let loadOn = true;
    let sigtermAt = Number.POSITIVE_INFINITY;

    const webchatPerson = async (who: number) => {
      for (let flow = 0; loadOn; flow++) {
        for (let j = 0; j < FLOW.length; j++) {
          const startedAt = performance.now();
          const sent = await post(first.url, `graceful-web-${who}-${flow}`, FLOW[j] as string, `m${j}`).catch(() => undefined);
          attempts.push({ who: `web ${who}`, startedAt, outcome: sent?.status ?? 'connection failed' });
          if (sent?.status !== 200) return void leftOver.push({ who, flow, j });
          webAnswers.set(`${who}/${flow}/${j}`, sent.body.replies ?? []);
        }
      }
    };
    const telegramPerson = async (who: number) => {
      for (let j = 0; j < FLOW.length; j++) {
        const startedAt = performance.now();
        const status = await telegramSays(first.url, 7000 + who, FLOW[j] as string, 100 * who + j).catch(() => undefined);
        attempts.push({ who: `telegram ${who}`, startedAt, outcome: status ?? 'connection failed' });
        if (status !== 200) return void leftOver.push({ who: WEBCHAT_PEOPLE + who, flow: 0, j });
        await sleep(150);
      }
    };
    const load = [...Array.from({ length: WEBCHAT_PEOPLE }, (_, i) => webchatPerson(i)), ...Array.from({ length: TELEGRAM_PEOPLE }, (_, i) => telegramPerson(i))];

    await sleep(500);
    const slow = await Promise.all([0, 1, 2].map((k) => slowPost(first.url, `graceful-slow-${backend}-${k}`, 'habari')));
    await sleep(100);
    sigtermAt = performance.now();
    first.child.kill('SIGTERM');
    await sleep(300);
    for (const s of slow) s.finish();
    const slowAnswers = await Promise.all(slow.map((s) => s.answer));
    loadOn = false;
    await Promise.all(load);
    const { code } = await first.exited;
    const stoppedIn = performance.now() - sigtermAt;

    // The requests whose bodies were still arriving at SIGTERM were answered in full.
    for (const a of slowAnswers) {
      expect(a).toMatchObject({ status: 200 });
      if ('body' in a) expect((JSON.parse(a.body) as { replies: Reply[] }).replies.length).toBeGreaterThan(0);
    }
    // Every answer that came back was a 200 (none 5xx). Some were refused at the connection once stopping had
    // begun (a new connection, or a keep-alive one closed while idle): those people resend after the restart.
    expect(attempts.filter((a) => a.outcome !== 200 && a.outcome !== 'connection failed')).toEqual([]);
    const cut = attempts.filter((a) => a.outcome === 'connection failed');
    expect(attempts.filter((a) => a.outcome === 200).length).toBeGreaterThan(10);
    expect(code).toBe(0);
    expect(stoppedIn).toBeLessThan(10_000);
    expect(first.log()).toContain('"msg":"stopped"');

    // The outbox as the stopped process left it: no row half-done.
    type Row = { chatId: string; status: string; attempts: number; lastError: string | null; sentAt: unknown; body: unknown };
    const rowsOf = () => queryDatabase<Row>(database, 'select id, chat_id as "chatId", status, attempts, last_error as "lastError", sent_at as "sentAt", body from outbox');
    const left = await rowsOf();
    expect(left.length).toBeGreaterThan(0);
    const before = cut.filter((a) => a.startedAt < sigtermAt).length;
    console.info(
      `SIGTERM: ${attempts.filter((a) => a.outcome === 200).length} answered, ${cut.length} refused at the connection (${before} sent before the signal), stopped in ${Math.round(stoppedIn)} ms; outbox left ${left.filter((r) => r.status === 'pending').length} pending, ${left.filter((r) => r.status === 'sent').length} sent`,
    );
    expect(left.filter((r) => !(r.status === 'pending' && r.sentAt === null) && !(r.status === 'sent' && r.sentAt !== null))).toEqual([]);
    // A pending row with an attempt but no recorded outcome would be a send cut off half-way.
    expect(left.filter((r) => r.status === 'pending' && r.attempts > 0 && r.lastError === null)).toEqual([]);
    const sentKey = (chatId: string, text: string) => `${chatId}\u0000${text}`;
    const delivered = (rows: typeof left) =>
      rows
        .filter((r) => r.status === 'sent')
        .map((r) => sentKey(r.chatId, (typeof r.body === 'string' ? (JSON.parse(r.body) as Reply) : (r.body as Reply)).text))
        .sort();
    expect(fake.sent.map((s) => sentKey(s.chatId, s.text)).sort()).toEqual(delivered(left));

    // Restart on the same file: the people cut off resend (same key or update id) and finish their flows.
    server = await spawnServer({ database, env });
    const second = server;
    await Promise.all(
      leftOver.map(async ({ who, flow, j }) => {
        for (let k = j; k < FLOW.length; k++) {
          if (who >= WEBCHAT_PEOPLE) {
            expect(await telegramSays(second.url, 7000 + who - WEBCHAT_PEOPLE, FLOW[k] as string, 100 * (who - WEBCHAT_PEOPLE) + k)).toBe(200);
          } else {
            const sent = await post(second.url, `graceful-web-${who}-${flow}`, FLOW[k] as string, `m${k}`);
            expect(sent.status).toBe(200);
            webAnswers.set(`${who}/${flow}/${k}`, sent.body.replies ?? []);
          }
        }
      }),
    );
    // Every web chat flow that reached "yes" has its reference, and each transcript holds every message once,
    // followed by exactly the replies it was given (a refused request that had been committed is not answered twice).
    for (const [k, replies] of webAnswers) if (k.endsWith('/3')) expect(replies.map((r) => r.text).join(' ')).toMatch(REFERENCE);
    const sessions = new Set([...webAnswers.keys()].map((k) => k.split('/').slice(0, 2).join('/')));
    for (const s of sessions) {
      const [who, flow] = s.split('/');
      const sent = FLOW.map((_, j) => webAnswers.get(`${s}/${j}`)).filter((r) => r !== undefined);
      const expected = sent.flatMap((replies, j) => [{ direction: 'in', text: FLOW[j] }, ...replies.map((r) => ({ direction: 'out', text: r.text }))]);
      const got = await transcriptOf(second.url, `graceful-web-${who}-${flow}`);
      expect(got.map((m) => ({ direction: m.direction, text: m.text })).slice(0, expected.length), s).toEqual(expected);
    }
    // The outbox drains (one message a second per Telegram chat): each reply delivered exactly once across the restart.
    for (let i = 0; i < 200 && (await rowsOf()).some((r) => r.status !== 'sent'); i++) await sleep(100);
    const all = await rowsOf();
    expect(all.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(fake.sent.map((s) => sentKey(s.chatId, s.text)).sort()).toEqual(delivered(all));
    for (let who = 0; who < TELEGRAM_PEOPLE; who++)
      expect(
        fake.sent
          .filter((s) => s.chatId === String(7000 + who))
          .map((s) => s.text)
          .join(' '),
      ).toMatch(REFERENCE);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});

/** A raw socket that sends `text` and then nothing; resolves once connected and written, with how it ends. */
async function stall(url: string, text: string): Promise<{ closed: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(text);
  let got = '';
  socket.on('data', (b: Buffer) => (got += b.toString()));
  socket.on('error', () => undefined);
  return { closed: new Promise((resolve) => socket.once('close', () => resolve(got))) };
}

describe('SIGTERM with stalled clients', () => {
  it('cuts a client that sent half a request and stalls (and one stuck in its headers), finishes the others, and exits 0 within 10 s', async () => {
    const database = { DATABASE_PATH: join(tempDir('huduma-stalled-'), 'huduma.db') };
    server = await spawnServer({ database });
    const running = server;
    const path = await messagesPath(running.url, 'stalled-person-1');
    // Headers and part of the body, then nothing: the route is waiting for the rest of the body.
    const halfBody = await stall(running.url, `POST ${path} HTTP/1.1\r\nHost: huduma\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{"text":"hab`);
    // Part of the headers, then nothing.
    const halfHeaders = await stall(running.url, `POST ${path} HTTP/1.1\r\nHost: huduma\r\nContent-Ty`);
    // An ordinary client meanwhile is answered.
    expect((await post(running.url, 'stalled-person-2', 'habari', 'k1')).status).toBe(200);
    await sleep(200);

    const signalled = performance.now();
    running.child.kill('SIGTERM');
    const { code } = await running.exited;
    const stoppedIn = performance.now() - signalled;
    expect(code).toBe(0);
    expect(stoppedIn).toBeLessThan(10_000);
    await Promise.all([halfBody.closed, halfHeaders.closed]);
    expect(running.log()).toContain('cutting the connections still open');
    expect(running.log()).toContain('"msg":"stopped"');
    expect(running.log()).not.toContain('stopping took over');
    // The half-sent message was never taken; the whole one was, once.
    const rows = await queryDatabase<{ text: string }>(database, "select text from messages where direction = 'in'");
    expect(rows.map((r) => r.text)).toEqual(['habari']);
  }, 60_000);
});
