import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, people, whatsappAuth, whatsappMessages } from '../schema.ts';

// SQLite allows a bounded number of parameters a statement; Baileys may ask for hundreds of keys at once.
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The stored values (JSON text) of the given auth keys; a key never stored is absent. */
export function readAuthValues(tx: Tx, keys: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of chunks(keys)) {
    for (const row of tx.select().from(whatsappAuth).where(inArray(whatsappAuth.key, part)).all()) found.set(row.key, row.value);
  }
  return found;
}

/** Writes auth values in the caller's transaction; a null value deletes the key (Baileys' contract). */
export function writeAuthValues(tx: Tx, entries: readonly { key: string; value: string | null }[]): void {
  for (const { key, value } of entries) {
    if (value === null) tx.delete(whatsappAuth).where(eq(whatsappAuth.key, key)).run();
    else tx.insert(whatsappAuth).values({ key, value }).onConflictDoUpdate({ target: whatsappAuth.key, set: { value } }).run();
  }
}

/** Forgets the linked device entirely (after WhatsApp logged it out). */
export function clearAuth(tx: Tx): void {
  tx.delete(whatsappAuth).run();
}

export function saveWhatsAppMessage(tx: Tx, m: { remoteJid: string; messageId: string; message: string; at: Date }): void {
  tx.insert(whatsappMessages)
    .values({ remoteJid: m.remoteJid, messageId: m.messageId, message: m.message, createdAt: m.at })
    .onConflictDoUpdate({ target: [whatsappMessages.remoteJid, whatsappMessages.messageId], set: { message: m.message } })
    .run();
}

/** The stored message (JSON text), for Baileys' retry requests and for fetching media later. */
export function whatsAppMessage(tx: Tx, remoteJid: string, messageId: string): string | undefined {
  return tx
    .select({ message: whatsappMessages.message })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.remoteJid, remoteJid), eq(whatsappMessages.messageId, messageId)))
    .get()?.message;
}

/** Retry requests come within minutes and media links expire in weeks: older messages are only weight. */
export function pruneWhatsAppMessages(tx: Tx, before: Date): number {
  return tx.delete(whatsappMessages).where(lt(whatsappMessages.createdAt, before)).run().changes;
}

/** The language of the person in a chat, as the engine last answered them; undefined before their first message. */
export function localeOfChat(tx: Tx, channel: string, chatId: string): 'sw' | 'en' | undefined {
  return tx
    .select({ locale: people.locale })
    .from(conversations)
    .innerJoin(people, eq(people.id, conversations.personId))
    .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId)))
    .get()?.locale;
}
