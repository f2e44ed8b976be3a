import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// After the 20-second pick-up notice (charter line 1), a person who waits for
// an officer stays in the staff queue: what they write goes to staff, not to
// the bot, until an officer takes them, they ask for the bot back, or
// HANDOFF_WAIT_MINUTES (30) pass, when they are told and the bot looks after
// them again. The console's queue says the same at every step.

const STAFF_GROUP = '-1001234567';
const START = '2026-11-23T08:00:00Z';

type Queued = { conversationId: number; takenBy: string | null; botSilent: boolean };

describe.each(BACKENDS)('waiting for an officer, on %s', (backend) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    // A staff group is set (its messages wait in the outbox: nothing is started to send them).
    server = await startTestServer({ backend, env: { TELEGRAM_BOT_TOKEN: '654321:huduma-wait-test', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', TELEGRAM_STAFF_CHAT_ID: STAFF_GROUP } });
    token = (await addStaffToken(server.databaseEnv)).token;
  });
  afterAll(() => server?.close());

  const api = async (path: string, body?: unknown) => {
    const res = await server.app.http.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const queue = async () => (await api('/api/handoffs')).handoffs as Queued[];
  const inQueue = async (id: number) => (await queue()).find((h) => h.conversationId === id);
  const conversationOf = async (session: string) => {
    const id = (
      await server.app.store.read(({ orm, t }) =>
        orm
          .select({ id: t.messages.conversationId })
          .from(t.messages)
          .where(eq(t.messages.text, `${session}: nataka kuongea na afisa`)),
      )
    )[0]?.id;
    if (id === undefined) throw new Error(`no conversation for ${session}`);
    return id;
  };
  const toStaffGroup = (conversationId: number) =>
    server.app.store.read(async ({ orm, t }) =>
      (
        await orm
          .select()
          .from(t.outbox)
          .where(and(eq(t.outbox.channel, 'telegram'), eq(t.outbox.chatId, STAFF_GROUP), eq(t.outbox.conversationId, conversationId)))
      ).map((o) => (o.body as { text: string }).text),
    );
  const records = (conversationId: number) => server.app.store.read(({ orm, t }) => orm.select().from(t.handoffs).where(eq(t.handoffs.conversationId, conversationId)));

  /** Asks for an officer, lets the 20 seconds pass, and has the pick-up check tell the person; returns the conversation. */
  async function askAndMissPickup(session: string): Promise<number> {
    server.clock.set(START);
    expect((await say(server, session, `${session}: nataka kuongea na afisa`))[0]?.text).toMatch(/Nimekuunganisha na afisa/);
    server.clock.advance(20_000);
    expect(await server.app.pickupCheck()).toBe(1);
    expect((await transcript(server, session)).at(-1)?.text).toMatch(/Ujumbe wako umehifadhiwa.*ungependa tukufungulie ombi rasmi/s);
    return conversationOf(session);
  }

  it('a person who waits stays in the queue: messages go to staff with an acknowledgement now and then, until the wait runs out and they are told', async () => {
    const session = 'wait-1';
    const id = await askAndMissPickup(session);
    expect(await inQueue(id)).toMatchObject({ takenBy: null, botSilent: false });
    expect((await say(server, session, 'Nitasubiri afisa'))[0]?.text).toMatch(/utasubiri afisa.*"rudi kwenye menyu"/s);
    expect(await inQueue(id)).toMatchObject({ takenBy: null, botSilent: true });

    // Neither a greeting nor a form: the messages are for the officer, kept and passed on.
    expect(await say(server, session, 'kompyuta yangu haiwaki kabisa')).toEqual([]);
    expect(await say(server, session, 'habari?')).toEqual([]);
    const seen = await server.app.desk.conversation(id);
    expect(seen?.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(expect.arrayContaining(['kompyuta yangu haiwaki kabisa', 'habari?']));
    expect(await toStaffGroup(id)).toEqual(expect.arrayContaining([`💬 #M${id} «kompyuta yangu haiwaki kabisa»`, `💬 #M${id} «habari?»`]));
    server.clock.advance(6 * 60_000);
    expect((await say(server, session, 'bado nasubiri'))[0]?.text).toMatch(/Ujumbe wako umewafikia maafisa wetu; bado unasubiri/);
    expect(await say(server, session, 'sawa')).toEqual([]);

    // Thirty minutes after asking, the leader's check tells the person, once; the queue lets them go.
    server.clock.set(new Date(new Date(START).getTime() + 30 * 60_000 - 1000));
    expect(await server.app.pickupCheck()).toBe(0);
    server.clock.advance(1000);
    expect(await server.app.pickupCheck()).toBe(1);
    expect(await server.app.pickupCheck()).toBe(0);
    expect((await transcript(server, session)).at(-1)?.text).toMatch(/hakuna afisa aliyepatikana ndani ya dakika 30 ulizosubiri/);
    expect(await inQueue(id)).toBeUndefined();
    expect(await toStaffGroup(id)).toContain(`⌛ #M${id} Hakuna afisa aliyemchukua mteja ndani ya dakika 30; Huduma imemjulisha na inaendelea kumhudumia.`);
    expect(await records(id)).toEqual([expect.objectContaining({ text: `${session}: nataka kuongea na afisa`, takenBy: null, endedAt: server.clock.now() })]);
    expect((await say(server, session, 'habari'))[0]?.text).toMatch(/Nzuri, karibu/);
  });

  it('"rudi kwenye menyu" or "back to the bot" takes the person out of the queue, waiting or not yet told', async () => {
    const id = await askAndMissPickup('wait-back-1');
    await say(server, 'wait-back-1', '2');
    expect((await say(server, 'wait-back-1', 'rudi kwenye menyu'))[0]?.text).toMatch(/hutasubiri afisa tena; Huduma itaendelea kukuhudumia/);
    expect(await inQueue(id)).toBeUndefined();
    expect(await toStaffGroup(id)).toContain(`↩️ #M${id} Mteja ameamua kuendelea na Huduma; hasubiri afisa tena.`);
    expect((await say(server, 'wait-back-1', 'mtandao haufanyi kazi ofisini'))[0]?.text).toMatch(/nitakusaidia kuhusu/);

    // Within the 20 seconds, in English: out at once, and the pick-up check has nobody to tell.
    server.clock.set(START);
    await say(server, 'wait-back-2', 'wait-back-2: nataka kuongea na afisa');
    const replies = await say(server, 'wait-back-2', 'back to the bot');
    expect(replies[0]?.text).toMatch(/no longer waiting for an officer/);
    expect(await inQueue(await conversationOf('wait-back-2'))).toBeUndefined();
    server.clock.advance(30_000);
    expect(await server.app.pickupCheck()).toBe(0);
  });

  it('"msaada" while waiting brings the bot and its menu back', async () => {
    const id = await askAndMissPickup('wait-menu-1');
    await say(server, 'wait-menu-1', 'Nitasubiri afisa');
    const replies = await say(server, 'wait-menu-1', 'msaada');
    expect(replies.map((r) => r.text)).toEqual([expect.stringMatching(/hutasubiri afisa tena/), expect.stringMatching(/chagua unachohitaji/)]);
    expect(await inQueue(id)).toBeUndefined();
  });

  it('choosing to open a request leaves the queue and starts the report', async () => {
    const id = await askAndMissPickup('wait-report-1');
    expect((await say(server, 'wait-report-1', 'Ndiyo, fungua ombi'))[0]?.text).toMatch(/eleza kwa ufupi tatizo lako/);
    expect(await inQueue(id)).toBeUndefined();
    expect((await say(server, 'wait-report-1', 'barua pepe yangu haifanyi kazi tangu jana'))[0]?.text).toMatch(/nitakusaidia kuhusu/);
  });

  it('a message instead of an answer to the notice is for the officer too', async () => {
    const id = await askAndMissPickup('wait-ignore-1');
    expect((await say(server, 'wait-ignore-1', 'printa yetu imeharibika'))[0]?.text).toMatch(/Ujumbe wako umewafikia maafisa wetu/);
    expect(await inQueue(id)).toMatchObject({ takenBy: null, botSilent: true });
    expect(await toStaffGroup(id)).toContain(`💬 #M${id} «printa yetu imeharibika»`);
  });

  it('an officer takes a waiting person: the queue and the hand-off record say who and when, and ending it closes the record', async () => {
    const session = 'wait-taken-1';
    const id = await askAndMissPickup(session);
    await say(server, session, 'Nitasubiri afisa');
    server.clock.advance(60_000);
    const takenAt = server.clock.now();
    expect(await api(`/api/conversations/${id}/reply`, { text: 'Habari, naitwa Asha. Nikusaidie nini?' })).toMatchObject({ ok: true });
    expect((await inQueue(id))?.takenBy).toMatch(/^staff:\d+ Asha Mushi$/);
    expect(await say(server, session, 'rudi ni kompyuta yangu')).toEqual([]);
    // Taken, the wait's 30 minutes no longer apply.
    server.clock.advance(31 * 60_000);
    await server.app.pickupCheck();
    expect((await inQueue(id))?.takenBy).toMatch(/Asha Mushi/);
    expect((await transcript(server, session)).map((m) => m.text).join('\n')).not.toMatch(/dakika 30 ulizosubiri/);
    const endedAt = server.clock.now();
    await api(`/api/conversations/${id}/end`, {});
    expect(await inQueue(id)).toBeUndefined();
    expect(await records(id)).toEqual([expect.objectContaining({ takenBy: expect.stringMatching(/Asha Mushi/), takenAt, endedAt })]);
  });
});

describe('the leader tells a waiting person when their time is up', () => {
  it('without anyone calling the check: the leader runs it every 2 seconds', async () => {
    const server = await startTestServer({ start: true, env: { HANDOFF_WAIT_MINUTES: '10' } });
    try {
      const session = 'wait-leader-1';
      await say(server, session, 'nataka kuongea na afisa');
      server.clock.advance(20_000);
      await expect.poll(async () => (await transcript(server, session)).at(-1)?.text, { timeout: 6000, interval: 200 }).toMatch(/Ujumbe wako umehifadhiwa/);
      await say(server, session, 'Nitasubiri afisa');
      server.clock.advance(10 * 60_000);
      await expect.poll(async () => (await transcript(server, session)).at(-1)?.text, { timeout: 6000, interval: 200 }).toMatch(/ndani ya dakika 10 ulizosubiri/);
    } finally {
      await server.close();
    }
  });
});
