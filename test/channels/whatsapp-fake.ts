import { Boom } from '@hapi/boom';
import { DisconnectReason, generateWAMessageFromContent, makeEventBuffer, proto, type BaileysEventEmitter, type BaileysEventMap, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { pino, type Logger } from 'pino';
import type { SocketFactory, SocketSetup, WhatsAppSocket } from '../../channels/whatsapp/socket.ts';

/** Huduma's own number, and a citizen known by LID (Baileys 7) with their phone-number JID beside it. */
export const ME = '255700000001@s.whatsapp.net';
export const CITIZEN_LID = '98765432101234@lid';
export const CITIZEN_PN = '255712345678@s.whatsapp.net';

let nextId = 0;

/** A received message shaped as Baileys hands it over: a decoded WebMessageInfo, plus Baileys 7's key fields. */
export function incoming(content: proto.IMessage, key: Partial<WAMessageKey> = {}): WAMessage {
  const decoded = proto.WebMessageInfo.fromObject({ message: content, messageTimestamp: 1_795_392_000, pushName: 'Asha' });
  const message = decoded as WAMessage;
  message.key = { remoteJid: CITIZEN_LID, remoteJidAlt: CITIZEN_PN, fromMe: false, id: `3EB0${String(++nextId).padStart(16, '0')}`, addressingMode: 'lid', ...key };
  return message;
}

/** A Boom as Baileys raises them: `new Boom(message, { statusCode })`, or a WhatsApp error reply's code in `data`. */
export const boom = (message: string, statusCode: number, data?: number) => new Boom(message, { statusCode, ...(data === undefined ? {} : { data }) });
export const closedBy = (statusCode: number | undefined): BaileysEventMap['connection.update'] => ({
  connection: 'close',
  lastDisconnect: { error: statusCode === undefined ? undefined : boom('Connection Failure', statusCode), date: new Date() },
});
export { DisconnectReason };

/**
 * A stand-in for Baileys' socket: Baileys' own event emitter (makeEventBuffer),
 * messages made by Baileys' own generateWAMessageFromContent, no network.
 */
export class FakeSocket implements WhatsAppSocket {
  readonly ev: BaileysEventEmitter = makeEventBuffer(pino({ level: 'silent' }));
  readonly sent: { jid: string; text: string; message: WAMessage }[] = [];
  readonly pairingRequests: string[] = [];
  failNextSend: Error | undefined;
  ended = false;

  constructor(readonly setup: SocketSetup) {}

  async sendMessage(jid: string, content: { text: string }): Promise<WAMessage> {
    const failure = this.failNextSend;
    this.failNextSend = undefined;
    if (failure) throw failure;
    const message = generateWAMessageFromContent(jid, { extendedTextMessage: { text: content.text } }, { userJid: ME });
    this.sent.push({ jid, text: content.text, message });
    return message;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'HUDU2MA7';
  }

  async end(error: Error | undefined): Promise<void> {
    this.ended = true;
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  /** The socket reports it is open, as Baileys does after login. */
  open(): void {
    this.ev.emit('connection.update', { connection: 'open' });
  }

  receive(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): void {
    this.ev.emit('messages.upsert', { messages, type });
  }
}

/** The socket factory to inject; `sockets` lists every socket made, newest last. */
export function fakeSockets(): { factory: SocketFactory; sockets: FakeSocket[]; latest(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (setup) => {
      const s = new FakeSocket(setup);
      sockets.push(s);
      return s;
    },
    latest: () => {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket was made');
      return s;
    },
  };
}

/** A pino logger that keeps what it writes, to look at levels and contents. */
export function capturingLogger(): { log: Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}
