import type { Flows } from '../flows/flows.ts';
import { Places, type Place } from '../places/places.ts';

// Where a subscriber wants notices of, as they write it: a place the places
// data knows (its key kept, and the name shown), several places of one name
// (they say which), or none.

export interface Area {
  readonly key: string;
  /** As people read it: "Sinza, Ubungo, Dar es Salaam". */
  readonly label: string;
}

export type AreaFound = { readonly status: 'found'; readonly area: Area } | { readonly status: 'ambiguous'; readonly candidates: readonly Area[] } | { readonly status: 'none' };

let shared: Places | undefined;
/** Tanzania's places (bot/charter/places/tanzania.yml), read once per process when first needed. */
const places = (): Places => (shared ??= Places.load());

const areaOf = (p: Place): Area => ({ key: p.key, label: places().label(p) });

/** The area a text names; `answer` when it answers "which area?", so a bare name counts ("Moshi"). */
export function findArea(text: string, answer: boolean): AreaFound {
  const found = places().find(text, { answer });
  if (found.status === 'found') return { status: 'found', area: areaOf(found.place) };
  if (found.status === 'ambiguous') return { status: 'ambiguous', candidates: found.candidates.map(areaOf) };
  return { status: 'none' };
}

/**
 * Whether this desk sends area notices at all: its forms ask where a fault is
 * (a place detail), as a utility's do. A desk whose forms never ask where
 * (the ICT unit) answers a request for notices politely that it has none.
 */
export const hasAreaNotices = (flows: Pick<Flows, 'fields'>): boolean => Object.values(flows.fields).some((f) => f.kind === 'place');

/** Whether `inner` is the area `outer` or lies within it. */
export const within = (outer: string, inner: string): boolean => inner === outer || inner.startsWith(`${outer}/`);
