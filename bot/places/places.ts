import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FindOptions, findPlace, type PlaceMatch } from './match.ts';
import { buildIndex, buildTree, type NameIndex, type Place, type Tree } from './names.ts';
import { nearestPlace, type Pinned, pinnedOf } from './nearest.ts';
import { readPlacesFile } from './places-file.ts';
import { plainWords } from './text.ts';
import { type PlaceWords, placeWords } from './words.ts';

// Tanzania's places for the forms, incidents and announcements: an area read
// from free text, from a location pin, or looked up by its key; pure (no
// database, no channel), every index built once at load.

export type { Place } from './names.ts';
export type { FindOptions, PlaceMatch } from './match.ts';
export type { Kind, LatLon } from './places-file.ts';

export const DEFAULT_PLACES_PATH = fileURLToPath(new URL('../charter/places/tanzania.yml', import.meta.url));

/** A places file that cannot be used, with every problem named (file, entry, reason). */
export class PlacesFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`The places file ${path} cannot be used:\n  ${problems.join('\n  ')}`);
    this.name = 'PlacesFileError';
  }
}

export type PlacesLoad = { readonly status: 'loaded'; readonly places: Places } | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

export class Places {
  private constructor(
    private readonly tree: Tree,
    private readonly index: NameIndex,
    private readonly words: PlaceWords,
    private readonly pinned: Pinned,
  ) {}

  /**
   * Reads a places file: the places, or why not. Read once for each version
   * of the file (its size and time of change), so the forms, incidents and
   * announcements may each load it without building the indexes again.
   */
  static read(path: string = DEFAULT_PLACES_PATH): PlacesLoad {
    const version = versionOf(path);
    const known = loaded.get(path);
    if (known && version !== undefined && known.version === version) return known.read;
    const read = Places.build(path);
    if (version !== undefined) loaded.set(path, { version, read });
    return read;
  }

  private static build(path: string): PlacesLoad {
    const file = readPlacesFile(path);
    if (file.status === 'invalid') return file;
    const { tree, entries } = buildTree(file.regions);
    const words = placeWords();
    const places = new Places(tree, buildIndex(tree, entries, words), words, pinnedOf(tree.all, file.outline));
    return { status: 'loaded', places };
  }

  /** Reads a places file, refusing a broken one with a PlacesFileError naming every problem. */
  static load(path: string = DEFAULT_PLACES_PATH): Places {
    const read = Places.read(path);
    if (read.status === 'invalid') throw new PlacesFileError(read.path, read.problems);
    return read.places;
  }

  /**
   * An area named in free text: "umeme umekatika Sinza Mori tangu asubuhi" →
   * the street Sinza Mori. With `{ answer: true }` the text answers "where
   * are you?", so a name that is also an everyday word is taken as the place
   * ("Moshi", "Majengo") as it would be after "mtaa wa".
   */
  find(text: string, options?: FindOptions): PlaceMatch {
    return findPlace(text, this.index, this.words, options);
  }

  byKey(key: string): Place | undefined {
    return this.tree.byKey.get(key);
  }

  /** The place above this one (a ward's district, a district's region). */
  parent(p: Place): Place | undefined {
    return this.tree.parent.get(this.tree.byKey.get(p.key) ?? p);
  }

  /** The places directly under `key`; the regions when no key is given. */
  children(key?: string): readonly Place[] {
    const above = key === undefined ? undefined : this.tree.byKey.get(key);
    if (key !== undefined && !above) return [];
    return this.tree.children.get(above) ?? [];
  }

  /** Every place, regions first then each one's districts, wards and streets in the file's order. */
  all(): readonly Place[] {
    return this.tree.all;
  }

  /**
   * "Sinza Mori, Ubungo, Dar es Salaam": the place and those above it, leaving
   * out a name already said ("Ilala" ward in Ilala district, "Kimara" in
   * "Kimara Mwisho", "Arusha" in "Arusha City").
   */
  label(p: Place): string {
    const kept: string[] = [];
    const keptWords: string[][] = [];
    for (const name of [...p.path].reverse()) {
      const words = plainWords(name);
      if (keptWords.some((k) => containsRun(k, words))) continue;
      kept.push(name);
      keptWords.push(words);
    }
    return kept.join(', ');
  }

  /** Whether `innerKey` is the area `outerKey` or lies within it. */
  within(outerKey: string, innerKey: string): boolean {
    return innerKey === outerKey || innerKey.startsWith(`${outerKey}/`);
  }

  /** The place of a location pin: a ward within ~3 km of its point, else the district with the nearest seat; none outside Tanzania. */
  nearest(lat: number, lon: number): Place | undefined {
    return nearestPlace(lat, lon, this.pinned);
  }
}

const loaded = new Map<string, { version: string; read: PlacesLoad }>();

function versionOf(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Whether `run` appears, word for word and in order, within `words`. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, k) => words[i + k] === w)) return true;
  return false;
}
