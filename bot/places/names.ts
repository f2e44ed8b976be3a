import type { Council, Entry, Kind, LatLon } from './places-file.ts';
import { deletions, plainWords, slug } from './text.ts';
import type { PlaceWords } from './words.ts';

// The places as the program holds them, and the index of every way they are
// named, built once when the file is loaded so that reading a message is a
// handful of map look-ups.

export interface Place {
  /** Slug path, region down: "dar-es-salaam/ubungo/sinza/sinza-mori". */
  readonly key: string;
  /** "Sinza Mori". */
  readonly name: string;
  readonly kind: Kind;
  /** Display names region → this: ["Dar es Salaam", "Ubungo", "Sinza", "Sinza Mori"]. */
  readonly path: readonly string[];
  readonly zanzibar: boolean;
  /** The kind of council it is in (city, municipal, town or district), where the file says. */
  readonly council?: Council;
  /** An approximate point (the council's seat for a district, the capital for a region), where the file gives one. */
  readonly at?: LatLon;
}

/**
 * One way a place is named, and what must surround it before it is taken for
 * that place: nothing; a word saying a place follows or a capital (`context`);
 * a strong such word or a capital (`strong`, names that are very common
 * words); only a strong such word (`strict`, names that capitalised are
 * mostly something else); or a place above it named in the text (`ancestor`,
 * a street's own part: "Mori" of Sinza Mori). Every kind but `nothing` is
 * also taken beside a place above it ("Majengo, Dodoma").
 */
export interface Naming {
  readonly place: Place;
  readonly needs: 'nothing' | 'context' | 'strong' | 'strict' | 'ancestor';
}

export interface Tree {
  readonly all: readonly Place[];
  readonly byKey: ReadonlyMap<string, Place>;
  readonly parent: ReadonlyMap<Place, Place>;
  readonly children: ReadonlyMap<Place | undefined, readonly Place[]>;
}

/** The entries of the file as places with keys, parents and children. */
export function buildTree(regions: readonly Entry[]): { tree: Tree; entries: ReadonlyMap<Place, Entry> } {
  const all: Place[] = [];
  const byKey = new Map<string, Place>();
  const parent = new Map<Place, Place>();
  const children = new Map<Place | undefined, Place[]>();
  const entries = new Map<Place, Entry>();
  const visit = (e: Entry, above: Place | undefined): void => {
    const base = {
      key: above ? `${above.key}/${slug(e.name)}` : slug(e.name),
      name: e.name,
      kind: e.kind,
      path: [...(above?.path ?? []), e.name],
      zanzibar: e.zanzibar,
      ...(e.council ? { council: e.council } : {}),
    };
    const place: Place = Object.freeze(e.at ? { ...base, at: e.at } : base);
    all.push(place);
    byKey.set(place.key, place);
    entries.set(place, e);
    if (above) parent.set(place, above);
    children.set(above, [...(children.get(above) ?? []), place]);
    for (const c of e.children) visit(c, place);
  };
  for (const r of regions) visit(r, undefined);
  return { tree: { all, byKey, parent, children }, entries };
}

export interface NameIndex {
  /** A name run together (joined) → the places it names. */
  readonly exact: ReadonlyMap<string, readonly Naming[]>;
  /** A name with one word cut by a letter (slipKey) → the names it may be a slip of. */
  readonly slips: ReadonlyMap<string, readonly Slip[]>;
  /** Every word of every name, to pass over runs that cannot be a slip of one. */
  readonly nameWords: ReadonlySet<string>;
  /** The most words any name has. */
  readonly longest: number;
}

/** A name whose word `at` a slip may be in. */
export interface Slip {
  readonly words: readonly string[];
  readonly at: number;
  readonly key: string; // the name joined, its key in `exact`
}

/** The look-up key of a name's words with word `at` replaced by one of its deletions. */
export function slipKey(words: readonly string[], at: number, deletion: string): string {
  return `${words.length}/${at}/${words.map((w, i) => (i === at ? deletion : w)).join(' ')}`;
}

