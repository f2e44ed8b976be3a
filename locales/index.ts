import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const LOCALES = ['sw', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Tree = { [key: string]: string | Tree };
const tree: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string().min(1), tree])));

/** "a.b.c" → text, for every leaf of a locale file. */
export function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

export function readLocale(locale: Locale): Map<string, string> {
  const path = fileURLToPath(new URL(`./${locale}.yml`, import.meta.url));
  const parsed = tree.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`locales/${locale}.yml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return flatten(parsed.data);
}

/** A sentence that is missing is a bug, so it throws rather than showing a key to a person. */
export class MissingTextError extends Error {
  constructor(
    readonly locale: Locale,
    readonly key: string,
  ) {
    super(`locales/${locale}.yml has no "${key}"`);
    this.name = 'MissingTextError';
  }
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

const texts = new Map(LOCALES.map((l) => [l, readLocale(l)] as const));

/** A text split once into its literal runs (even places) and {name}s (odd places): no regex per sentence said. */
type Template = readonly string[];

function compile(text: string): Template {
  return text.split(/\{(\w+)\}/);
}

function fill(parts: Template, params: Record<string, string | number>): string {
  if (parts.length === 1) return parts[0] ?? '';
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? '';
    out += (name in params ? String(params[name]) : `{${name}}`) + (parts[i + 1] ?? '');
  }
  return out;
}

function makeTranslator(locale: Locale): Translate {
  const table = texts.get(locale) ?? new Map<string, string>();
  const templates = new Map<string, Template>();
  return (key, params = {}) => {
    let parts = templates.get(key);
    if (parts === undefined) {
      const text = table.get(key);
      if (text === undefined) throw new MissingTextError(locale, key);
      parts = compile(text);
      templates.set(key, parts);
    }
    return fill(parts, params);
  };
}

const translators = new Map(LOCALES.map((l) => [l, makeTranslator(l)] as const));

export function translator(locale: Locale): Translate {
  return translators.get(locale) ?? makeTranslator(locale);
}
