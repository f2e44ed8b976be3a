import type { Kind } from './places-file.ts';
import { type NameIndex, type Naming, type Place, SHORTEST_SLIP, slipKey } from './names.ts';
import { capitalsSpeak, deletions, type Token, tokenize, withinOneEdit } from './text.ts';
import type { PlaceWords } from './words.ts';

// Reading where a customer is from what they wrote: find every run of words
// that names a place, keep those the words around them allow, then choose the
// one place that the most of them agree on ("Sinza" + "Mori" → the street
// Mori in Sinza), or say which places it could be.

export type PlaceMatch =
  | { readonly status: 'found'; readonly place: Place; readonly matched: string }
  | { readonly status: 'ambiguous'; readonly candidates: readonly Place[] }
  | { readonly status: 'none' };

interface Mention {
  readonly start: number; // first token
  readonly end: number; // one past the last token
  readonly slip: boolean; // found with a one-letter allowance
  readonly hint: Kind | undefined; // what the words around it say it is
  readonly plain: boolean; // a name only, not an everyday word or a slip that the words around it let through
  places: Place[];
}

/** How the text came: `answer` when it answers "where?" (a form's place question), so every name in it is meant as a place. */
export interface FindOptions {
  readonly answer?: boolean;
}

interface Reading {
  readonly tokens: readonly Token[];
  readonly index: NameIndex;
  readonly words: PlaceWords;
  readonly answer: boolean;
}

export function findPlace(text: string, index: NameIndex, words: PlaceWords, options: FindOptions = {}): PlaceMatch {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { status: 'none' };
  const r: Reading = { tokens, index, words, answer: options.answer === true };
  const mentions = choose(accepted(r));
  if (mentions.length === 0) return { status: 'none' };
  return decide(mentions, r, text);
}

/** A slip of a name this short or shorter is as likely another word: it needs the words around it. */
const SHORT_NAME = 6;

interface Found {
  readonly start: number;
  readonly end: number;
  readonly slip: boolean;
  readonly namings: readonly Naming[];
}

/** Every run of up to `longest` words that is a name as written, or a name with one word off by a letter. */
function found(r: Reading): Found[] {
  const out: Found[] = [];
  const { tokens, index } = r;
  for (let i = 0; i < tokens.length; i++) {
    let key = '';
    for (let end = i + 1; end <= Math.min(tokens.length, i + index.longest); end++) {
      if (end - 1 > i && (tokens[end - 1] as Token).breakBefore) break;
      key += (tokens[end - 1] as Token).plain;
      const exact = index.exact.get(key);
      if (exact) out.push({ start: i, end, slip: false, namings: exact });
      else {
        const namings = slipsOf(tokens.slice(i, end), r);
        if (namings.length > 0) out.push({ start: i, end, slip: true, namings });
      }
    }
  }
  return out;
}

/**
 * The names these words are, with one word off by a letter ("Kimra",
 * "Mbagla Kuu"): that word of five letters or more, its first letter right
 * (people seldom miss the first), not an everyday word ("tangu" is not
 * Tanga), and the other words exactly the name's.
 */
function slipsOf(run: readonly Token[], r: Reading): Naming[] {
  const { index, words } = r;
  const plain = run.map((t) => t.plain);
  const namings: Naming[] = [];
  plain.forEach((word, at) => {
    if (word.length < SHORTEST_SLIP || words.vocabulary.has(word) || /\d/.test(word)) return;
    if (!plain.every((w, i) => i === at || index.nameWords.has(w))) return;
    const seen = new Set<string>();
    for (const d of deletions(word))
      for (const slip of index.slips.get(slipKey(plain, at, d)) ?? []) {
        const meant = slip.words[at] as string;
        if (seen.has(slip.key) || meant === word || meant[0] !== word[0] || !withinOneEdit(word, meant)) continue;
        seen.add(slip.key);
        const short = slip.key.length <= SHORT_NAME;
        for (const n of index.exact.get(slip.key) ?? []) if (n.needs === 'nothing') namings.push(short ? { place: n.place, needs: 'strong' } : n);
      }
  });
  return namings;
}