/** A word shorter than this is taken only as written, in a name and in a text: "Hai" is not "hao", "lini" not Lindi. */
export const SHORTEST_SLIP = 5;

/** Every way the file names a place: its name, the spellings people type, and for a district its towns and neighbourhoods. */
const namesOf = (e: Entry): readonly string[] => [e.name, ...e.aliases, ...e.areas];

export function buildIndex(tree: Tree, entries: ReadonlyMap<Place, Entry>, words: PlaceWords): NameIndex {
  const exact = new Map<string, Naming[]>();
  const nameWords = new Set<string>();
  let longest = 1;
  const add = (key: string, naming: Naming): void => {
    const list = exact.get(key) ?? [];
    const same = list.findIndex((n) => n.place === naming.place);
    if (same < 0) list.push(naming);
    else if (RANK[naming.needs] < RANK[(list[same] as Naming).needs]) list[same] = naming;
    exact.set(key, list);
  };
  for (const place of tree.all) {
    for (const name of namesOf(entries.get(place) as Entry)) {
      const w = plainWords(name);
      longest = Math.max(longest, w.length);
      for (const x of w) nameWords.add(x);
      add(w.join(''), { place, needs: needsOf(w.join(''), 'nothing', words) });
      // "Kwa Mtogole" is also just "Mtogole", but "kwa" often begins other phrases
      const rest = w.slice(1).join('');
      if (w.length > 1 && w[0] === 'kwa' && rest.length >= 4) add(rest, { place, needs: needsOf(rest, 'context', words) });
      for (const part of ownParts(w, place, tree)) add(part, { place, needs: 'ancestor' });
    }
  }
  return { exact, slips: slipIndex(tree, entries, exact), nameWords, longest };
}

/** For every name taken as written, each of its long words less each letter: the keys a slip of it is found by. */
function slipIndex(tree: Tree, entries: ReadonlyMap<Place, Entry>, exact: ReadonlyMap<string, readonly Naming[]>): Map<string, Slip[]> {
  const slips = new Map<string, Slip[]>();
  for (const place of tree.all) {
    for (const name of namesOf(entries.get(place) as Entry)) {
      const w = plainWords(name);
      const key = w.join('');
      if (!(exact.get(key) ?? []).some((n) => n.place === place && n.needs === 'nothing')) continue;
      w.forEach((word, at) => {
        if (word.length < SHORTEST_SLIP || /\d/.test(word)) return;
        for (const d of deletions(word)) {
          const k = slipKey(w, at, d);
          const list = slips.get(k) ?? [];
          if (!list.some((x) => x.key === key)) list.push({ words: w, at, key });
          slips.set(k, list);
        }
      });
    }
  }
  return slips;
}

/** How much a naming asks of the text, least first: a place named two ways keeps the way that asks least. */
const RANK = { nothing: 0, context: 1, strong: 2, strict: 3, ancestor: 4 } as const;

function needsOf(key: string, least: Naming['needs'], words: PlaceWords): Naming['needs'] {
  if (words.elsewhere.has(key)) return 'strict';
  if (words.everyday.has(key)) return 'strong';
  if (words.ordinary.has(key)) return 'context';
  return least;
}

/**
 * A name that begins or ends with a place above it, less that place: "Sinza
 * Mori" → "mori", "Tabata Relini" → "relini", for "Mori, Sinza" or "kwa Mori
 * Sinza". Parts under three letters ("Sinza A" → "a") say too little.
 */
function ownParts(words: readonly string[], place: Place, tree: Tree): string[] {
  const parts: string[] = [];
  for (let above = tree.parent.get(place); above; above = tree.parent.get(above)) {
    const a = plainWords(above.name);
    if (a.length >= words.length) continue;
    const starts = a.every((x, i) => words[i] === x);
    const ends = a.every((x, i) => words[words.length - a.length + i] === x);
    const rest = starts ? words.slice(a.length) : ends ? words.slice(0, words.length - a.length) : [];
    if (rest.join('').length >= 3) parts.push(rest.join(''));
  }
  return parts;
}
