import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { translator, type Locale } from '../locales/index.ts';
import type { Inbox } from './engine/inbox.ts';
import type { Clock } from './sla/clock.ts';

export interface ConsoleChatOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** The engine's inbox, as every channel hands it messages. */
  readonly submit: Inbox['submit'];
  readonly clock: Clock;
  readonly defaultLocale: Locale;
  /** Who is typing: one conversation per name, kept in the database like any chat. */
  readonly chatId: string;
}

/** `npm run chat`: the same engine as every channel, in a terminal. */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const say = (line: string) => options.output.write(`${line}\n`);
  say(translator(options.defaultLocale)('console.banner'));
  for await (const line of createInterface({ input: options.input, crlfDelay: Infinity })) {
    const text = line.trim();
    if (text === '') continue;
    const outcome = await options.submit({
      channel: 'terminal',
      chatId: options.chatId,
      senderId: options.chatId,
      channelMessageId: randomUUID(),
      text,
      receivedAt: options.clock.now(),
    });
    if (outcome.status === 'handed_off') continue;
    for (const reply of outcome.replies) {
      say(`huduma> ${reply.text.replace(/\n/g, '\n        ')}`);
      for (const [i, o] of (reply.options ?? []).entries()) say(`        ${i + 1}. ${o.label}`);
    }
  }
  say(translator(options.defaultLocale)('console.bye'));
}
