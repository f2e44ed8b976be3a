import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { USSD_SCREEN_LIMIT } from '../../bot/ussd/types.ts';
import type { TestServer } from './app.ts';
import { chat, openWebchat, ussd } from './citizen.ts';

// People who follow planned outages, as the announcements' tests play them:
// on the web chat over the server's socket (each a session of their own),
// on Telegram through the inbox, and on USSD as the gateway posts it.

export const SINZA = 'dar-es-salaam/ubungo/sinza';
export const UTILITY_REFERENCE = /UMM-2026-\d{6}/;

/**
 * A web chat person: their session, what they say (the answer's text), and
 * what their chat shows since it began; `server` is asked each time, so the
 * person goes on after a restart.
 */
export async function webPerson(server: () => TestServer) {
  const session = await openWebchat(server());
  return {
    session,
    say: async (text: string) => (await chat(server(), session, text)).text,
    /** Every message the bot wrote to this chat (the transcript, read as the page reads it). */
    heard: async (): Promise<string[]> => {
      const res = await fetch(`${server().url}/webchat/sessions/${session}/messages`);
      const body = (await res.json()) as { messages: { direction: string; text: string }[] };
      return body.messages.filter((m) => m.direction === 'out').map((m) => m.text);
    },
  };
}

let telegramMessage = 0;
/** One Telegram message from the chat `chatId`, handed in as the Telegram channel does; the replies' text. */
export async function telegramSays(server: TestServer, chatId: string, text: string): Promise<string> {
  const outcome = await server.app.inbox.submit({ channel: 'telegram', chatId, senderId: chatId, channelMessageId: `ann-${process.pid}-${++telegramMessage}`, text, receivedAt: server.clock.now() });
  return outcome && 'replies' in outcome ? outcome.replies.map((r) => r.text).join('\n') : '';
}

/** A whole USSD session: each answer posted as the gateway posts it (all answers so far); the screens, each checked to fit 182 characters. */
export async function ussdSession(server: TestServer, sessionId: string, phone: string, answers: readonly string[]): Promise<string[]> {
  const screens = [await ussd(server, sessionId, phone, '')];
  for (let i = 1; i <= answers.length; i++) screens.push(await ussd(server, sessionId, phone, answers.slice(0, i).join('*')));
  for (const s of screens) expect(s.length, s).toBeLessThanOrEqual(USSD_SCREEN_LIMIT);
  return screens;
}

/** Runs the leader's sender until nothing is left to send now; how many chats it told. */
export async function sendAll(server: TestServer): Promise<number> {
  let told = 0;
  for (let i = 0; i < 1000; i++) {
    const look = await server.app.announcements.sweep();
    told += look.told;
    if (!look.more) return told;
  }
  throw new Error('the sender never finished');
}

/** A request's audit events, by its reference. */
export async function eventsOf(server: TestServer, reference: string) {
  return server.app.store.read(async (tx) => {
    const [request] = await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference));
    if (!request) return [];
    return tx.orm.select().from(tx.t.requestEvents).where(eq(tx.t.requestEvents.requestId, request.id));
  });
}
