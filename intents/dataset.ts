import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONVERSATION_INTENTS, INTENT_ID_PATTERN, type IntentId } from './ids.ts';

export interface Example {
  readonly text: string;
  readonly intent: IntentId;
}

/** The shipped ICT charter bundle's training data (a bundle's training/ folder). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../bot/charter/ict/training/', import.meta.url));

/** A data file that breaks the rules; carries where, so the author can fix it. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'DatasetError';
  }
}

const intentId = z.string().regex(INTENT_ID_PATTERN, 'an intent id: small letters and _');

// Rasa's NLU file shape: `examples` is a block of "- " lines.
const nluFile = z.object({
  version: z.string().optional(),
  nlu: z.array(z.object({ intent: intentId, examples: z.string().min(1) }).strict()).length(1, 'one intent per file'),
});

export function parseExampleBlock(block: string): { lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  block.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return; // YAML's trailing newline
    const m = /^- (.*)$/.exec(raw.trimEnd());
    const text = m?.[1]?.trim();
    if (!text) problems.push(`line ${i + 1} of examples is not a "- text" item: ${JSON.stringify(raw)}`);
    else lines.push(text);
  });
  return { lines, problems };
}

/** Reads one intent file; the file must be named after the intent it holds. */
export function loadIntentFile(path: string): Example[] {
  const name = basename(path);
  const parsed = nluFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new DatasetError(
      name,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const [entry] = parsed.data.nlu;
  if (!entry) throw new DatasetError(name, ['no intent']);
  const problems: string[] = [];
  if (name !== `${entry.intent}.yml`) problems.push(`holds intent "${entry.intent}" but is named ${name}`);
  const { lines, problems: lineProblems } = parseExampleBlock(entry.examples);
  problems.push(...lineProblems);
  if (problems.length > 0) throw new DatasetError(name, problems);
  return lines.map((text) => ({ text, intent: entry.intent }));
}

/** A key under which two spellings of the same line collide. */
export function duplicateKey(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Loads every intent file of a folder and checks the set as a whole. */
export function loadDataset(dir: string = DEFAULT_DATA_DIR): Example[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort();
  const examples = files.flatMap((f) => loadIntentFile(join(dir, f)));
  const seen = new Map<string, Example>();
  const problems: string[] = [];
  for (const ex of examples) {
    const key = duplicateKey(ex.text);
    const first = seen.get(key);
    if (first) problems.push(`"${ex.text}" (${ex.intent}) repeats "${first.text}" (${first.intent})`);
    else seen.set(key, ex);
  }
  // The conversation's own intents are in every bundle; which services there are, the bundle checks (bot/charter/bundle.ts).
  const present = new Set(examples.map((e) => e.intent));
  const missing = CONVERSATION_INTENTS.filter((id) => !present.has(id));
  if (missing.length > 0) problems.push(`no examples for: ${missing.join(', ')}`);
  if (problems.length > 0) throw new DatasetError(dir, problems);
  return examples;
}

const jsonlLine = z.object({ text: z.string().trim().min(1), intent: intentId });

/** Reads a `{"text","intent"}` JSON-lines file (a held-out test set); with `intents`, a line naming another intent is a problem. */
export function loadJsonl(path: string, intents?: ReadonlySet<string>): Example[] {
  const problems: string[] = [];
  const out: Example[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        problems.push(`line ${i + 1}: not JSON`);
        return;
      }
      const r = jsonlLine.safeParse(value);
      if (r.success && intents && !intents.has(r.data.intent)) problems.push(`line ${i + 1}: the intent ${r.data.intent} is not one the model knows`);
      else if (r.success) out.push(r.data);
      else problems.push(`line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join(', ')}`);
    });
  if (problems.length > 0) throw new DatasetError(basename(path), problems);
  return out;
}
