import { isJidBroadcast, isJidGroup, isJidNewsletter, makeWASocket, type AuthenticationState, type BaileysEventEmitter, type proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';

/** The part of Baileys' socket the channel uses: a test's fake implements only this. */
export interface WhatsAppSocket {
  readonly ev: Pick<BaileysEventEmitter, 'on'>;
  sendMessage(jid: string, content: { text: string }): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): Promise<void> | void;
}

export interface SocketSetup {
  readonly auth: AuthenticationState;
  readonly getMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  readonly logger: Logger;
}

export type SocketFactory = (setup: SocketSetup) => WhatsAppSocket;

/** Only one-to-one chats are conversations with a citizen: Baileys need not even decrypt the rest. */
export const ignoredJid = (jid: string): boolean => Boolean(isJidGroup(jid) || isJidBroadcast(jid) || isJidNewsletter(jid));

/** Baileys' own logging, quieted to warnings and with the JIDs it tends to log blanked (best effort: its shapes vary). */
export function baileysLogger(log: Logger): Logger {
  const level = log.isLevelEnabled('warn') ? 'warn' : log.level;
  const redact = ['jid', 'from', 'to', 'participant', 'remoteJid', 'key.remoteJid', 'key.participant', 'attrs.from', 'attrs.to', 'attrs.participant'];
  return log.child({ name: 'whatsapp' }, { level, redact });
}

/** The real socket: a linked device that neither shows itself online nor pulls old history. */
export const makeSocket: SocketFactory = (setup) =>
  makeWASocket({
    auth: setup.auth,
    getMessage: setup.getMessage,
    logger: setup.logger,
    markOnlineOnConnect: false,
    syncFullHistory: false,
    shouldIgnoreJid: ignoredJid,
  });
