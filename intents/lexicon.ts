import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

const lexiconFile = z.record(z.string().min(1), z.array(z.string().min(1)).min(1));

const path = (name: string) => fileURLToPath(new URL(`./lexicon/${name}`, import.meta.url));

export function readLexicon(name: string): Record<string, string[]> {
  return readLexiconAs(name, lexiconFile);
}

/** A lexicon file of another shape than `standard: [variants]` (numbers.yml), checked against its schema. */
export function readLexiconAs<T>(name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parse(readFileSync(path(name), 'utf8')));
  if (!parsed.success) {
    throw new Error(`intents/lexicon/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Turns `standard: [variant, ...]` into variant → standard words. */
export function variantMap(lexicon: Record<string, string[]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [standard, variants] of Object.entries(lexicon)) {
    const words = standard.split(/\s+/);
    for (const v of variants) {
      if (map.has(v)) throw new Error(`lexicon: "${v}" is listed twice`);
      map.set(v, words);
    }
  }
  return map;
}
