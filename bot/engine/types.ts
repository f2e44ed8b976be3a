import type { Reply } from '../../db/queries/messages.ts';

/** A photo, document, voice note or location sent with (or instead of) text; kept with the request. */
export interface Attachment {
  readonly kind: 'photo' | 'document' | 'voice' | 'location';
  /** The platform's id for the file, to fetch it later. */
  readonly fileId?: string;
  readonly caption?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

/** A message from any channel, as the engine sees it. */
export interface InboundMessage {
  readonly channel: string;
  readonly chatId: string;
  readonly senderId: string;
  /** The platform's id for this message: a redelivery with the same id gets no second answer. */
  readonly channelMessageId: string;
  readonly text: string;
  readonly attachments?: readonly Attachment[];
  readonly receivedAt: Date;
}

/**
 * A reply as a channel sends it; `thread` (a conversation id) marks a
 * staff-group message about that chat; `mentions` are officers the message
 * names, by their linked Telegram user, for the staff group to notify.
 */
export type OutboundMessage = Reply & { readonly thread?: number; readonly mentions?: readonly { readonly userId: string; readonly name: string }[] };

export type TurnOutcome =
  | { readonly status: 'replied'; readonly replies: readonly OutboundMessage[] }
  /** Already seen this channel message id: the replies it was given then. */
  | { readonly status: 'duplicate'; readonly replies: readonly OutboundMessage[] }
  /** Staff own the conversation; the bot stays silent. */
  | { readonly status: 'handed_off' }
  /** Over the person's rate limit: stored, not understood; one polite reply the first time in a window, then none. */
  | { readonly status: 'rate_limited'; readonly replies: readonly OutboundMessage[] };
