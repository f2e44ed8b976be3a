import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import type { ChatKey, Known } from './conversations.ts';
import { prepared } from './prepared.ts';
import { first } from './rows.ts';
import { windowUpsert, windowValues } from './window.ts';

// What a turn finds when a message arrives, before it understands it. On
// PostgreSQL every round trip wakes a backend on a shared machine and costs
// more than the work it carries (BENCHMARKS.md, the backends), so the first
// steps of a turn are one statement there; SQLite runs its prepared
// statements one by one, microseconds each.

export interface Arrival {
  /** The stored message's id when this is a redelivery. */
  readonly seen: number | undefined;
  /** Looked up with `seen` in one round trip on PostgreSQL; on SQLite left to findOrCreateConversation. */
  readonly known: Known | undefined;
  /** The sender's count in their flood-limit window after this message, when `arrival` was asked to count it (PostgreSQL). */
  readonly counted: number | undefined;
}

export interface Arriving extends ChatKey {
  readonly channelMessageId: string;
  readonly text: string;
  readonly attachments?: readonly unknown[];
}

/** A flood-limit window to count the message in (its key, and how long a window lasts). */
export interface RateWindow {
  readonly key: string;
  readonly windowMs: number;
}

/**
 * A message's arrival in one round trip on PostgreSQL: the redelivery check,
 * the person and their conversation in this chat, the message stored when
 * both are known and it is new, and (given `rate`) the sender's flood-limit
 * window counted unless it is a redelivery. A copy another instance is storing
 * meanwhile is left to storeInbound, whose insert waits for it and finds it a duplicate.
 */
export async function arrival(tx: Tx, m: Arriving, now: Date, rate?: RateWindow): Promise<Arrival> {
  if (tx.sqlite) return { seen: prepared(tx.sqlite).inboundId.get({ channel: m.channel, channelMessageId: m.channelMessageId })?.id, known: undefined, counted: undefined };
  const select = tx.prepared(rate ? 'arrival_counted' : 'arrival', ({ orm, t }) => {
    const p = (name: string) => sql.placeholder(name);
    const seen = sql`select ${t.messages.id} from ${t.messages} where ${t.messages.channel} = ${p('channel')} and ${t.messages.channelMessageId} = ${p('channelMessageId')}`;
    // Data-modifying WITHs run whether or not the statement reads them; the unique key keeps a second copy out.
    const stored = orm.$with('stored').as(
      sql`insert into messages (conversation_id, direction, text, channel_message_id, attachments, channel, created_at)
      select c.id, 'in', ${p('text')}::text, ${p('channelMessageId')}::text, ${p('attachments')}::jsonb, ${p('channel')}::text, ${p('at')}::timestamptz
      from identities i join conversations c on c.channel = i.channel and c.chat_id = ${p('chatId')}
      where i.channel = ${p('channel')} and i.external_id = ${p('senderId')} and not exists (${seen})
      on conflict do nothing returning id` as never,
    );
    // A redelivery is not counted again (someone who wrote before has their window's row already).
    const counted = orm.$with('counted').as(windowUpsert(orm, t.rateWindows, sql`not exists (${seen})`) as never);
    return orm
      .with(...(rate ? [stored, counted] : [stored]))
      .select({
        seen: sql<number | null>`(${seen})`,
        inbound: sql<number | null>`(select id from stored)`,
        counted: rate ? sql<number | null>`(select count from counted)` : sql<null>`null`,
        person: t.people,
        conversation: t.conversations,
      })
      .from(sql`(select 1) as "one"`)
      .leftJoin(t.identities, and(eq(t.identities.channel, p('channel')), eq(t.identities.externalId, p('senderId'))))
      .leftJoin(t.people, eq(t.people.id, t.identities.personId))
      .leftJoin(t.conversations, and(eq(t.conversations.channel, p('channel')), eq(t.conversations.chatId, p('chatId'))));
  });
  const attachments = m.attachments && m.attachments.length > 0 ? JSON.stringify(m.attachments) : null;
  const values = { channel: m.channel, channelMessageId: m.channelMessageId, senderId: m.senderId, chatId: m.chatId, text: m.text, attachments, at: now };
  const row = first(await select.execute(rate ? { ...values, ...windowValues({ key: rate.key, at: now, windowMs: rate.windowMs }) } : values));
  return {
    seen: row?.seen ?? undefined,
    known: { person: row?.person ?? undefined, conversation: row?.conversation ?? undefined, inbound: row?.inbound ?? undefined },
    counted: row?.counted ?? undefined,
  };
}
