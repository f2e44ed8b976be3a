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

/** Reads a locale file (a tree of sentences) into "a.b.c" → text; names the file and the key of anything malformed. */
export function readWordsFile(path: string): Map<string, string> {
  const parsed = tree.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return flatten(parsed.data);
}

/** The sentences every desk shares (locales/<locale>.yml). */
export function readLocale(locale: Locale): Map<string, string> {
  return readWordsFile(fileURLToPath(new URL(`./${locale}.yml`, import.meta.url)));
}

/** A desk's own words in both languages (its charter bundle's words.<locale>.yml). */
export type BundleWords = Readonly<Record<Locale, ReadonlyMap<string, string>>>;

/** Where the default desk's words are when no bundle was put in use (the shipped ICT bundle). */
const DEFAULT_WORDS = (locale: Locale) => fileURLToPath(new URL(`../bot/charter/ict/words.${locale}.yml`, import.meta.url));

const shared = new Map(LOCALES.map((l) => [l, readLocale(l)] as const));
let tables: Map<Locale, ReadonlyMap<string, string>> | undefined;

function layered(words: BundleWords): Map<Locale, ReadonlyMap<string, string>> {
  return new Map(LOCALES.map((l) => [l, new Map([...(shared.get(l) ?? []), ...words[l]])] as const));
}

/**
 * Puts a charter bundle's words in use, laid over the shared sentences. One
 * process serves one institution, so this is set once at start (and by tests
 * that load another bundle).
 */
export function useBundleWords(words: BundleWords): void {
  tables = layered(words);
}

function table(locale: Locale): ReadonlyMap<string, string> {
  tables ??= layered({ sw: readWordsFile(DEFAULT_WORDS('sw')), en: readWordsFile(DEFAULT_WORDS('en')) });
  return tables.get(locale) ?? new Map();
}

/** Every key said in a locale now: the shared sentences and the bundle's. */
export const wordsInUse = (locale: Locale): ReadonlyMap<string, string> => table(locale);

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
  // Compiled once per table: a bundle put in use later gets its own.
  const compiled = new WeakMap<ReadonlyMap<string, string>, Map<string, Template>>();
  return (key, params = {}) => {
    const words = table(locale);
    let templates = compiled.get(words);
    if (templates === undefined) compiled.set(words, (templates = new Map()));
    let parts = templates.get(key);
    if (parts === undefined) {
      const text = words.get(key);
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
