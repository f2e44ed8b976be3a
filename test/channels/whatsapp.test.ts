import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backoffMs } from '../../bot/backoff.ts';
import { proto } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assembleEngine } from '../../bot/assemble.ts';
import { ConfigError, loadConfig } from '../../bot/config.ts';
import { inboxFor } from '../../bot/engine/inbox.ts';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { storedAuthState } from '../../channels/whatsapp/auth-state.ts';
import { RELINK_INSTRUCTIONS } from '../../channels/whatsapp/link.ts';
import { WhatsAppChannel, type WhatsAppOptions } from '../../channels/whatsapp/whatsapp.ts';
import { openStore } from '../../db/open.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, databaseEnv, type Backend } from '../support/databases.ts';
import { capturingLogger, CITIZEN_LID, closedBy, DisconnectReason, fakeSockets, incoming, boom } from './whatsapp-fake.ts';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-whatsapp-')), 'huduma.db');
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
/** Closes a store before the test ends (a restart); afterEach then leaves it alone. */
async function closeNow(store: Store): Promise<void> {
  opened.splice(opened.indexOf(store), 1);
  await store.close();
}

/** A new, empty database of this backend, and how to open it (again, as after a restart). */
async function freshDatabase(backend: Backend): Promise<() => Promise<Store>> {
  const path = freshPath();
  const env = await databaseEnv(backend, path);
  return async () => {
    const store = await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? path });
    opened.push(store);
    return store;
  };
}

const replied: TurnOutcome = { status: 'replied', replies: [] };
const authRows = (store: Store) => store.read((tx) => tx.orm.select().from(tx.t.whatsappAuth));

