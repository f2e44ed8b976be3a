import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { normalizeTokens } from '../../intents/normalize.ts';

// Where to send people for what the help desk does not do (TANESCO for LUKU,
// the water authority for a water bill…): data beside the charter
// (referrals.yml in the charter's folder), edited by staff, checked at start.

const text = z.object({ sw: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
const words = z.array(z.string().trim().min(1)).min(1);

const referral = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'an id is 2–40 of a-z, 0-9 and _, starting with a letter'),
    topic: text,
    words: z.object({ sw: words, en: words }).strict(),
    contact: z
      .object({
        name: text,
        // Quoted: YAML would read 0800 110 064 unquoted as a number and drop its leading 0.
        phone: z.string({ error: 'write the phone number in quotes, e.g. phone: "180"' }).trim().min(1).optional(),
        website: z.string().trim().min(1).optional(),
        note: text.optional(),
      })
      .strict(),
  })
  .strict();
export type Referral = z.infer<typeof referral>;

const file = z.object({ referrals: z.array(referral) }).strict();

interface Phrase {
  readonly tokens: readonly string[];
  readonly referral: Referral;
}

/** The topics, and which one a message names. */
export class Referrals {
  /** Each phrase's words as the normalizer gives them, by their first word. */
  private readonly byFirst = new Map<string, Phrase[]>();

  constructor(readonly list: readonly Referral[]) {
    for (const r of list) {
      // A word may be listed in both languages ("nida"): one mention all the same.
      const distinct = new Map([...r.words.sw, ...r.words.en].map((w) => [normalizeTokens(w).join(' '), normalizeTokens(w)] as const));
      for (const tokens of distinct.values()) {
        const first = tokens[0];
        if (first === undefined) continue;
        const phrases = this.byFirst.get(first) ?? [];
        phrases.push({ tokens, referral: r });
        this.byFirst.set(first, phrases);
      }
    }
  }

  /**
   * The topic a message names most (each mention counted once, "airtel money"
   * not also as "airtel"; the first in the file on a tie), or none. Whole
   * words only, after the normalizer folded case, accents and SMS spellings.
   */
  match(message: string): Referral | undefined {
    const tokens = normalizeTokens(message);
    const found: { start: number; end: number; referral: Referral }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (const p of this.byFirst.get(tokens[i] ?? '') ?? []) {
        if (p.tokens.every((t, k) => tokens[i + k] === t)) found.push({ start: i, end: i + p.tokens.length, referral: p.referral });
      }
    }
    const inside = (a: (typeof found)[number]) => found.some((b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start);
    const mentions = new Map<Referral, number>();
    for (const f of found) if (!inside(f)) mentions.set(f.referral, (mentions.get(f.referral) ?? 0) + 1);
    let best: Referral | undefined;
    for (const r of this.list) if ((mentions.get(r) ?? 0) > (best ? (mentions.get(best) ?? 0) : 0)) best = r;
    return best;
  }
}

export const NO_REFERRALS = new Referrals([]);

/** What is wrong with the topics beyond their shape: ids that repeat, a word two topics claim, a word with no letters. */
export function referralProblems(list: readonly Referral[]): string[] {
  const problems: string[] = [];
  const ids = list.map((r) => r.id);
  for (const id of new Set(ids)) if (ids.filter((i) => i === id).length > 1) problems.push(`the id ${id} is used twice`);
  const owner = new Map<string, string>();
  for (const [n, r] of list.entries())
    for (const w of [...r.words.sw, ...r.words.en]) {
      const key = normalizeTokens(w).join(' ');
      if (key === '') {
        problems.push(`referrals.${n} (${r.id}): "${w}" has no letters or digits to match`);
        continue;
      }
      const other = owner.get(key);
      if (other !== undefined && other !== r.id) problems.push(`referrals.${n} (${r.id}): "${w}" is also a word of ${other}; give it to one topic`);
      owner.set(key, r.id);
    }
  return problems;
}

export type ReferralsLoad = { readonly status: 'loaded'; readonly referrals: Referrals } | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

/** Where a problem is: "line 42, referrals.3 (water).contact.phone". */
function placeOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): string {
  // A key that is missing has no line of its own: the nearest part of the file that is there has.
  let at = '';
  for (let n = path.length; n >= 0 && at === ''; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) at = `line ${lines.linePos(node.range[0]).line}, `;
  }
  const id = path[0] === 'referrals' && typeof path[1] === 'number' ? doc.getIn(['referrals', path[1], 'id']) : undefined;
  const named = path.map((p, i) => (i === 1 && typeof id === 'string' ? `${String(p)} (${id})` : String(p))).join('.');
  return `${at}${named || '(file)'}`;
}

/** A referrals file: its topics, or every problem with where it is. */
export function loadReferrals(path: string): ReferralsLoad {
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines });
  } catch (e) {
    return { status: 'invalid', path, problems: [e instanceof Error ? e.message : String(e)] };
  }
  if (doc.errors.length > 0) return { status: 'invalid', path, problems: doc.errors.map((e) => e.message) };
  const parsed = file.safeParse(doc.toJS());
  if (!parsed.success) return { status: 'invalid', path, problems: parsed.error.issues.map((i) => `${placeOf(doc, lines, i.path)}: ${i.message}`) };
  const problems = referralProblems(parsed.data.referrals);
  return problems.length > 0 ? { status: 'invalid', path, problems } : { status: 'loaded', referrals: new Referrals(parsed.data.referrals) };
}

/** referrals.yml beside the charter file: none there means no referrals (out-of-scope messages get the plain answer). */
export function loadReferralsBeside(charterPath: string): ReferralsLoad {
  const path = join(dirname(charterPath), 'referrals.yml');
  return existsSync(path) ? loadReferrals(path) : { status: 'loaded', referrals: NO_REFERRALS };
}
