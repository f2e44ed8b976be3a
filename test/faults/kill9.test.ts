// kill -9 in the middle of forty conversations: nothing acknowledged is lost, nothing is half-written or answered twice.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseEnv, BACKENDS } from '../support/databases.ts';
import { FLOW, post, queryDatabase, REFERENCE, spawnServer, stopServer, tempDir, transcriptOf, type Reply, type RunningServer } from './support.ts';
import { forgetSocketSessions } from '../support/sessions.ts';

const PEOPLE = 40;
/** SIGKILL once this many messages have been answered (of 160): well inside the run, with dozens in flight. */
const KILL_AFTER = 70;
const session = (i: number) => `kill9-person-${i}`;
const key = (j: number) => `msg-${j}`;
/** These people's second answer is lost on the way (a phone off the network): committed, never seen. */
const LOSE_ANSWER = 5;

let server: RunningServer | undefined;
afterEach(() => stopServer(server));

describe.each(BACKENDS)('kill -9 under load on %s, then a restart on the same database', (backend) => {
  it('every acknowledged message has one reply set, nothing is half-written, and every flow ends with a reference', async () => {
    const database = await databaseEnv(backend, join(tempDir('huduma-kill9-'), 'huduma.db'));
    forgetSocketSessions();
    server = await spawnServer({ database });
    const first = server;

    // Phase 1: forty people write at once; the server is killed mid-way.
    const answered = new Map<string, Reply[]>(); // `${i}/${j}` → replies
    const next = new Array<number>(PEOPLE).fill(0); // each person's first message without an answer
    const statuses: number[] = [];
    const lost = new Map<number, Reply[]>();
    let ok = 0;
    let killed = false;
    // A few ms after the KILL_AFTER-th answer (and once the lost answers are in), so the signal lands while the
    // next batch is being taken, not between answers.
    const maybeKill = () => {
      if (killed || ok < KILL_AFTER || lost.size < LOSE_ANSWER) return;
      killed = true;
      setTimeout(() => first.child.kill('SIGKILL'), 4);
    };
    const person = async (i: number) => {
      for (let j = 0; j < FLOW.length; j++) {
        const sent = await post(first.url, session(i), FLOW[j] as string, key(j)).catch(() => undefined);
        if (!sent) return; // the connection died: this message's answer never came
        statuses.push(sent.status);
        if (sent.status !== 200) return;
        if (i < LOSE_ANSWER && j === 1) return void (lost.set(i, sent.body.replies ?? []), maybeKill());
        answered.set(`${i}/${j}`, sent.body.replies ?? []);
        next[i] = j + 1;
        ok++;
        maybeKill();
      }
    };
    await Promise.all(Array.from({ length: PEOPLE }, (_, i) => person(i)));
    expect((await first.exited).signal).toBe('SIGKILL');
    // Nothing but 200 came back before the kill; the rest failed at the connection.
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(ok).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(ok).toBeLessThan(PEOPLE * FLOW.length);

    // What the dead process had committed: the database is whole (WAL recovery), with answers nobody received.
    const committed = await queryDatabase<{ id: string }>(database, `select channel_message_id as id from messages where direction = 'in'`);
    const unanswered = committed.filter(({ id }) => {
      const [who, k] = id.split(':');
      return !answered.has(`${Number(who?.replace('kill9-person-', ''))}/${Number(k?.replace('msg-', ''))}`);
    });
    console.info(`kill -9 after ${ok} answers: ${committed.length} messages committed, ${unanswered.length} of them committed but never answered`);

    // Phase 2: the same file, a new process; each person resends the message left unanswered (same key) and goes on.
    server = await spawnServer({ database });
    const second = server;
    const resume = async (i: number) => {
      for (let j = next[i] as number; j < FLOW.length; j++) {
        const sent = await post(second.url, session(i), FLOW[j] as string, key(j));
        expect(sent.status, `${session(i)} message ${j}`).toBe(200);
        answered.set(`${i}/${j}`, sent.body.replies ?? []);
      }
    };
    await Promise.all(Array.from({ length: PEOPLE }, (_, i) => resume(i)));
    // The answers lost on the way come back as they were first given, not as a second turn.
    for (const [i, replies] of lost) expect(answered.get(`${i}/1`), session(i)).toEqual(replies);
    expect(lost.size).toBe(LOSE_ANSWER);

    // A resend of any message, answered before or after the crash, gets the very replies it got, and no new ones.
    for (let i = 0; i < PEOPLE; i++) {
      for (let j = 0; j < FLOW.length; j++) {
        const again = await post(second.url, session(i), FLOW[j] as string, key(j));
        expect(again.status).toBe(200);
        expect(again.body.replies, `${session(i)} message ${j}`).toEqual(answered.get(`${i}/${j}`));
      }
    }

    // Every flow ended with a reference, each a different one.
    const references = Array.from({ length: PEOPLE }, (_, i) => REFERENCE.exec((answered.get(`${i}/3`) ?? []).map((r) => r.text).join(' '))?.[0]);
    expect(
      references.every((r) => r !== undefined),
      references.join(', '),
    ).toBe(true);
    expect(new Set(references).size).toBe(PEOPLE);

    // Each transcript: the four messages once each, in order, each followed by exactly the replies it was given.
    for (let i = 0; i < PEOPLE; i++) {
      const messages = await transcriptOf(second.url, session(i));
      const expected = FLOW.flatMap((text, j) => [{ direction: 'in', text }, ...(answered.get(`${i}/${j}`) ?? []).map((r) => ({ direction: 'out', text: r.text }))]);
      expect(
        messages.map((m) => ({ direction: m.direction, text: m.text })),
        session(i),
      ).toEqual(expected);
    }

    // The database itself, read by another connection.
    const all = <T>(query: string) => queryDatabase<T>(database, query);
    expect((await all<{ n: number }>('select cast(count(*) as integer) as n from requests'))[0]?.n).toBe(PEOPLE);
    // No request without its 'created' event or its conversation.
    expect(await all(`select r.id from requests r where not exists (select 1 from request_events e where e.request_id = r.id and e.kind = 'created')`)).toEqual([]);
    expect(await all('select r.id from requests r left join conversations c on c.id = r.conversation_id where c.id is null')).toEqual([]);
    // References: no duplicates, no gaps, and the counter at the last one handed out.
    const stored = (await all<{ reference: string }>('select reference from requests')).map((r) => r.reference);
    const numbers = stored.map((r) => Number(REFERENCE.exec(r)?.[1]));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: PEOPLE }, (_, k) => k + 1));
    expect((await all<{ last: number }>('select last from reference_counters')).map((r) => r.last)).toEqual([PEOPLE]);
    expect(new Set(references)).toEqual(new Set(stored));
    // Every inbound message has its replies; no reply hangs without the message it answers.
    expect(await all(`select m.id from messages m where m.direction = 'in' and not exists (select 1 from messages o where o.reply_to = m.id)`)).toEqual([]);
    expect(await all(`select o.id from messages o where o.direction = 'out' and (o.reply_to is null or not exists (select 1 from messages m where m.id = o.reply_to))`)).toEqual([]);
    expect((await all<{ n: number }>(`select cast(count(*) as integer) as n from messages where direction = 'in'`))[0]?.n).toBe(PEOPLE * FLOW.length);
    if (backend === 'sqlite') expect(await all('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 150_000);
});
