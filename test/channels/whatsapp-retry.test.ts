// WhatsApp (Baileys) messages whose hand-over to the engine fails: kept, tried again with backoff, never dropped,
// and kept on disk across a stop. WhatsApp never sends a message again once Baileys has received it.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assembleEngine } from '../../bot/assemble.ts';
import { loadConfig } from '../../bot/config.ts';
import { inboxFor } from '../../bot/engine/inbox.ts';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { WhatsAppChannel, type WhatsAppOptions } from '../../channels/whatsapp/whatsapp.ts';
import { openStore } from '../../db/open.ts';
import { StoreUnavailableError, type Store } from '../../db/store.ts';
import { outage } from '../faults/outage.ts';
import { BACKENDS, databaseEnv } from '../support/databases.ts';
import { CITIZEN_LID, capturingLogger, fakeSockets, incoming } from './whatsapp-fake.ts';

const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
const tempDir = () => mkdtempSync(join(tmpdir(), 'huduma-whatsapp-retry-'));
const replied: TurnOutcome = { status: 'replied', replies: [] };
const full = () => new StoreUnavailableError('SQLITE_FULL', 'database or disk is full');

/** A channel on a fake socket; the pauses it schedules are recorded, and run when the test says. */
async function setup(overrides: Partial<WhatsAppOptions> = {}) {
  const store = await openStore({ path: join(tempDir(), 'huduma.db') });
  opened.push(store);
  const fakes = fakeSockets();
  const scheduled: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const { log, lines } = capturingLogger();
  const options: WhatsAppOptions = {
    store,
    deliver: () => replied,
    clock: new ManualClock('2026-11-23T08:00:00Z'),
    log,
    socketFactory: fakes.factory,
    show: () => {},
    random: () => 0.5,
    inboundRetry: { baseMs: 1_000, maxMs: 8_000, attempts: 3 },
    schedule: (run, ms) => {
      const entry = { ms, run, cancelled: false };
      scheduled.push(entry);
      return () => void (entry.cancelled = true);
    },
    ...overrides,
  };
  /** Runs the latest pause still due (the retry), as its timer would. */
  const runPause = () => {
    const entry = scheduled.filter((s) => !s.cancelled).at(-1);
    if (!entry) throw new Error('no pause is scheduled');
    entry.cancelled = true;
    entry.run();
    return entry.ms;
  };
  return { store, channel: new WhatsAppChannel(options), options, fakes, scheduled, runPause, lines };
}