describe.each(BACKENDS)('WhatsApp on %s', (backend) => {
  /** A channel on a fake socket and a fresh database, with the reconnects it schedules recorded instead of waited for. */
  async function setup(overrides: Partial<WhatsAppOptions> = {}) {
    const store = await (await freshDatabase(backend))();
    const fakes = fakeSockets();
    const delivered: InboundMessage[] = [];
    const scheduled: { ms: number; run: () => void; cancelled: boolean }[] = [];
    const { log, lines } = capturingLogger();
    const shown: string[] = [];
    const channel = new WhatsAppChannel({
      store,
      deliver: (m) => (delivered.push(m), replied),
      clock: new ManualClock('2026-11-23T08:00:00Z'),
      log,
      socketFactory: fakes.factory,
      show: (text) => void shown.push(text),
      random: () => 0.5,
      reconnect: { baseMs: 1_000, maxMs: 8_000 },
      schedule: (run, ms) => {
        const entry = { ms, run, cancelled: false };
        scheduled.push(entry);
        return () => void (entry.cancelled = true);
      },
      ...overrides,
    });
    return { store, channel, fakes, delivered, scheduled, lines, shown };
  }

  describe('WhatsApp messages in', () => {
    it('delivers text, keeps a captioned photo and a location as attachments, and stores the photo message', async () => {
      const { channel, fakes, delivered } = await setup();
      await channel.start();
      const photo = incoming({ imageMessage: { caption: 'printa yenyewe', mimetype: 'image/jpeg', mediaKey: new Uint8Array([7, 7, 7]) } });
      fakes.latest().receive([incoming({ conversation: 'printa imeharibika' }), photo]);
      fakes.latest().receive([incoming({ locationMessage: { degreesLatitude: -6.7924, degreesLongitude: 39.2083 } })]);
      await vi.waitFor(() => expect(delivered).toHaveLength(3));
      expect(delivered.map((m) => [m.text, m.attachments])).toEqual([
        ['printa imeharibika', []],
        ['printa yenyewe', [{ kind: 'photo', fileId: photo.key.id, caption: 'printa yenyewe' }]],
        ['', [{ kind: 'location', latitude: -6.7924, longitude: 39.2083 }]],
      ]);
      const kept = await channel.messages.find(CITIZEN_LID, photo.key.id ?? '');
      expect(kept?.message?.imageMessage?.caption).toBe('printa yenyewe');
      expect(Buffer.from(kept?.message?.imageMessage?.mediaKey ?? []).toJSON().data).toEqual([7, 7, 7]);
      await channel.stop();
    });

    it('ignores groups, status, newsletters, its own messages and history (append) upserts', async () => {
      const { channel, fakes, delivered } = await setup();
      await channel.start();
      const text = { conversation: 'habari' };
      fakes
        .latest()
        .receive([
          incoming(text, { remoteJid: '120363012345678901@g.us', participant: CITIZEN_LID }),
          incoming(text, { remoteJid: 'status@broadcast', participant: CITIZEN_LID }),
          incoming(text, { remoteJid: '120363099999999999@newsletter' }),
          incoming(text, { fromMe: true }),
        ]);
      fakes.latest().receive([incoming({ conversation: 'old history' })], 'append');
      fakes.latest().receive([incoming({ conversation: 'the only one' })]);
      await vi.waitFor(() => expect(delivered).toHaveLength(1));
      expect(delivered[0]?.text).toBe('the only one');
      await channel.stop();
    });

    it('logs a turn that throws, without the text or the number at info level, keeps it and tries it again, then the next', async () => {
      const texts: string[] = [];
      const { channel, fakes, lines, scheduled } = await setup({
        deliver: async (m) => {
          texts.push(m.text);
          if (texts.length === 1) throw new Error('database is locked');
          return replied;
        },
      });
      await channel.start();
      fakes.latest().receive([incoming({ conversation: 'siri yangu 0754123456' }), incoming({ conversation: 'habari' })]);
      // Not dropped: tried again after a pause, before the one behind it.
      await vi.waitFor(() => expect(scheduled.filter((s) => !s.cancelled)).toHaveLength(1));
      scheduled
        .filter((s) => !s.cancelled)
        .at(-1)
        ?.run();
      await vi.waitFor(() => expect(texts).toEqual(['siri yangu 0754123456', 'siri yangu 0754123456', 'habari']));
      await channel.stop();
      expect(lines.find((l) => l.level === 50)).toMatchObject({ msg: 'whatsapp message could not be handed to the engine; kept, trying again after a pause', err: { message: 'database is locked' } });
      const loud = JSON.stringify(lines.filter((l) => l.level >= 30));
      for (const secret of ['siri yangu', '0754123456', '255712345678', CITIZEN_LID]) expect(loud).not.toContain(secret);
    });
  });

  describe('the WhatsApp connection', () => {
    it('reconnects after a close with growing backoff, and starts over once open', async () => {
      const { channel, fakes, scheduled } = await setup();
      await channel.start();
      fakes.latest().ev.emit('connection.update', closedBy(DisconnectReason.connectionLost));
      expect(fakes.sockets).toHaveLength(1);
      expect(scheduled.map((s) => s.ms)).toEqual([backoffMs(1, { baseMs: 1_000, maxMs: 8_000 }, () => 0.5)]);
      scheduled[0]?.run();
      expect(fakes.sockets).toHaveLength(2);
      fakes.latest().ev.emit('connection.update', closedBy(DisconnectReason.connectionClosed));
      expect(scheduled[1]?.ms).toBe(1_500); // the second failure waits longer: 2 s step, half of it jittered
      scheduled[1]?.run();
      fakes.latest().open();
      expect(channel.isConnected).toBe(true);
      fakes.latest().ev.emit('connection.update', closedBy(undefined));
      expect(scheduled[2]?.ms).toBe(750); // back to the first step after an open connection
      await channel.stop();
      expect(fakes.latest().ended).toBe(true);
      expect(scheduled[2]?.cancelled).toBe(true);
      scheduled[2]?.run(); // a timer that fired anyway: still no new socket after stop
      expect(fakes.sockets).toHaveLength(3);
    });

    it('reconnects at once when WhatsApp asks for a restart (515, right after linking)', async () => {
      const { channel, fakes, scheduled, lines } = await setup();
      await channel.start();
      fakes.latest().ev.emit('connection.update', closedBy(DisconnectReason.restartRequired));
      expect(fakes.sockets).toHaveLength(2);
      expect(scheduled).toEqual([]);
      expect(lines.some((l) => l.level === 30 && l.msg.includes('restart'))).toBe(true);
      await channel.stop();
    });

    it('stops, saying why, when another session took the link (440) instead of knocking it off in turn', async () => {
      const { channel, fakes, scheduled, lines } = await setup();
      await channel.start();
      fakes.latest().ev.emit('connection.update', closedBy(DisconnectReason.connectionReplaced));
      await vi.waitFor(() => expect(lines.some((l) => l.level === 50 && l.msg.includes('another session'))).toBe(true));
      expect(fakes.sockets).toHaveLength(1);
      expect(scheduled).toEqual([]);
      await channel.stop();
    });

    it('after a logout does not reconnect, forgets the link and says how to link again', async () => {
      const { store, channel, fakes, scheduled, lines } = await setup();
      await channel.start();
      fakes.latest().ev.emit('creds.update', { registered: true });
      await fakes.latest().setup.auth.keys.set({ session: { [CITIZEN_LID]: new Uint8Array([1]) } });
      expect((await authRows(store)).length).toBeGreaterThan(1);
      fakes.latest().ev.emit('connection.update', closedBy(DisconnectReason.loggedOut));
      await vi.waitFor(() => expect(lines.some((l) => l.level === 50)).toBe(true));
      expect(lines.find((l) => l.level === 50)?.msg).toBe(RELINK_INSTRUCTIONS);
      expect(RELINK_INSTRUCTIONS).toMatch(/restart Huduma.*scan the new QR code.*pairing code/);
      expect(await authRows(store)).toEqual([]);
      expect(await fakes.latest().setup.auth.keys.get('session', [CITIZEN_LID])).toEqual({}); // the cache forgot too
      expect(fakes.sockets).toHaveLength(1);
      expect(scheduled).toEqual([]);
      await channel.stop();
    });

    it('shows the QR code in the terminal, or asks once for a pairing code when a number is set', async () => {
      const qr = await setup();
      await qr.channel.start();
      qr.fakes.latest().ev.emit('connection.update', { qr: '2@abc,def,ghi,1' });
      await vi.waitFor(() => expect(qr.shown).toHaveLength(1));
      expect(qr.shown[0]).toMatch(/▄/);
      expect(qr.shown[0]).toContain('Linked devices → Link a device');
      await qr.channel.stop();

      const pairing = await setup({ pairingNumber: '255712345678' });
      await pairing.channel.start();
      const sock = pairing.fakes.latest();
      sock.ev.emit('connection.update', { qr: '2@abc' });
      sock.ev.emit('connection.update', { qr: '2@abd' });
      await vi.waitFor(() => expect(pairing.shown).toHaveLength(1));
      expect(sock.pairingRequests).toEqual(['255712345678']);
      expect(pairing.shown[0]).toContain('HUDU-2MA7');
      expect(pairing.shown[0]).toContain('Link with phone number');
      await pairing.channel.stop();
    });
  });

  describe('the WhatsApp link in the database', () => {
    it('survives a restart: creds and signal keys, app-state keys as protos, a null deleting', async () => {
      const open = await freshDatabase(backend);
      const first = await open();
      const fakes = fakeSockets();
      const options = { deliver: () => replied, clock: new ManualClock('2026-11-23T08:00:00Z'), log: pino({ level: 'silent' }), socketFactory: fakes.factory, show: () => {} };
      const channel = new WhatsAppChannel({ store: first, ...options });
      await channel.start();
      const { auth } = fakes.latest().setup;
      const noiseKey = Buffer.from(auth.creds.noiseKey.public);
      fakes.latest().ev.emit('creds.update', { registered: true, me: { id: '255700000001:12@s.whatsapp.net', name: 'Huduma' } });
      // The creds are written in the background: once they are, only the keys' set is left to count.
      await vi.waitFor(async () => expect((await authRows(first)).find((r) => r.key === 'creds')?.value).toContain('Huduma'));
      const transactions = vi.spyOn(first, 'transaction');
      await auth.keys.set({
        session: { [`${CITIZEN_LID}.0`]: new Uint8Array([9, 8, 7]) },
        'pre-key': { '1': { public: new Uint8Array([1]), private: new Uint8Array([2]) }, '2': { public: new Uint8Array([3]), private: new Uint8Array([4]) } },
        'app-state-sync-key': { AAAA: { keyData: new Uint8Array([5, 5]), timestamp: 1 } },
      });
      expect(transactions).toHaveBeenCalledTimes(1); // every key of one set in one transaction
      transactions.mockRestore();
      await auth.keys.set({ 'pre-key': { '2': null } });
      await channel.stop();
      await closeNow(first);

      const again = await storedAuthState(await open());
      expect(again.state.creds).toMatchObject({ registered: true, me: { name: 'Huduma' } });
      expect(Buffer.from(again.state.creds.noiseKey.public).equals(noiseKey)).toBe(true);
      const sessions = await again.state.keys.get('session', [`${CITIZEN_LID}.0`, 'unknown.0']);
      expect(Buffer.from(sessions[`${CITIZEN_LID}.0`] ?? []).toJSON().data).toEqual([9, 8, 7]);
      expect(Object.keys(await again.state.keys.get('pre-key', ['1', '2']))).toEqual(['1']);
      const appState = (await again.state.keys.get('app-state-sync-key', ['AAAA'])).AAAA;
      expect(appState).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    });
  });

  describe('WhatsApp messages out', () => {
    it('sends options as a numbered list, keeps what it sent for getMessage, retries while disconnected', async () => {
      const { channel, fakes } = await setup({ defaultLocale: 'en' });
      await channel.start();
      const reply = {
        text: 'Is this right?',
        options: [
          { id: 'yes', label: 'Yes, submit' },
          { id: 'no', label: 'Cancel' },
        ],
      };
      expect(await channel.send(CITIZEN_LID, reply)).toEqual({ status: 'deferred', reason: 'WhatsApp is not connected', afterMs: 5_000 });
      fakes.latest().open();
      expect(await channel.send(CITIZEN_LID, reply)).toEqual({ status: 'sent' });
      const [sent] = fakes.latest().sent;
      expect(sent?.text).toBe('Is this right?\n\n1. Yes, submit\n2. Cancel\n\nPlease reply with the number of your choice.');
      const retried = await fakes.latest().setup.getMessage(sent?.message.key ?? {});
      expect(retried?.extendedTextMessage?.text).toBe(sent?.text);
      fakes.latest().failNextSend = boom('Connection Closed', DisconnectReason.connectionClosed);
      expect(await channel.send(CITIZEN_LID, reply)).toMatchObject({ status: 'retry', reason: '428 Connection Closed' });
      expect(await channel.send('120363012345678901@g.us', reply)).toMatchObject({ status: 'failed' });
      await channel.stop();
      expect(await channel.send(CITIZEN_LID, reply)).toMatchObject({ status: 'deferred' });
    });

    it('end to end: "habari" in, the real engine answers, the outbox sends the reply to the same chat', async () => {
      const store = await (await freshDatabase(backend))();
      const clock = new ManualClock('2026-11-23T08:00:00Z');
      const inbox = inboxFor({ store, engine: assembleEngine(loadConfig({}), { clock }) });
      const fakes = fakeSockets();
      const outcomes: TurnOutcome[] = [];
      const channel = new WhatsAppChannel({
        store,
        deliver: async (m) => {
          const outcome = await inbox.submit(m);
          outcomes.push(outcome);
          return outcome;
        },
        clock,
        log: pino({ level: 'silent' }),
        socketFactory: fakes.factory,
        show: () => {},
      });
      const worker = new OutboxWorker({ store, channels: [channel], clock, log: pino({ level: 'silent' }) });
      const rows = () => store.read((tx) => tx.orm.select().from(tx.t.outbox));
      await channel.start();
      fakes.latest().open();
      fakes.latest().receive([incoming({ conversation: 'habari' })]);
      await vi.waitFor(() => expect(outcomes).toHaveLength(1));
      // The greeting, then the privacy notice (the person's first answer); one a second to a chat.
      expect(await rows()).toMatchObject([
        { channel: 'whatsapp', chatId: CITIZEN_LID, status: 'pending' },
        { channel: 'whatsapp', chatId: CITIZEN_LID, status: 'pending' },
      ]);
      expect(await worker.tick()).toBe(1);
      expect(fakes.latest().sent.map((s) => [s.jid, s.text])).toEqual([[CITIZEN_LID, 'Nzuri, karibu! Tafadhali nieleze tatizo lako au huduma unayohitaji, nami nitakusaidia.']]);
      expect((await rows()).map((r) => r.status).sort()).toEqual(['pending', 'sent']);
      await channel.stop();
    });
  });
});

