import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { closeCall } from '../intents/classifier.ts';
import type { Understanding } from '../intents/nlu.ts';
import { translator, type Locale, type Translate } from '../locales/index.ts';
import type { Clock } from './sla/clock.ts';

export interface ConsoleChatOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly understand: (text: string, now: Date) => Understanding;
  readonly clock: Clock;
  readonly defaultLocale: Locale;
}

/** What the bot would say about one message: its reading, in the writer's language. */
export function describe(u: Understanding, t: Translate): string[] {
  const lines: string[] = [];
  const unsure = closeCall(u);
  if (unsure) {
    const [first, second] = unsure;
    lines.push(t('console.unsure', { first: t(`intent.${first.intent}`), second: t(`intent.${second.intent}`) }));
  } else if (u.intent === 'out_of_scope') {
    lines.push(t('console.out_of_scope'));
  } else {
    lines.push(t('console.understood', { intent: t(`intent.${u.intent}`), confidence: Math.round(u.confidence * 100) }));
  }
  if (u.entities.length > 0) {
    lines.push(t('console.found', { entities: u.entities.map((e) => `${t(`entity.${e.type}`)} ${e.value}`).join(', ') }));
  }
  return lines;
}

/** The terminal chat of `npm start` until the web chat exists: type a message, see what Huduma understood. */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const say = (line: string) => options.output.write(`${line}\n`);
  say(translator(options.defaultLocale)('console.banner'));
  for await (const line of createInterface({ input: options.input, crlfDelay: Infinity })) {
    const text = line.trim();
    if (text === '') continue;
    const u = options.understand(text, options.clock.now());
    for (const reply of describe(u, translator(u.language))) say(`huduma> ${reply}`);
    say(`        [${u.intent} ${u.confidence.toFixed(2)} · ${u.language}]`);
  }
  say(translator(options.defaultLocale)('console.bye'));
}
