import type { Api, Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from 'pino';
import type { Actor, ReplyOutcome } from '../../bot/staff/desk.ts';
import type { StaffRow } from '../../db/queries/staff.ts';

/** What the staff group needs of the staff desk (each call its own transaction there, never one held across Telegram's API). */
export interface StaffGroupDesk {
  reply(actor: Actor, conversationId: number, text: string, sourceId?: string): Promise<ReplyOutcome>;
  endHandoff(actor: Actor, conversationId: number): Promise<ReplyOutcome>;
  threadOf(conversationId: number): Promise<string | undefined>;
  rememberThread(conversationId: number, thread: string): Promise<void>;
  conversationOfThread(thread: string): Promise<number | undefined>;
  /** The officer a member is linked to (`npm run staff:link-telegram`), so the audit trail names them. */
  staffOfTelegram(userId: string): Promise<StaffRow | undefined>;
}

export interface StaffGroupOptions {
  /** TELEGRAM_STAFF_CHAT_ID. */
  readonly chatId: string;
  readonly desk: StaffGroupDesk;
}

const TAG = /#M(\d+)\b/;
const END = /^\/(maliza|end)(@\w+)?$/i;

/**
 * The Telegram staff group: hand-offs and SLA alerts go in (a forum topic per
 * conversation where the group has topics, the `#M<id>` tag to reply to where
 * not), and what staff write back there reaches the person on their channel.
 */
export class StaffGroup {
  private forum: boolean | undefined;

  constructor(
    private readonly options: StaffGroupOptions,
    private readonly log: Logger,
  ) {}

  isStaffChat(chatId: string | number): boolean {
    return String(chatId) === this.options.chatId;
  }

  /** The chat a staff message is about: its topic, or the tag of the message it replies to. */
  private async conversationOf(m: Message): Promise<number | undefined> {
    if (m.is_topic_message && m.message_thread_id !== undefined) {
      const byTopic = await this.options.desk.conversationOfThread(String(m.message_thread_id));
      if (byTopic !== undefined) return byTopic;
    }
    const quoted = m.reply_to_message?.text ?? m.reply_to_message?.caption ?? '';
    const tag = TAG.exec(quoted)?.[1];
    return tag === undefined ? undefined : Number(tag);
  }

  /** A message in the staff group: an answer to a person, `/maliza` to hand the chat back, or chatter (ignored). */
  async handle(ctx: Context): Promise<void> {
    const m = ctx.message;
    const text = m?.text?.trim();
    if (!m || !text || !ctx.from || ctx.from.is_bot) return;
    const conversationId = await this.conversationOf(m);
    if (conversationId === undefined) return;
    const userId = String(ctx.from.id);
    const officer = await this.options.desk.staffOfTelegram(userId);
    const actor: Actor = officer ? { kind: 'staff', staff: officer } : { kind: 'telegram', userId, name: [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ') };
    const outcome = END.test(text) ? await this.options.desk.endHandoff(actor, conversationId) : await this.options.desk.reply(actor, conversationId, text, `update:${ctx.update.update_id}`);
    this.log.info({ conversationId, status: outcome.status }, 'staff group message handled');
  }

  /** Where a staff-group message about `conversationId` goes: its forum topic (made on first use), or the group itself. */
  async threadFor(api: Api, conversationId: number | undefined): Promise<number | undefined> {
    if (conversationId === undefined || !(await this.isForum(api))) return undefined;
    const known = await this.options.desk.threadOf(conversationId);
    if (known !== undefined) return Number(known);
    const topic = await api.createForumTopic(this.options.chatId, `Huduma #M${conversationId}`);
    await this.options.desk.rememberThread(conversationId, String(topic.message_thread_id));
    return topic.message_thread_id;
  }

  private async isForum(api: Api): Promise<boolean> {
    if (this.forum === undefined) {
      try {
        const chat = await api.getChat(this.options.chatId);
        this.forum = 'is_forum' in chat && chat.is_forum === true;
      } catch (e) {
        // Not knowing is not fatal: plain replies with the tag work in every group.
        this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not tell whether the staff group has topics; using replies');
        this.forum = false;
      }
    }
    return this.forum;
  }
}
