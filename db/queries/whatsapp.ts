import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

// SQLite allows a bounded number of parameters a statement; Baileys may ask for hundreds of keys at once.
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The stored values (JSON text) of the given auth keys; a key never stored is absent. */
export async function readAuthValues(tx: Tx, keys: readonly string[]): Promise<Map<string, string>> {
  const { whatsappAuth } = tx.t;
  const found = new Map<string, string>();
  for (const part of chunks(keys)) {
    for (const row of await tx.orm.select().from(whatsappAuth).where(inArray(whatsappAuth.key, part))) found.set(row.key, row.value);
  }
  return found;
}

/** Writes auth values in the caller's transaction; a null value deletes the key (Baileys' contract). */
export async function writeAuthValues(tx: Tx, entries: readonly { key: string; value: string | null }[]): Promise<void> {
  const { whatsappAuth } = tx.t;
  for (const { key, value } of entries) {
    if (value === null) await tx.orm.delete(whatsappAuth).where(eq(whatsappAuth.key, key));
    else await tx.orm.insert(whatsappAuth).values({ key, value }).onConflictDoUpdate({ target: whatsappAuth.key, set: { value } });
  }
}

/** Forgets the linked device entirely (after WhatsApp logged it out). */
export async function clearAuth(tx: Tx): Promise<void> {
  await tx.orm.delete(tx.t.whatsappAuth);
}

export async function saveWhatsAppMessage(tx: Tx, m: { remoteJid: string; messageId: string; message: string; at: Date }): Promise<void> {
  const { whatsappMessages } = tx.t;
  await tx.orm
    .insert(whatsappMessages)
    .values({ remoteJid: m.remoteJid, messageId: m.messageId, message: m.message, createdAt: m.at })
    .onConflictDoUpdate({ target: [whatsappMessages.remoteJid, whatsappMessages.messageId], set: { message: m.message } });
}

/** The stored message (JSON text), for Baileys' retry requests and for fetching media later. */
export async function whatsAppMessage(tx: Tx, remoteJid: string, messageId: string): Promise<string | undefined> {
  const { whatsappMessages } = tx.t;
  return first(
    await tx.orm
      .select({ message: whatsappMessages.message })
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.remoteJid, remoteJid), eq(whatsappMessages.messageId, messageId))),
  )?.message;
}

/** Retry requests come within minutes and media links expire in weeks: older messages are only weight. */
export async function pruneWhatsAppMessages(tx: Tx, before: Date): Promise<number> {
  const { whatsappMessages } = tx.t;
  return (await tx.orm.delete(whatsappMessages).where(lt(whatsappMessages.createdAt, before)).returning({ id: whatsappMessages.messageId })).length;
}

/** The language of the person in a chat, as the engine last answered them; undefined before their first message. */
export async function localeOfChat(tx: Tx, channel: string, chatId: string): Promise<'sw' | 'en' | undefined> {
  const { conversations, people } = tx.t;
  return first(
    await tx.orm
      .select({ locale: people.locale })
      .from(conversations)
      .innerJoin(people, eq(people.id, conversations.personId))
      .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId))),
  )?.locale;
}
