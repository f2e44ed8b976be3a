import { insidePolygon, type LatLon } from './places-file.ts';
import type { Place } from './names.ts';

// From a location pin (WhatsApp, Telegram) to a place: the ward whose point is
// within a short walk, else the district whose council seat is nearest. The
// points are approximate (the file says so), so a ward is claimed only close
// to its point, and a pin outside the country's outline is no place of ours.

/** How near a ward's point a pin must be to be taken for that ward. */
export const WARD_REACH_KM = 3;

const EARTH_KM = 6371;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm([lat1, lon1]: LatLon, [lat2, lon2]: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Pinned {
  readonly local: readonly Place[]; // wards and streets with a point
  readonly seats: readonly Place[]; // districts with a point
  readonly capitals: readonly Place[]; // regions with a point
  readonly outline: readonly LatLon[] | undefined;
}

export function pinnedOf(all: readonly Place[], outline: readonly LatLon[] | undefined): Pinned {
  const withPoint = all.filter((p) => p.at !== undefined);
  return {
    local: withPoint.filter((p) => p.kind === 'ward' || p.kind === 'street'),
    seats: withPoint.filter((p) => p.kind === 'district'),
    capitals: withPoint.filter((p) => p.kind === 'region'),
    outline,
  };
}

function closest(places: readonly Place[], pin: LatLon): { place: Place; km: number } | undefined {
  let best: { place: Place; km: number } | undefined;
  for (const place of places) {
    const km = distanceKm(pin, place.at as LatLon);
    if (!best || km < best.km) best = { place, km };
  }
  return best;
}

export function nearestPlace(lat: number, lon: number, pinned: Pinned): Place | undefined {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  const pin: LatLon = [lat, lon];
  if (pinned.outline && !insidePolygon(pin, pinned.outline)) return undefined;
  const ward = closest(pinned.local, pin);
  if (ward && ward.km <= WARD_REACH_KM) return ward.place;
  return (closest(pinned.seats, pin) ?? closest(pinned.capitals, pin))?.place;
}
