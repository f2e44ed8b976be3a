import { insertBulkReplies, type BulkReply } from '../../db/queries/bulk-replies.ts';
import { reportersOf, type Reporter } from '../../db/queries/incident-reports.ts';
import { markTold, type IncidentRow, type IncidentUpdateRow } from '../../db/queries/incidents.ts';
import type { Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import { noticeText, type NoticeKind } from './words.ts';

export interface TellDeps {
  readonly deliversByOutbox: (channel: string) => boolean;
  /** Messages a second the notices may take of a channel (see insertBulkReplies); undefined: all due at once. */
  readonly pace?: (channel: string) => number | undefined;
}

export interface Told {
  /** Reports whose reporter was told this message now (not before). */
  readonly requests: number;
  /** Chats a message was queued to (a person who reported twice in one chat hears it once). */
  readonly chats: number;
}

/**
 * Tells the reporters of these reports one of the incident's messages, in the
 * caller's transaction: each report is marked told first (incident_notices),
 * and only the reports newly marked are told, so a message is heard once
 * whatever retries, restarts or other instances do. One message per chat, in
 * the person's language, queued through the outbox and paced.
 */
export async function tellReporters(tx: Tx, deps: TellDeps, t: { incident: IncidentRow; update: IncidentUpdateRow; kind: NoticeKind; requestIds: readonly number[]; at: Date }): Promise<Told> {
  const reporters = (await reportersOf(tx, t.requestIds)).filter((r) => r.chat !== undefined);
  const told = await markTold(tx, { updateId: t.update.id, incidentId: t.incident.id, requestIds: reporters.map((r) => r.request.id), at: t.at });
  const chats = await tellEachChat(
    tx,
    deps,
    reporters.filter((r) => told.has(r.request.id)),
    (locale, channel, references) => noticeText(locale, channel, t.kind, references, t.update.message),
    t.at,
  );
  return { requests: told.size, chats };
}

/**
 * One message a chat to these reporters (a person who reported several times
 * hears once, naming each reference), in their language, queued through the
 * outbox and paced. Returns the chats told.
 */
export async function tellEachChat(
  tx: Tx,
  deps: TellDeps,
  reporters: readonly Reporter[],
  textOf: (locale: Locale, channel: string, references: readonly string[]) => string,
  at: Date,
): Promise<number> {
  const chats = new Map<number, { readonly chat: NonNullable<Reporter['chat']>; readonly locale: Locale; readonly references: string[] }>();
  for (const r of reporters) {
    if (!r.chat) continue;
    const known = chats.get(r.chat.conversationId);
    if (known) known.references.push(r.request.reference);
    else chats.set(r.chat.conversationId, { chat: r.chat, locale: r.locale, references: [r.request.reference] });
  }
  const replies: BulkReply[] = [...chats.values()].map(({ chat, locale, references }) => ({
    conversationId: chat.conversationId,
    channel: chat.channel,
    chatId: chat.chatId,
    text: textOf(locale, chat.channel, references),
    viaOutbox: deps.deliversByOutbox(chat.channel),
  }));
  await insertBulkReplies(tx, replies, { at, pace: deps.pace });
  return replies.length;
}
