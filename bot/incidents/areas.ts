// Where an incident is: a place key, region down ("dar-es-salaam/kinondoni/sinza"),
// as the places module (bot/places) names Tanzania's regions, districts, wards
// and streets. Staff may give the key itself or a name to look up.

/** A place key: lower-case slugs joined by "/", region first. */
export const AREA_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*){0,5}$/;

export interface Area {
  readonly key: string;
  /** As people read it: "Sinza, Kinondoni, Dar es Salaam". */
  readonly label: string;
}

export type AreaLookup =
  | { readonly status: 'found'; readonly area: Area }
  /** A name under several places ("Majengo"): staff say which. */
  | { readonly status: 'ambiguous'; readonly candidates: readonly Area[] }
  | { readonly status: 'none' };

/** What incidents need of the places: a key or a name looked up, and a key's label. */
export interface AreaBook {
  lookup(input: string): AreaLookup;
  label(key: string): string;
}

const titled = (slug: string) =>
  slug
    .split('-')
    .map((w) => (w.length > 0 ? `${w[0]?.toUpperCase()}${w.slice(1)}` : w))
    .join(' ');

/** A key's label from its own words, the nearest place first ("sinza, kinondoni"): for keys no places data names. */
export const labelFromKey = (key: string): string => key.split('/').reverse().map(titled).join(', ');

/**
 * Areas as keys alone, for when no places data is loaded: a well-formed key is
 * taken as it is, a name cannot be looked up.
 */
export const keysOnly: AreaBook = {
  lookup: (input) => (AREA_KEY.test(input) ? { status: 'found', area: { key: input, label: labelFromKey(input) } } : { status: 'none' }),
  label: labelFromKey,
};

/**
 * The area reports are counted in for a proposal: the ward (a key's first
 * three parts), or the district where a report names no ward; none for a
 * report that names only a region (too wide to be one fault).
 */
export function proposalArea(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length >= 3) return parts.slice(0, 3).join('/');
  return parts.length === 2 ? key : undefined;
}

/** Whether `inner` is `outer` or lies under it. */
export const within = (outer: string, inner: string): boolean => inner === outer || inner.startsWith(`${outer}/`);
