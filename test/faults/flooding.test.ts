// One person flooding the web chat: one polite word, then silence until the window passes; everyone else is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../bot/engine/rate-limit.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { translator } from '../../locales/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { queryDatabase } from './support.ts';
import { say, transcript } from '../support/flows.ts';
import { messagesPath } from '../support/sessions.ts';

const POLITE_SW = translator('sw')('chat.rate_limited');
const POLITE_EN = translator('en')('chat.rate_limited');

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(() => server.close());

  describe('a person sending 30 messages in a minute (the default limit is 20)', () => {
    it('gets exactly one polite reply, then silence until the window passes; another person is answered meanwhile', async () => {
      const flooder = 'flood-person-1';
      const other = 'flood-bystander-1';
      const answers: string[][] = [];
      for (let n = 0; n < 30; n++) {
        answers.push((await say(server, flooder, `habari ${n}`)).map((r) => r.text));
        // Someone else writes in between, and is answered as usual.
        if (n % 5 === 4) expect((await say(server, other, n === 4 ? 'habari' : 'msaada')).length).toBeGreaterThan(0);
        server.clock.advance(1_500); // 30 messages in 45 s
      }
      // The first 20 are answered as usual, the 21st with the polite word, the other nine not at all.
      expect(answers.slice(0, 20).every((a) => a.length > 0 && !a.includes(POLITE_SW))).toBe(true);
      expect(answers[20]).toEqual([POLITE_SW]);
      expect(answers.slice(21)).toEqual(Array.from({ length: 9 }, () => []));

      // Still within the window of the earlier messages: silence.
      server.clock.advance(5_000);
      expect(await say(server, flooder, 'bado upo?')).toEqual([]);
      // Once the window has passed, they are answered as usual again.
      server.clock.advance(61_000);
      const back = await say(server, flooder, 'msaada');
      expect(back.length).toBeGreaterThan(0);
      expect(back.map((r) => r.text)).not.toContain(POLITE_SW);

      // Every message is kept for staff; the polite word is in the transcript once.
      const kept = await transcript(server, flooder);
      expect(kept.filter((m) => m.direction === 'in')).toHaveLength(32);
      expect(kept.filter((m) => m.text === POLITE_SW)).toHaveLength(1);
    });

    it('answers a resend of a limited message with what it got the first time (the polite word, or nothing)', async () => {
      const send = async (text: string, key: string) =>
        server.app.http.request(await messagesPath(server, 'flood-person-2'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify({ text }),
        });
      for (let n = 0; n < 20; n++) expect((await send('hello there', `k${n}`)).status).toBe(200);
      const polite = await (await send('hello again', 'k20')).json();
      const silent = await (await send('hello again', 'k21')).json();
      // Written in English: the polite word is in English.
      expect(polite).toEqual({ replies: [{ text: POLITE_EN }] });
      expect(silent).toEqual({ replies: [] });
      server.clock.advance(120_000);
      expect(await (await send('hello again', 'k20')).json()).toEqual(polite);
      expect(await (await send('hello again', 'k21')).json()).toEqual(silent);
    });

    it('does not count a resend against the limit: the twentieth new message is still answered', async () => {
      const send = async (text: string, key: string) =>
        (
          await server.app.http.request(await messagesPath(server, 'flood-person-4'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
            body: JSON.stringify({ text }),
          })
        ).json();
      for (let n = 0; n < 19; n++) await send('hello there', `r${n}`);
      const first = await send('hello there', 'r18');
      for (let n = 0; n < 5; n++) expect(await send('hello there', 'r18')).toEqual(first);
      expect(await send('hello there', 'r19')).not.toEqual({ replies: [{ text: POLITE_EN }] });
      expect(await send('hello there', 'r20')).toEqual({ replies: [{ text: POLITE_EN }] });
    });

    it('is per person and per channel: the same id on another channel is not limited', async () => {
      const base = { chatId: 'flood-person-3', senderId: 'flood-person-3', receivedAt: server.clock.now() };
      for (let n = 0; n < 21; n++) await server.app.inbox.submit({ ...base, channel: 'webchat', channelMessageId: `w${n}`, text: 'habari' });
      const terminal = await server.app.inbox.submit({ ...base, channel: 'terminal', channelMessageId: 't0', text: 'habari' });
      expect(terminal.status).toBe('replied');
      const webchat = await server.app.inbox.submit({ ...base, channel: 'webchat', channelMessageId: 'w21', text: 'habari' });
      expect(webchat).toEqual({ status: 'rate_limited', replies: [] });
      // Limited messages go nowhere near the outbox for web chat, and the polite word is stored as any reply.
      const rows = await queryDatabase(
        server.databaseEnv,
        `select cast(count(*) as integer) as n from messages m join conversations c on c.id = m.conversation_id where c.chat_id = 'flood-person-3' and m.text = '${POLITE_SW.replace(/'/g, "''")}'`,
      );
      expect(rows).toEqual([{ n: 1 }]);
    });
  });

  describe('flooding while staff hold the chat', () => {
    it('keeps every message for staff, and the bot says nothing (not even the polite word)', async () => {
      const session = 'flood-handoff-1';
      expect((await say(server, session, 'I want to talk to a human officer please'))[0]?.text).toMatch(/passed you to an ICT officer/);
      const answers: unknown[][] = [];
      for (let n = 0; n < 25; n++) answers.push(await say(server, session, `are you there? ${n}`));
      expect(answers.flat()).toEqual([]);
      const kept = await transcript(server, session);
      expect(kept.filter((m) => m.direction === 'in')).toHaveLength(26);
      expect(kept.filter((m) => m.text === POLITE_EN)).toEqual([]);
      const metrics = await (await server.app.http.request('/metrics')).text();
      expect(metrics).toMatch(/huduma_messages_rate_limited_total\{channel="webchat"\} \d+/);
    });
  });
});

describe('RateLimiter', () => {
  it('lets `limit` through in any sliding window, tells once, and at most once a window even under a steady flood', () => {
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const limiter = new RateLimiter({ limit: 3, clock });
    const hits = (n: number, stepMs: number) =>
      Array.from({ length: n }, () => {
        const d = limiter.hit('p');
        clock.advance(stepMs);
        return d;
      });
    expect(hits(6, 1_000)).toEqual(['allowed', 'allowed', 'allowed', 'notify', 'silent', 'silent']);
    // One message a second for two more minutes: a message is let through as each old one leaves the window,
    // and the polite word comes at most once a minute.
    const flood = hits(120, 1_000);
    expect(flood.filter((d) => d === 'notify').length).toBeLessThanOrEqual(2);
    expect(flood.filter((d) => d === 'allowed').length).toBeLessThanOrEqual(6);
    clock.advance(60_000);
    expect(hits(3, 0)).toEqual(['allowed', 'allowed', 'allowed']);
  });

  it('is off at 0, and keeps at most maxKeys people in memory', () => {
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const off = new RateLimiter({ limit: 0, clock });
    expect(Array.from({ length: 100 }, () => off.hit('p'))).not.toContain('notify');
    const limiter = new RateLimiter({ limit: 2, clock, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.hit(`person-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // Idle people are forgotten once their window has passed.
    clock.advance(61_000);
    limiter.hit('someone');
    expect(limiter.size).toBe(1);
  });
});
