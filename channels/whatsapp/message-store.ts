import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { pruneWhatsAppMessages, saveWhatsAppMessage, whatsAppMessage } from '../../db/queries/whatsapp.ts';
import type { Store } from '../../db/store.ts';
import { decode, encode } from './auth-state.ts';

/** How long sent and received messages are kept for retries and media (WhatsApp's media links die sooner). */
export const KEEP_MESSAGES_MS = 30 * 24 * 3_600_000;

/**
 * Messages kept in the database (table whatsapp_messages): what we sent, so
 * Baileys' `getMessage` can re-encrypt it when a phone asks for a retry
 * ("waiting for this message"), and received media, so it can be downloaded later.
 */
export class MessageStore {
  constructor(private readonly store: Store) {}

  /** False when the message has no chat or id to be found by (nothing to keep). */
  async remember(m: WAMessage, at: Date): Promise<boolean> {
    const { remoteJid, id } = m.key;
    if (!remoteJid || !id) return false;
    const message = encode(m);
    await this.store.transaction((tx) => saveWhatsAppMessage(tx, { remoteJid, messageId: id, message, at }));
    return true;
  }

  /** The whole stored WAMessage, as a proto again (JSON turned bytes into base64 and enums into names). */
  async find(remoteJid: string, id: string): Promise<proto.WebMessageInfo | undefined> {
    const raw = await this.store.read((tx) => whatsAppMessage(tx, remoteJid, id));
    return raw === undefined ? undefined : proto.WebMessageInfo.fromObject(decode(raw) as object);
  }

  /** Baileys' SocketConfig.getMessage. */
  readonly getMessage = async (key: WAMessageKey): Promise<proto.IMessage | undefined> => {
    if (!key.remoteJid || !key.id) return undefined;
    return (await this.find(key.remoteJid, key.id))?.message ?? undefined;
  };

  /** Deletes what is older than KEEP_MESSAGES_MS; how many went. */
  prune(now: Date): Promise<number> {
    return this.store.transaction((tx) => pruneWhatsAppMessages(tx, new Date(now.getTime() - KEEP_MESSAGES_MS)));
  }
}
