import type { OutboundMessage } from '../engine/types.ts';

/** What a platform said to one send: a translation of its own errors, made once, in the channel. */
export type SendResult =
  /** `providerId`: the platform's id for the message, when its delivery is reported later (status webhooks). */
  | { readonly status: 'sent'; readonly providerId?: string }
  /** Worth trying again: a timeout, a 5xx, a 429 (`afterMs` is the platform's retry_after). */
  | { readonly status: 'retry'; readonly reason: string; readonly afterMs?: number }
  /** The channel could not even try (its connection is down): later, and it does not count as an attempt. */
  | { readonly status: 'deferred'; readonly reason: string; readonly afterMs: number }
  /** Never worth trying again: the bot was blocked (403), the chat does not exist. */
  | { readonly status: 'failed'; readonly reason: string };

/** The sending side of a channel, as the outbox worker needs it. Channels implement it; bot/ never imports them. */
export interface OutboundChannel {
  readonly id: string;
  readonly limits: {
    /** Messages a second to one chat (Telegram: about 1). */
    readonly perChatPerSecond: number;
    /** Messages a second over all chats (Telegram: about 30; WhatsApp: conservative, to avoid bans). */
    readonly overallPerSecond: number;
    /** Messages a minute to one group chat (Telegram: 20), where groups are slower than private chats. */
    readonly perGroupPerMinute?: number;
  };
  /** Whether a chat id is a group (Telegram: negative ids), for `perGroupPerMinute`. */
  isGroup?(chatId: string): boolean;
  send(chatId: string, message: OutboundMessage): Promise<SendResult>;
}
