import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { WordMemo } from '../../intents/memo.ts';
import { normalize as normalizeText } from '../../intents/normalize.ts';

const COMMANDS = ['cancel', 'back', 'yes', 'no', 'change', 'menu', 'language_sw', 'language_en', 'language', 'link_phone', 'bot_back'] as const;
export type Command = (typeof COMMANDS)[number];

const file = z.object(Object.fromEntries(COMMANDS.map((c) => [c, z.array(z.string().min(1)).min(1)])) as Record<Command, z.ZodArray<z.ZodString>>).strict();

/**
 * Commands, option labels and one-word answers come back all day: each short
 * text is normalized once (a bounded memo); a long one is never a command and
 * is not kept.
 */
const shortTexts = new WordMemo<string>((t) => normalizeText(t), 5_000);
const normalize = (text: string): string => (text.length <= 120 ? shortTexts.get(text) : normalizeText(text));
/** A text as commands are compared: case, accents and punctuation folded, SMS spellings made standard. */
export const foldText = normalize;

const words = file.parse(parse(readFileSync(fileURLToPath(new URL('./commands.yml', import.meta.url)), 'utf8')));
const byText = new Map<string, Command>();
for (const c of COMMANDS) for (const w of words[c]) byText.set(normalize(w), c);

/** The command a whole message is, if any ("Ghairi!" → cancel). */
export function commandOf(text: string): Command | undefined {
  return byText.get(normalize(text));
}

/** "badilisha simu" → { command: 'change', rest: 'simu' }: a command word followed by what it is about. */
export function commandWithRest(text: string): { command: Command; rest: string } | undefined {
  const n = normalize(text);
  const [first, ...rest] = n.split(' ');
  const command = first === undefined ? undefined : byText.get(first);
  return command && rest.length > 0 ? { command, rest: rest.join(' ') } : undefined;
}

/**
 * Which of the offered labels an answer picks: its number ("2"), the label
 * itself, or the label's start ("mfumo" for "Mfumo wa ..."); undefined if none.
 */
export function pickOption(text: string, labels: readonly string[]): number | undefined {
  if (/^\d+$/.test(text.trim())) {
    const i = Number(text.trim()) - 1;
    return i >= 0 && i < labels.length ? i : undefined;
  }
  const n = normalize(text);
  const folded = labels.map((l) => normalize(l));
  const exact = folded.indexOf(n);
  if (exact >= 0) return exact;
  const starts = folded.flatMap((l, i) => (n.length >= 3 && l.startsWith(n) ? [i] : []));
  return starts.length === 1 ? starts[0] : undefined;
}
