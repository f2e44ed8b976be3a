import type { PlaceFinder, PlaceFound } from '../flows/flows.ts';
import type { Place, Places } from './places.ts';

// The places as a form's place detail reads them (bot/flows): a found place's
// key and the name shown to people, several of one name, or none.

export function placeFinder(places: Places): PlaceFinder {
  const found = (p: Place): PlaceFound => ({ status: 'found', key: p.key, label: places.label(p), ...(p.council ? { council: p.council } : {}) });
  return {
    find(text, answer = false) {
      const m = places.find(text, { answer });
      if (m.status === 'found') return found(m.place);
      if (m.status === 'ambiguous') return { status: 'ambiguous', labels: m.candidates.map((c) => places.label(c)) };
      return { status: 'none' };
    },
    near(latitude, longitude) {
      const p = places.nearest(latitude, longitude);
      return p ? found(p) : { status: 'none' };
    },
  };
}
