import { Places } from '../places/places.ts';
import { labelFromKey, type Area, type AreaBook, type AreaLookup } from './areas.ts';

/**
 * Areas through the places data: a key the data has, or a name read as a
 * person writes it ("Sinza", "sinza mori", "kata ya Majengo"). A key the data
 * does not have is refused rather than guessed at: staff meant that key.
 */
export function placeAreas(places: Places): AreaBook {
  const area = (p: NonNullable<ReturnType<Places['byKey']>>): Area => ({ key: p.key, label: places.label(p) });
  return {
    lookup(input: string): AreaLookup {
      const text = input.trim();
      const known = places.byKey(text);
      if (known) return { status: 'found', area: area(known) };
      if (text.includes('/')) return { status: 'none' };
      const found = places.find(text);
      if (found.status === 'found') return { status: 'found', area: area(found.place) };
      if (found.status === 'ambiguous') return { status: 'ambiguous', candidates: found.candidates.map(area) };
      return { status: 'none' };
    },
    label(key: string): string {
      const known = places.byKey(key);
      return known ? places.label(known) : labelFromKey(key);
    },
  };
}

let shared: AreaBook | undefined;
const loaded = (): AreaBook => (shared ??= placeAreas(Places.load()));

/** Tanzania's places (bot/charter/places/tanzania.yml), read once per process when first needed. */
export const tanzaniaAreas: AreaBook = {
  lookup: (input) => loaded().lookup(input),
  label: (key) => loaded().label(key),
};
