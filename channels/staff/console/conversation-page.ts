import { html } from 'hono/html';
import { conversationTag } from '../../../bot/engine/handoff.ts';
import type { conversations } from '../../../db/schema.ts';
import type { Locale } from '../../../locales/index.ts';
import { cannedPicker, type CannedOption } from './tools-parts.ts';
import { actorName, csrfField, layout, transcriptItems, when, whoSaid, type Html, type View } from './layout.ts';

type Conversation = typeof conversations.$inferSelect;
type Message = { id: number; direction: 'in' | 'out'; text: string; author: string | null; createdAt: Date };

/** GET /staff/handoffs: chats handed to staff, oldest first, and who has each. */
export function handoffsPage(v: View, queue: readonly Conversation[]): Html {
  const body =
    queue.length === 0
      ? html`<p class="empty">${v.t('console_staff.handoffs.none')}</p>`
      : html`<table id="handoffs">
  <thead><tr><th>${v.t('console_staff.handoffs.conversation')}</th><th>${v.t('console_staff.handoffs.channel')}</th><th>${v.t('console_staff.handoffs.since')}</th><th>${v.t('console_staff.handoffs.taken_by')}</th><th></th></tr></thead>
  <tbody>${queue.map(
    (h) => html`<tr data-conversation="${h.id}" class="${h.handoffTakenBy ? 'taken' : 'waiting'}">
    <td>${conversationTag(h.id)}</td>
    <td>${h.channel}</td>
    <td>${when(v, h.handedOffAt)}</td>
    <td>${h.handoffTakenBy ? actorName(v, h.handoffTakenBy) : v.t('console_staff.handoffs.waiting')}</td>
    <td><a href="/staff/conversations/${h.id}">${v.t('console_staff.handoffs.open')}</a></td>
  </tr>`,
  )}</tbody>
</table>`;
  return layout(v, v.t('console_staff.handoffs.title'), body);
}

function state(v: View, c: Conversation): string {
  if (c.handoffTakenBy) return v.t('console_staff.conversation.taken', { name: actorName(v, c.handoffTakenBy) });
  if (c.handedOffAt) return v.t('console_staff.conversation.waiting');
  return v.t('console_staff.conversation.with_bot');
}

/** GET /staff/conversations/:id: the live chat; new messages come by polling, a reply goes by fetch or a plain POST. */
export function conversationPage(v: View, c: Conversation, messages: readonly Message[], canned?: { readonly locale: Locale | undefined; readonly replies: readonly CannedOption[] }): Html {
  const cursor = String(messages.at(-1)?.id ?? 0);
  return layout(
    v,
    v.t('console_staff.conversation.title', { tag: conversationTag(c.id) }),
    html`<p id="conversation-state">${state(v, c)} · ${c.channel}</p>
<p class="hint">${v.t('console_staff.conversation.live')}</p>
<ol class="transcript" id="transcript" data-poll="/staff/conversations/${c.id}/messages" data-cursor="${cursor}">${transcriptItems(v, messages)}</ol>
<p id="live-status" role="status" aria-live="polite"></p>
<form method="post" action="/staff/conversations/${c.id}/reply" id="reply">
  ${csrfField(v)}
  ${canned ? cannedPicker(v, canned.replies, 'reply-text', canned.locale, false) : ''}
  <label for="reply-text">${v.t('console_staff.conversation.reply')}</label>
  <textarea name="text" id="reply-text" maxlength="4000" required></textarea>
  <p><button type="submit">${v.t('console_staff.conversation.send')}</button></p>
</form>
<form method="post" action="/staff/conversations/${c.id}/end" id="end">
  ${csrfField(v)}
  <button type="submit">${v.t('console_staff.conversation.end')}</button>
</form>`,
  );
}

/** The polling endpoint's JSON: each message with who said it and when, in words, for the page to show as text. */
export function messagesJson(v: View, messages: readonly Message[], after: number) {
  return {
    messages: messages.map((m) => ({
      id: String(m.id),
      direction: m.direction,
      text: m.text,
      author: m.author,
      createdAt: m.createdAt.toISOString(),
      who: whoSaid(v, m),
      shown: when(v, m.createdAt),
    })),
    cursor: String(messages.at(-1)?.id ?? after),
  };
}