/** What the words just before and after a run say: a place follows, strongly or weakly, of which kind, or a road's name. */
function contextOf(f: Found, r: Reading): { strong: boolean; weak: boolean; road: boolean; hint: Kind | undefined } {
  const { tokens, words } = r;
  const before = (phrases: readonly (readonly string[])[]) => phrases.find((p) => p.length <= f.start && p.every((w, k) => (tokens[f.start - p.length + k] as Token).plain === w));
  const strongPhrase = before(words.strongBefore);
  const weakPhrase = strongPhrase ? undefined : before(words.weakBefore);
  const next = tokens[f.end]?.plain;
  const after = next !== undefined && words.after.has(next);
  const road = before(words.roadBefore) !== undefined || (next !== undefined && words.roadAfter.has(next));
  const hint = (strongPhrase && words.kinds.get(strongPhrase.join(' '))) || (after && next !== undefined ? words.kinds.get(next) : undefined);
  return { strong: strongPhrase !== undefined || r.answer, weak: weakPhrase !== undefined || after, road, hint };
}

/** The runs whose namings the words around them allow; a name that needs a place above it beside it waits for the others. */
function accepted(r: Reading): Mention[] {
  const speak = capitalsSpeak(r.tokens);
  const all = found(r).map((f) => {
    const c = contextOf(f, r);
    const first = r.tokens[f.start] as Token;
    const capital = speak && first.capitalised && !first.opensSentence;
    if (c.road) return { f, c, now: [], waiting: [] };
    const now = f.namings.filter(
      (n) => n.needs === 'nothing' || (n.needs === 'context' && (c.strong || c.weak || capital)) || (n.needs === 'strong' && (c.strong || capital)) || (n.needs === 'strict' && c.strong),
    );
    return { f, c, now, waiting: f.namings.filter((n) => !now.includes(n)) };
  });
  const sure = all.filter((a) => a.now.length > 0);
  const isAbove = (above: Place, p: Place) => p.key.startsWith(`${above.key}/`);
  // beside: the next or previous word, with at most a comma or a hyphen between ("Mori, Sinza"), not across a sentence
  const beside = (a: Found, b: Found) => (a.end === b.start && !(r.tokens[b.start] as Token).opensSentence) || (b.end === a.start && !(r.tokens[a.start] as Token).opensSentence);
  const aboveNamed = (n: Naming, f: Found, besideOnly: boolean) =>
    sure.some((s) => s.f !== f && (s.f.end <= f.start || s.f.start >= f.end) && (!besideOnly || beside(s.f, f)) && s.now.some((m) => isAbove(m.place, n.place)));
  return all.flatMap(({ f, c, now, waiting }) => {
    const later = waiting.filter((n) => aboveNamed(n, f, true) || (n.needs === 'ancestor' && (c.strong || c.weak) && aboveNamed(n, f, false)));
    const namings = [...now, ...later];
    if (namings.length === 0) return [];
    return [{ start: f.start, end: f.end, slip: f.slip, hint: c.hint, plain: namings.some((n) => n.needs === 'nothing'), places: namings.map((n) => n.place) }];
  });
}

/** Runs that do not overlap, the longest first and names as written before slips. */
function choose(mentions: Mention[]): Mention[] {
  const order = [...mentions].sort((a, b) => b.end - b.start - (a.end - a.start) || Number(a.slip) - Number(b.slip) || a.start - b.start);
  const taken: Mention[] = [];
  for (const m of order) if (!taken.some((t) => t.start < m.end && m.start < t.end)) taken.push(m);
  return taken.sort((a, b) => a.start - b.start);
}

const KIND_RANK: Record<Kind, number> = { region: 0, district: 1, ward: 2, street: 3 };