describe('WhatsApp: a message the engine could not take', () => {
  it('is kept and tried again with growing pauses, in order with the ones behind it, and logged without its text or number', async () => {
    const delivered: string[] = [];
    let refusals = 2;
    const { channel, fakes, scheduled, runPause, lines } = await setup({
      deliver: (m) => {
        if (refusals-- > 0) throw full();
        delivered.push(m.text);
        return replied;
      },
    });
    await channel.start();
    fakes.latest().receive([incoming({ conversation: 'siri yangu 0754123456' })]);
    await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1));
    // Another message meanwhile waits behind it: a chat's messages reach the engine in order.
    fakes.latest().receive([incoming({ conversation: 'habari' })]);
    await vi.waitFor(() => expect(channel.waiting).toBe(2));
    expect(delivered).toEqual([]);
    expect(runPause()).toBe(750);
    await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1));
    expect(delivered).toEqual([]);
    expect(runPause()).toBe(1_500); // growing: 1 s then 2 s, each half fixed and half random (here 0.5)
    await vi.waitFor(() => expect(delivered).toEqual(['siri yangu 0754123456', 'habari']));
    expect(channel.waiting).toBe(0);
    await channel.stop();

    const failure = lines.find((l) => l.level === 50);
    expect(failure).toMatchObject({ msg: 'whatsapp message could not be handed to the engine; kept, trying again after a pause', attempts: 1, err: { code: 'SQLITE_FULL' } });
    const loud = JSON.stringify(lines.filter((l) => l.level >= 30));
    for (const secret of ['siri yangu', '0754123456', '255712345678', CITIZEN_LID]) expect(loud).not.toContain(secret);
  });

  it('waits for a database that is out without a limit; a defect is set aside after its tries so the next ones go on', async () => {
    const delivered: string[] = [];
    let out = 10;
    const { channel, fakes, scheduled, runPause, lines } = await setup({
      deliver: (m) => {
        if (m.text === 'bad one') throw new TypeError('a defect in the engine');
        if (out-- > 0) throw full();
        delivered.push(m.text);
        return replied;
      },
    });
    await channel.start();
    fakes.latest().receive([incoming({ conversation: 'first' })]);
    // Ten refusals (more than the 3 tries a defect gets), pauses doubling up to 8 s (three quarters of it, with random() at 0.5).
    const pauses: number[] = [];
    for (let i = 0; i < 10; i++) {
      await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1));
      pauses.push(runPause());
    }
    await vi.waitFor(() => expect(delivered).toEqual(['first']));
    expect(pauses).toEqual([750, 1_500, 3_000, 6_000, 6_000, 6_000, 6_000, 6_000, 6_000, 6_000]);

    fakes.latest().receive([incoming({ conversation: 'bad one' }), incoming({ conversation: 'after it' })]);
    for (let i = 0; i < 2; i++) {
      await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1));
      runPause();
    }
    await vi.waitFor(() => expect(delivered).toEqual(['first', 'after it']));
    expect(lines.find((l) => l.msg === 'whatsapp message could not be handled; set aside and kept for the next start')).toMatchObject({ level: 50, attempts: 3 });
    // Set aside, not dropped: still waiting, for the next start.
    expect(channel.waiting).toBe(1);
    await channel.stop();
  });

  it('a clean stop tries it once more; still refused, it is kept on disk and the next start hands it over first, once', async () => {
    const pendingPath = join(tempDir(), 'whatsapp-pending.jsonl');
    const firstRun: string[] = [];
    const first = await setup({
      pendingPath,
      deliver: (m) => {
        firstRun.push(m.text);
        throw full();
      },
    });
    await first.channel.start();
    first.fakes
      .latest()
      .receive([incoming({ conversation: 'printa imeharibika' }), incoming({ imageMessage: { caption: 'picha ya printa', mimetype: 'image/jpeg', mediaKey: new Uint8Array([7, 7, 7]) } })]);
    await vi.waitFor(() => expect(first.channel.waiting).toBe(2));
    // Kept on disk while they wait (a crash would not lose them either), readable only by Huduma's user.
    await vi.waitFor(() => expect(existsSync(pendingPath)).toBe(true));
    expect(statSync(pendingPath).mode & 0o777).toBe(0o600);
    await first.channel.stop();
    // The stop tried the first once more (the database may have come back), then kept both.
    expect(firstRun).toEqual(['printa imeharibika', 'printa imeharibika']);
    const kept = readFileSync(pendingPath, 'utf8').trim().split('\n');
    expect(kept).toHaveLength(2);
    expect(first.lines.find((l) => l.msg === 'whatsapp: messages not yet taken by the engine are kept for the next start')).toMatchObject({ level: 40, messages: 2 });

    // The next start: the database serves again; the kept messages go first, with their first arrival time, then the new one.
    const secondRun: InboundMessage[] = [];
    const second = await setup({ pendingPath, deliver: (m) => (secondRun.push(m), replied) });
    await second.channel.start();
    second.fakes.latest().receive([incoming({ conversation: 'na sasa?' })]);
    await vi.waitFor(() => expect(secondRun.map((m) => m.text)).toEqual(['printa imeharibika', 'picha ya printa', 'na sasa?']));
    expect(secondRun[0]?.receivedAt).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(secondRun[1]?.attachments).toMatchObject([{ kind: 'photo', caption: 'picha ya printa' }]);
    // The photo's message is stored for fetching its media later, as if it had been taken at once.
    const stored = await second.channel.messages.find(CITIZEN_LID, secondRun[1]?.channelMessageId.split(':')[1] ?? '');
    expect(stored?.message?.imageMessage?.caption).toBe('picha ya printa');
    await vi.waitFor(() => expect(existsSync(pendingPath)).toBe(false));
    await second.channel.stop();
    expect(existsSync(pendingPath)).toBe(false);
  });

  it('a stop while it waits hands it over when the database is back by then, and keeps nothing', async () => {
    const pendingPath = join(tempDir(), 'whatsapp-pending.jsonl');
    let back = false;
    const delivered: string[] = [];
    const { channel, fakes } = await setup({
      pendingPath,
      deliver: (m) => {
        if (!back) throw full();
        delivered.push(m.text);
        return replied;
      },
    });
    await channel.start();
    fakes.latest().receive([incoming({ conversation: 'habari' })]);
    await vi.waitFor(() => expect(channel.waiting).toBe(1));
    back = true;
    await channel.stop();
    expect(delivered).toEqual(['habari']);
    expect(channel.waiting).toBe(0);
    expect(existsSync(pendingPath)).toBe(false);
  });
});

describe.each(BACKENDS)('WhatsApp on %s: the database out', (backend) => {
  it('a message that came while it was out is answered once it is back, through the real engine, once', async () => {
    const env = await databaseEnv(backend, join(tempDir(), 'huduma.db'));
    const store = await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '', busyTimeoutMs: 50 });
    opened.push(store);
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const inbox = inboxFor({ store, engine: assembleEngine(loadConfig({}), { clock }) });
    const scheduled: { run: () => void; cancelled: boolean }[] = [];
    const fakes = fakeSockets();
    const channel = new WhatsAppChannel({
      store,
      deliver: inbox.submit,
      clock,
      log: pino({ level: 'silent' }),
      socketFactory: fakes.factory,
      show: () => {},
      schedule: (run) => {
        const entry = { run, cancelled: false };
        scheduled.push(entry);
        return () => void (entry.cancelled = true);
      },
    });
    await channel.start();
    const database = outage(backend, env);
    await database.begin();
    const message = incoming({ conversation: 'habari' });
    fakes.latest().receive([message]);
    await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1), { timeout: 5_000 });
    expect(channel.waiting).toBe(1);
    await database.end();
    const pause = scheduled.filter((s) => !s.cancelled).at(-1);
    if (pause) {
      pause.cancelled = true;
      pause.run();
    }
    await vi.waitFor(() => expect(channel.waiting).toBe(0), { timeout: 5_000 });
    const { messages } = {
      messages: await store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.messages)
          .where(and(eq(tx.t.messages.channel, 'whatsapp'), eq(tx.t.messages.direction, 'in'))),
      ),
    };
    expect(messages.map((m) => m.text)).toEqual(['habari']);
    expect((await store.read((tx) => tx.orm.select().from(tx.t.outbox))).length).toBeGreaterThan(0);
    await channel.stop();
  }, 30_000);
});
