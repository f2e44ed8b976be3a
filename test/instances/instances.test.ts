// Several `npm start` processes on one PostgreSQL act as one Huduma: any instance takes any message, a step
// of the SLA goes out once however many sweep, the leader's jobs move when it dies, and kill -9 loses nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshPostgresUrl } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';
import { FLOW, post, queryDatabase, REFERENCE, root, sleep, spawnServer, stopServer, transcriptOf, type DatabaseEnv, type Reply, type RunningServer } from '../faults/support.ts';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => stopServer(s)));
});

/** Short leases and sweeps so that a takeover happens within seconds (the defaults are 15 s and 60 s). */
const FAST = { LEADER_LEASE_SECONDS: '3', SLA_SWEEP_INTERVAL_MS: '1000' };

async function instances(database: DatabaseEnv, n: number): Promise<RunningServer[]> {
  const started: RunningServer[] = [];
  for (let i = 0; i < n; i++) {
    const s = await spawnServer({ database, env: FAST });
    running.push(s);
    started.push(s);
  }
  return started;
}

/** The holder named in an instance's "this instance leads" log line, if it leads. */
const ledBy = (s: RunningServer): string | undefined => /"holder":"([^"]+)"[^\n]*this instance leads/.exec(s.log())?.[1];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Moves a request's due time into the past, as if its charter time had run out: the next sweep breaches it. */
async function makeOverdue(database: DatabaseEnv, reference: string): Promise<void> {
  await queryDatabase(database, `update requests set due_at = now() - interval '1 hour', sla_stage = 'breach', sla_next_at = now() - interval '1 hour' where reference = '${reference}'`);
}

const breachEvents = async (database: DatabaseEnv, reference: string) =>
  (
    await queryDatabase<{ n: number }>(
      database,
      `select cast(count(*) as integer) as n from request_events e join requests r on r.id = e.request_id where r.reference = '${reference}' and e.kind = 'sla_breach'`,
    )
  )[0]?.n;

/** Files a network fault, each message to the next instance in turn. */
async function fileAcross(servers: readonly RunningServer[], session: string): Promise<string> {
  let last: Reply[] = [];
  for (const [j, text] of FLOW.entries()) {
    const sent = await post((servers[j % servers.length] as RunningServer).url, session, text, `m${j}`);
    expect(sent.status, `message ${j} to instance ${j % servers.length}`).toBe(200);
    last = sent.body.replies ?? [];
  }
  const reference = REFERENCE.exec(last.map((r) => r.text).join(' '))?.[0];
  if (!reference) throw new Error(`no reference in ${JSON.stringify(last)}`);
  return reference;
}

