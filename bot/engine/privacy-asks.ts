import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { foldText } from './commands.ts';

// "nipe taarifa zangu", "erase my data": a person asking to see or to erase
// what is held about them (PDPA 2022). The phrases are data
// (privacy-asks.yml), compared whole, so that no other message is ever taken
// for an erasure.

export type PrivacyAsk = 'show' | 'erase';

const phrases = z.array(z.string().min(1)).min(1);
const file = z.object({ show: phrases, erase: phrases, courtesy: phrases }).strict();
const words = file.parse(parse(readFileSync(fileURLToPath(new URL('./privacy-asks.yml', import.meta.url)), 'utf8')));

const courtesy = new Set(words.courtesy.map(foldText));
const byText = new Map<string, PrivacyAsk>();
for (const ask of ['show', 'erase'] as const) for (const p of words[ask]) byText.set(foldText(p), ask);

/** The longest text that may be an ask: longer ones are not even folded. */
const LONGEST = 80;

/** The ask a whole message is, if any, with a courteous word at either end set aside. */
export function privacyAsk(text: string): PrivacyAsk | undefined {
  if (text.length > LONGEST) return undefined;
  const tokens = foldText(text).split(' ');
  while (tokens.length > 1 && courtesy.has(tokens[0] ?? '')) tokens.shift();
  while (tokens.length > 1 && courtesy.has(tokens.at(-1) ?? '')) tokens.pop();
  return byText.get(tokens.join(' '));
}
