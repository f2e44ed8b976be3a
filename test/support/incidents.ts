import { and, asc, eq } from 'drizzle-orm';
import type { TestServer } from './app.ts';
import { REFERENCE } from './citizen.ts';
import { say } from './flows.ts';
import { sessionOf } from './sessions.ts';

// Reporters of one fault, as incidents' tests play them: on the web chat (in
// English or Swahili) and on Telegram (through the inbox, as the Telegram
// channel hands messages in; what the bot sends them is read from the outbox).

export const SERVICE = 'network_email_fault';
export const SINZA = 'dar-es-salaam/ubungo/sinza';

/** A network fault filed over the web chat by the person `name`; its reference. */
export async function reportByWebchat(server: TestServer, name: string, language: 'sw' | 'en'): Promise<string> {
  const lines =
    language === 'sw'
      ? ['barua pepe yangu haifanyi kazi tangu jana', 'Idara ya Fedha, chumba 12', '0754 123 456', 'ndiyo']
      : ['the internet in our office has been down since morning', 'Registry, block B', 'my number is +255 713 000 111', 'yes'];
  let said = '';
  for (const line of lines) said = (await say(server, name, line)).map((r) => r.text).join('\n');
  const reference = REFERENCE.exec(said)?.[0];
  if (!reference) throw new Error(`no reference in: ${said}`);
  return reference;
}

let telegramMessage = 0;
/** A network fault filed over Telegram by the chat `chatId` (an English speaker); its reference. */
export async function reportByTelegram(server: TestServer, chatId: string): Promise<string> {
  let said = '';
  for (const text of ['the internet in our office has been down since morning', 'Registry, block B', '+255 713 000 222', 'yes']) {
    const outcome = await server.app.inbox.submit({ channel: 'telegram', chatId, senderId: chatId, channelMessageId: `tg-${process.pid}-${++telegramMessage}`, text, receivedAt: server.clock.now() });
    said = 'replies' in outcome ? outcome.replies.map((r) => r.text).join('\n') : '';
  }
  const reference = REFERENCE.exec(said)?.[0];
  if (!reference) throw new Error(`no reference in: ${said}`);
  return reference;
}

/** Where a report is, as the form's place field will set it (the ICT forms ask no place). */
export async function placeReport(server: TestServer, reference: string, area: string): Promise<void> {
  await server.app.store.transaction((tx) => tx.orm.update(tx.t.requests).set({ area }).where(eq(tx.t.requests.reference, reference)));
}

/** The web chat conversation of the person `name` (their session's chat). */
export async function webchatConversation(server: TestServer, name: string) {
  const chatId = await sessionOf(server, name);
  const rows = await server.app.store.read((tx) =>
    tx.orm
      .select()
      .from(tx.t.conversations)
      .where(and(eq(tx.t.conversations.channel, 'webchat'), eq(tx.t.conversations.chatId, chatId))),
  );
  const conversation = rows[0];
  if (!conversation) throw new Error(`no web chat conversation for ${name}`);
  return conversation;
}

/** The outbox rows to a chat, oldest first, with when each is first tried. */
export async function outboxTo(server: TestServer, channel: string, chatId: string) {
  const rows = await server.app.store.read((tx) =>
    tx.orm
      .select()
      .from(tx.t.outbox)
      .where(and(eq(tx.t.outbox.channel, channel), eq(tx.t.outbox.chatId, chatId)))
      .orderBy(asc(tx.t.outbox.id)),
  );
  return rows.map((r) => ({ text: (r.body as { text?: string }).text ?? '', nextTryAt: r.nextTryAt }));
}

/** How many of `texts` contain `part`. */
export const times = (texts: readonly string[], part: string): number => texts.filter((t) => t.includes(part)).length;

/** The staff API over the server's socket, as another program calls it. */
export function staffApi(server: TestServer) {
  return async (token: string, path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string; code?: string } };
  };
}