describe.runIf(BACKENDS.includes('postgres'))('two instances on one PostgreSQL', () => {
  it("serve one citizen's conversation across both: filed on one, tracked on the other", async () => {
    const database = { DATABASE_URL: await freshPostgresUrl() };
    const [a, b] = await instances(database, 2);
    if (!a || !b) throw new Error('two instances');
    const reference = await fileAcross([a, b], 'multi-person-1');
    const status = await post(b.url, 'multi-person-1', `ombi langu ${reference} limefikia wapi?`, 'm9');
    expect(status.body.replies?.map((r) => r.text).join(' ')).toContain(reference);
    // The same transcript from either instance, each message once.
    const [fromA, fromB] = [await transcriptOf(a.url, 'multi-person-1'), await transcriptOf(b.url, 'multi-person-1')];
    expect(fromA).toEqual(fromB);
    expect(fromA.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([...FLOW, `ombi langu ${reference} limefikia wapi?`]);
    // A staff member signed in on one instance is signed in on the other (sessions live in the database).
    const { token } = await addStaffToken(database);
    const login = await fetch(`${a.url}/staff/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/=/);
    const onB = await fetch(`${b.url}/staff/requests/${reference}`, { headers: { cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(reference);
    // One leads, the other does not.
    await waitFor('a leader', () => ledBy(a) ?? ledBy(b));
    expect([ledBy(a), ledBy(b)].filter((h) => h !== undefined)).toHaveLength(1);
  }, 120_000);

  it('send a breach notice once, however many instances and sla:sweep processes sweep at once', async () => {
    const database = { DATABASE_URL: await freshPostgresUrl() };
    const servers = await instances(database, 2);
    const reference = await fileAcross(servers, 'multi-breach-1');
    await makeOverdue(database, reference);
    const sweep = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/sla-sweep.ts'], { cwd: root, env: { ...process.env, ...database, LOG_LEVEL: 'silent' } });
    await Promise.all([sweep(), sweep(), sweep()]);
    await waitFor('the breach', async () => ((await breachEvents(database, reference)) === 1 ? true : undefined));
    await sleep(2_500); // more sweeps by the leader
    expect(await breachEvents(database, reference)).toBe(1);
    const notices = (await transcriptOf((servers[0] as RunningServer).url, 'multi-breach-1')).filter((m) => m.direction === 'out' && m.text.includes(reference));
    // The filing receipt and the one breach notice, nothing more.
    expect(notices).toHaveLength(2);
  }, 120_000);

  it('kill -9 of the leader: the other takes its jobs over within 30 s (and breaches what falls due)', async () => {
    const database = { DATABASE_URL: await freshPostgresUrl() };
    const [a, b] = await instances(database, 2);
    if (!a || !b) throw new Error('two instances');
    await waitFor('a leader', () => ledBy(a) ?? ledBy(b));
    const [leader, other] = ledBy(a) ? [a, b] : [b, a];
    const reference = await fileAcross([other], 'multi-takeover-1');
    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    await leader.exited;
    await waitFor('the takeover', () => ledBy(other), 30_000);
    const tookMs = Date.now() - killedAt;
    console.info(`leader killed: the other instance led ${tookMs} ms later (lease 3 s; 15 s by default, so at most 20 s)`);
    expect(tookMs).toBeLessThan(30_000);
    await makeOverdue(database, reference);
    await waitFor('the breach by the new leader', async () => ((await breachEvents(database, reference)) === 1 ? true : undefined));
  }, 120_000);

  it('kill -9 of one under load: every acknowledged message is answered once, none twice, every flow ends on the other', async () => {
    const database = { DATABASE_URL: await freshPostgresUrl() };
    const [a, b] = await instances(database, 2);
    if (!a || !b) throw new Error('two instances');
    const PEOPLE = 20;
    const answered = new Map<string, Reply[]>();
    const next = new Array<number>(PEOPLE).fill(0);
    let ok = 0;
    let killed = false;
    const person = async (i: number) => {
      for (let j = 0; j < FLOW.length; j++) {
        // Each person's messages alternate between the instances, as a load balancer would send them.
        const target = (i + j) % 2 === 0 ? a : b;
        const sent = await post(target.url, `multi-load-${i}`, FLOW[j] as string, `m${j}`).catch(() => undefined);
        if (sent?.status !== 200) return;
        answered.set(`${i}/${j}`, sent.body.replies ?? []);
        next[i] = j + 1;
        if (++ok >= 30 && !killed) {
          killed = true;
          setTimeout(() => a.child.kill('SIGKILL'), 3);
        }
      }
    };
    await Promise.all(Array.from({ length: PEOPLE }, (_, i) => person(i)));
    await a.exited;
    // The load balancer sends everyone to the survivor; each resends what was left unanswered (same key).
    for (let i = 0; i < PEOPLE; i++) {
      for (let j = next[i] as number; j < FLOW.length; j++) {
        const sent = await post(b.url, `multi-load-${i}`, FLOW[j] as string, `m${j}`);
        expect(sent.status).toBe(200);
        answered.set(`${i}/${j}`, sent.body.replies ?? []);
      }
    }
    // A resend of any message gets the very replies it got; each transcript has every message once, with its replies.
    for (let i = 0; i < PEOPLE; i++) {
      for (let j = 0; j < FLOW.length; j++) expect((await post(b.url, `multi-load-${i}`, FLOW[j] as string, `m${j}`)).body.replies).toEqual(answered.get(`${i}/${j}`));
      const expected = FLOW.flatMap((text, j) => [{ direction: 'in', text }, ...(answered.get(`${i}/${j}`) ?? []).map((r) => ({ direction: 'out', text: r.text }))]);
      expect((await transcriptOf(b.url, `multi-load-${i}`)).map((m) => ({ direction: m.direction, text: m.text }))).toEqual(expected);
    }
    const references = (await queryDatabase<{ reference: string }>(database, 'select reference from requests')).map((r) => r.reference);
    expect(new Set(references).size).toBe(PEOPLE);
    expect(references).toHaveLength(PEOPLE);
    expect(await queryDatabase(database, `select m.id from messages m where m.direction = 'in' and not exists (select 1 from messages o where o.reply_to = m.id)`)).toEqual([]);
  }, 150_000);
});