describe('WhatsApp settings', () => {
  it('take a pairing number in digits with the country code, and a sending pace, 20 a minute by default', async () => {
    expect(loadConfig({}).WHATSAPP_MESSAGES_PER_MINUTE).toBe(20);
    expect(loadConfig({}).WHATSAPP_PAIRING_NUMBER).toBeUndefined();
    expect(loadConfig({ WHATSAPP_PAIRING_NUMBER: '255712345678', WHATSAPP_MESSAGES_PER_MINUTE: '12' })).toMatchObject({ WHATSAPP_PAIRING_NUMBER: '255712345678', WHATSAPP_MESSAGES_PER_MINUTE: 12 });
    for (const bad of ['+255712345678', '0712345678', '255 712 345 678', 'abc']) {
      expect(() => loadConfig({ WHATSAPP_PAIRING_NUMBER: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ WHATSAPP_MESSAGES_PER_MINUTE: '0' })).toThrow(/WHATSAPP_MESSAGES_PER_MINUTE/);
    // Made, never started: nothing is read or written.
    const store = await (await freshDatabase('sqlite'))();
    const channel = new WhatsAppChannel({ store, deliver: () => replied, clock: new ManualClock('2026-11-23T08:00:00Z'), log: pino({ level: 'silent' }), messagesPerMinute: 12 });
    expect(channel.limits).toEqual({ perChatPerSecond: 1, overallPerSecond: 0.2 });
  });
});
