import { DisconnectReason, type BaileysEventMap, type WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { backoffMs } from '../../bot/backoff.ts';
import type { InboundMessage, OutboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { localeOfChat } from '../../db/queries/whatsapp.ts';
import type { Store } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { storedAuthState, type StoredAuthState } from './auth-state.ts';
import { notAPersonChat, sendResultOf, statusOf } from './errors.ts';
import { pairingText, qrText, RELINK_INSTRUCTIONS } from './link.ts';
import { MessageStore } from './message-store.ts';
import { ignoredBecause, inboundOf, WHATSAPP } from './messages.ts';
import { DEFAULT_INBOUND_RETRY, PendingInbound, type InboundRetryPolicy, type Waiting } from './pending.ts';
import { renderText } from './render.ts';
import { baileysLogger, makeSocket, type SocketFactory, type WhatsAppSocket } from './socket.ts';

export { WHATSAPP } from './messages.ts';
export { DEFAULT_INBOUND_RETRY, type InboundRetryPolicy } from './pending.ts';

export interface ReconnectPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = Object.freeze({ baseMs: 2_000, maxMs: 5 * 60_000 });

/** Runs `run` after `ms`; returns what cancels it. Injected so tests need not sleep. */
export type Schedule = (run: () => void, ms: number) => () => void;

const realSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/** While the socket is down the outbox tries again this much later. */
const NOT_CONNECTED_WAIT_MS = 5_000;

export interface WhatsAppOptions {
  readonly store: Store;
  readonly deliver: (message: InboundMessage) => TurnOutcome | Promise<TurnOutcome>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Overall sending pace (WHATSAPP_MESSAGES_PER_MINUTE); low, as bursts from a linked device get numbers banned. */
  readonly messagesPerMinute?: number;
  /** Digits with the country code (WHATSAPP_PAIRING_NUMBER): link by pairing code instead of a QR code. */
  readonly pairingNumber?: string;
  /** The language of the "reply with the number" line before a person has written (DEFAULT_LOCALE). */
  readonly defaultLocale?: Locale;
  readonly socketFactory?: SocketFactory;
  /** Where QR codes and pairing codes are shown to the operator (default: stdout). */
  readonly show?: (text: string) => void;
  readonly reconnect?: ReconnectPolicy;
  readonly random?: () => number;
  readonly schedule?: Schedule;
  /**
   * Where messages the engine has not taken yet (the database out) are kept
   * while they wait, and at a stop, for the next start (a JSON-lines file,
   * 0600). Without it they wait in memory only.
   */
  readonly pendingPath?: string;
  /** How a failed hand-over to the engine is tried again (DEFAULT_INBOUND_RETRY). */
  readonly inboundRetry?: InboundRetryPolicy;
  /** How long stop() tries the waiting messages once more before keeping them for the next start (2 s). */
  readonly stopRetryMs?: number;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * WhatsApp through Baileys, as a linked device of the institution's number:
 * messages in to the engine, replies out through the outbox worker. The link
 * (keys) and sent messages live in the database; the socket reconnects by itself,
 * except after WhatsApp logged the device out.
 */
export class WhatsAppChannel implements OutboundChannel {
  readonly id = WHATSAPP;
  readonly limits: OutboundChannel['limits'];
  /** Sent messages and received media, for Baileys' retries and for fetching media later. */
  readonly messages: MessageStore;
  private readonly log: Logger;
  private readonly baileysLog: Logger;
  private auth: StoredAuthState | undefined;
  private sock: WhatsAppSocket | undefined;
  private connected = false;
  private stopped = true;
  private failures = 0;
  private cancelReconnect: (() => void) | undefined;
  private pairingAskedBy: WhatsAppSocket | undefined;
  /** Inbound turns, one after another, so a chat's messages reach the engine in order. */
  private inbound: Promise<void> = Promise.resolve();
  /** The last creds write asked for (they are written in order): stop() waits for it, so a restart finds the latest creds. */
  private credsSaved: Promise<void> = Promise.resolve();
  /** Messages in that the engine has not taken yet: kept and tried again, never dropped (pending.ts). */
  private readonly pending: PendingInbound;

  constructor(private readonly options: WhatsAppOptions) {
    this.limits = { perChatPerSecond: 1, overallPerSecond: (options.messagesPerMinute ?? 20) / 60 };
    this.messages = new MessageStore(options.store);
    this.log = options.log.child({ channel: WHATSAPP });
    this.baileysLog = baileysLogger(options.log);
    const policy = options.inboundRetry ?? DEFAULT_INBOUND_RETRY;
    this.pending = new PendingInbound({
      handOver: (w) => this.handOver(w),
      log: this.log,
      path: options.pendingPath,
      policy,
      delay: (failures) => backoffMs(failures, policy, options.random ?? Math.random),
      schedule: options.schedule ?? realSchedule,
      stopTryMs: options.stopRetryMs ?? 2_000,
    });
  }

  /** Messages in that wait for the engine to take them (the database out). */
  get waiting(): number {
    return this.pending.size;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Loads the stored link (or starts a new one) and connects; resolves at once, not when linked. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.auth = await storedAuthState(this.options.store, this.baileysLog);
    const pruned = await this.messages.prune(this.options.clock.now());
    this.log.info({ registered: this.auth.state.creds.registered, pruned }, 'whatsapp starting');
    await this.pending.start();
    this.connect();
  }

  /**
   * Closes the socket, cancels a pending reconnect, waits for the turns in
   * flight, tries once more the messages the engine has not taken yet and
   * keeps the rest for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    this.cancelReconnect?.();
    this.cancelReconnect = undefined;
    const sock = this.sock;
    this.sock = undefined;
    await sock?.end(undefined);
    await this.inbound;
    await this.pending.stop();
    await this.credsSaved;
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    const sock = this.sock;
    if (!sock || !this.connected) return { status: 'deferred', reason: 'WhatsApp is not connected', afterMs: NOT_CONNECTED_WAIT_MS };
    if (notAPersonChat(chatId)) return { status: 'failed', reason: 'not a one-to-one WhatsApp chat' };
    let sent: WAMessage | undefined;
    try {
      sent = await sock.sendMessage(chatId, { text: renderText(message, await this.translatorFor(chatId)) });
    } catch (e) {
      return sendResultOf(e);
    }
    // Sent is sent: failing to keep a copy must not make the outbox send it twice.
    if (sent) await this.guard(() => this.messages.remember(sent, this.options.clock.now()), 'keeping a sent message');
    return { status: 'sent' };
  }

  /** Read before the socket is used, in a read of its own: no transaction is held open across the network. */
  private async translatorFor(chatId: string) {
    const known = await this.options.store.read((tx) => localeOfChat(tx, WHATSAPP, chatId));
    return translator(known ?? this.options.defaultLocale ?? 'sw');
  }

  private connect(): void {
    const auth = this.auth;
    if (this.stopped || !auth) return;
    const factory = this.options.socketFactory ?? makeSocket;
    const sock = factory({ auth: auth.state, getMessage: this.messages.getMessage, logger: this.baileysLog });
    this.sock = sock;
    // Events from a socket already replaced (or stopped) are stale and ignored.
    sock.ev.on('creds.update', (update) => {
      if (sock === this.sock) this.credsSaved = this.guard(() => auth.saveCreds(update), 'saving WhatsApp credentials');
    });
    sock.ev.on('connection.update', (update) => {
      if (sock === this.sock) void this.onConnection(sock, update).catch((e: unknown) => this.log.error({ err: errorText(e) }, 'whatsapp connection update failed'));
    });
    sock.ev.on('messages.upsert', (upsert) => {
      if (sock === this.sock) this.inbound = this.inbound.then(() => this.onUpsert(upsert)).catch((e: unknown) => this.log.error({ err: errorText(e) }, 'whatsapp messages not handled'));
    });
  }

  private async onConnection(sock: WhatsAppSocket, update: BaileysEventMap['connection.update']): Promise<void> {
    if (update.qr !== undefined || update.connection === 'connecting') await this.link(sock, update.qr);
    if (update.connection === 'open') {
      this.connected = true;
      this.failures = 0;
      this.log.info('whatsapp connected');
    }
    if (update.connection === 'close') await this.onClose(update.lastDisconnect?.error);
  }

  /** Not linked yet: a pairing code (asked once a socket) when a number is configured, else the QR code. */
  private async link(sock: WhatsAppSocket, qr: string | undefined): Promise<void> {
    const number = this.options.pairingNumber;
    const show = this.options.show ?? ((text: string) => void process.stdout.write(`${text}\n`));
    if (!number || this.auth?.state.creds.registered) {
      if (qr) show(await qrText(qr));
      return;
    }
    if (this.pairingAskedBy === sock) return;
    this.pairingAskedBy = sock;
    try {
      show(pairingText(await sock.requestPairingCode(number)));
      this.log.info('whatsapp pairing code shown');
    } catch (e) {
      // Asked while still connecting, the socket may not be open yet: the next QR event asks again.
      this.pairingAskedBy = undefined;
      this.log[qr ? 'warn' : 'debug']({ err: errorText(e) }, 'whatsapp pairing code request failed; asking again at the next QR');
    }
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.connected = false;
    if (this.stopped) return;
    const status = statusOf(error);
    if (status === DisconnectReason.loggedOut) return this.loggedOut();
    if (status === DisconnectReason.connectionReplaced) return this.replaced();
    if (status === DisconnectReason.restartRequired) {
      this.log.info({ status }, 'whatsapp asked for a restart (normal right after linking); reconnecting now');
      return this.connect();
    }
    this.failures += 1;
    const delayMs = backoffMs(this.failures, this.options.reconnect ?? DEFAULT_RECONNECT, this.options.random ?? Math.random);
    this.log.warn({ status, reason: error?.message, failures: this.failures, delayMs }, 'whatsapp connection closed; reconnecting after a pause');
    this.cancelReconnect = (this.options.schedule ?? realSchedule)(() => {
      this.cancelReconnect = undefined;
      this.connect();
    }, delayMs);
  }

  /** The device was unlinked: the stored keys are worthless now, and reconnecting cannot help. */
  private async loggedOut(): Promise<void> {
    // Stopped, not dead: a later start() links afresh (a new QR code or pairing code).
    this.stopped = true;
    this.sock = undefined;
    await this.auth?.clear();
    this.log.error({ status: DisconnectReason.loggedOut }, RELINK_INSTRUCTIONS);
  }

  /** Another session took this link (a second Huduma on the same number): reconnecting would knock each other off forever. */
  private replaced(): void {
    this.stopped = true;
    this.sock = undefined;
    this.log.error(
      { status: DisconnectReason.connectionReplaced },
      'whatsapp: another session opened with this link (is a second Huduma running with the same database?); this one stops. Stop the other, then restart Huduma.',
    );
  }

  private async onUpsert({ messages, type }: BaileysEventMap['messages.upsert']): Promise<void> {
    // 'append' is history and our own devices' copies: only 'notify' is someone writing now.
    if (type !== 'notify') return;
    for (const m of messages) await this.receive(m);
  }

  private async receive(m: WAMessage): Promise<void> {
    const message = inboundOf(m, this.options.clock.now());
    if (!message) {
      this.log.debug({ messageId: m.key.id, reason: ignoredBecause(m) ?? 'no text or attachment' }, 'whatsapp message ignored');
      return;
    }
    const media = message.attachments?.some((a) => a.fileId);
    // WhatsApp will not send it again: it waits (in order, behind any that wait) until the engine has taken it.
    await this.pending.add({ message, ...(media ? { wa: m } : {}), attempts: 0 });
  }

  /** Hands a message to the engine; throws when it was not taken (then it is kept and tried again). */
  private async handOver(w: Waiting): Promise<void> {
    // Media is fetched later from the message itself (its keys and path), so it is kept.
    if (w.wa) await this.messages.remember(w.wa, w.message.receivedAt);
    const outcome = await this.options.deliver(w.message);
    this.log.debug({ chatId: w.message.chatId, messageId: w.message.channelMessageId, status: outcome.status }, 'whatsapp message handled');
  }

  /** Runs a bookkeeping step whose failure must not break Baileys' event loop or a send. */
  private async guard(step: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await step();
    } catch (e) {
      this.log.error({ err: errorText(e) }, `whatsapp: ${what} failed`);
    }
  }
}
