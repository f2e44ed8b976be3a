import type Database from 'better-sqlite3';

/** An officer named in a staff alert, by their linked Telegram user: the staff group notifies them. */
export interface Mention {
  readonly userId: string;
  readonly name: string;
}

/** A staff alert's outbox body: threaded under the conversation when there is one; mentions only when someone is named. */
export function alertBody(text: string, conversationId: number | undefined, mentions: readonly Mention[] = []) {
  return { text, ...(conversationId === undefined ? {} : { thread: conversationId }), ...(mentions.length > 0 ? { mentions } : {}) };
}

export interface Chat {
  readonly conversationId: number;
  readonly channel: string;
  readonly chatId: string;
}

/**
 * What the SLA sweep writes besides moving a request on: the audit event, the
 * customer's notice and the staff alert, as prepared statements of the
 * connection (slaQueries keeps them, once per connection). The rows are the
 * ones addEvent, insertReplies and alertStaff write.
 */
export function prepareSlaWrites(sqlite: Database.Database) {
  const event = sqlite.prepare("insert into request_events (request_id, at, actor, kind, note, data) values (?, ?, 'sla', ?, null, null)");
  const message = sqlite.prepare(
    "insert into messages (conversation_id, direction, text, channel_message_id, reply_to, options, attachments, author, channel, created_at) values (?, 'out', ?, null, null, null, null, null, ?, ?) on conflict do nothing",
  );
  const outbox = sqlite.prepare('insert into outbox (conversation_id, channel, chat_id, body, next_try_at, created_at) values (?, ?, ?, ?, ?, ?)');
  return {
    event(requestId: number, atMs: number, kind: string): void {
      event.run(requestId, atMs, kind);
    },
    /** A message to the customer in the transcript, and queued for channels that deliver through the outbox. */
    notice(chat: Chat, text: string, atMs: number, viaOutbox: boolean): void {
      message.run(chat.conversationId, text, chat.channel, atMs);
      if (viaOutbox) outbox.run(chat.conversationId, chat.channel, chat.chatId, JSON.stringify({ text }), atMs, atMs);
    },
    /** The staff chat's copy of an SLA step, threaded under the conversation when there is one. */
    alert(staff: { readonly channel: string; readonly chatId: string }, text: string, conversationId: number | undefined, atMs: number, mentions?: readonly Mention[]): void {
      outbox.run(conversationId ?? null, staff.channel, staff.chatId, JSON.stringify(alertBody(text, conversationId, mentions)), atMs, atMs);
    },
  };
}

export type SlaWrites = ReturnType<typeof prepareSlaWrites>;