function decide(mentions: Mention[], r: Reading, text: string): PlaceMatch {
  const upOrSelf = (above: Place, p: Place) => p === above || p.key.startsWith(`${above.key}/`);
  for (const m of mentions) {
    // "Ilala" names the district and its ward Ilala: the name alone means the larger
    const unique = [...new Set(m.places)];
    m.places = unique.filter((p) => !unique.some((q) => q !== p && upOrSelf(q, p)));
  }
  const scored = mentions.flatMap((m) =>
    m.places.map((place) => {
      const explains = mentions.filter((o) => o.places.some((q) => upOrSelf(q, place)));
      const score = explains.reduce((s, o) => s + (o.slip ? 0.9 : 1), 0) + (m.hint === place.kind ? 0.25 : 0);
      return { place, score, explains, mention: m };
    }),
  );
  const best = Math.max(...scored.map((s) => s.score));
  let top = [...new Map(scored.filter((s) => s.score > best - 1e-9).map((s) => [s.place, s])).values()];
  top = top.filter((s) => !top.some((o) => o.place !== s.place && upOrSelf(s.place, o.place)));
  const common = top.length === 1 ? top[0] : commonOverLocal(top);
  if (common) return { status: 'found', place: common.place, matched: matchedWords(common.explains, r.tokens, text) };
  const finer = neighbours(top);
  if (finer) return { status: 'found', place: finer.place, matched: matchedWords([...new Set(top.flatMap((s) => s.explains))], r.tokens, text) };
  const candidates = top.map((s) => s.place).sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.key.localeCompare(b.key));
  return { status: 'ambiguous', candidates };
}

interface Scored {
  readonly place: Place;
  readonly score: number;
  readonly explains: readonly Mention[];
  readonly mention: Mention;
}

/**
 * A town or region over streets and wards elsewhere that share its name
 * ("Kahama" is the district, not the ward in Ilemela), that are named just
 * before it ("mtaa wa Uhuru, Mbeya": a street Uhuru in Mbeya, not Dodoma's
 * ward), or whose name is an everyday word ("in Moshi near Majengo market").
 * Real names of places apart in the text stay two places.
 */
function commonOverLocal(top: readonly Scored[]): Scored | undefined {
  const broad = top.filter((s) => KIND_RANK[s.place.kind] <= 1);
  const b = broad[0];
  if (broad.length !== 1 || !b || !top.every((s) => s === b || KIND_RANK[s.place.kind] >= 2)) return undefined;
  const yields = (m: Mention) => m === b.mention || !m.plain || m.end === b.mention.start || b.mention.end === m.start;
  return top.every((s) => yields(s.mention)) ? b : undefined;
}

/**
 * Neighbourhoods named side by side in one district, each name meaning one
 * place ("Kimara Temboni", "Kiwalani, mtaa wa Minazi Mirefu"): people give
 * the wider area first, so the finer place, else the one named last.
 */
function neighbours(top: readonly Scored[]): Scored | undefined {
  const mentions = new Set(top.map((s) => s.mention));
  const district = (p: Place) => p.key.split('/').slice(0, 2).join('/');
  const one = top[0] as Scored;
  const together = mentions.size === top.length && top.every((s) => s.mention.places.length === 1 && KIND_RANK[s.place.kind] >= 2 && district(s.place) === district(one.place));
  if (!together) return undefined;
  return [...top].sort((a, b) => KIND_RANK[b.place.kind] - KIND_RANK[a.place.kind] || b.mention.start - a.mention.start)[0];
}

/** The text's own words that named the place: runs side by side kept as written ("Mori, Sinza"), others joined by a comma. */
function matchedWords(explains: readonly Mention[], tokens: readonly Token[], text: string): string {
  const sorted = [...explains].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let from = sorted[0] as Mention;
  let to = from;
  for (const m of sorted.slice(1)) {
    if (m.start === to.end) to = m;
    else {
      pieces.push(text.slice((tokens[from.start] as Token).start, (tokens[to.end - 1] as Token).end));
      from = to = m;
    }
  }
  pieces.push(text.slice((tokens[from.start] as Token).start, (tokens[to.end - 1] as Token).end));
  return pieces.join(', ');
}
