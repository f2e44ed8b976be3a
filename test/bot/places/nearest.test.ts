import { describe, expect, it } from 'vitest';
import { Places } from '../../../bot/places/places.ts';

// A WhatsApp or Telegram location pin to a place: the ward whose point is
// within about 3 km, else the district whose council seat is nearest, and no
// place at all for a pin outside Tanzania.

const places = Places.load();
const at = (lat: number, lon: number) => places.nearest(lat, lon)?.key;

describe('a location pin', () => {
  it('is the ward it falls in, where the ward’s point is known', () => {
    expect(at(-6.78, 39.22)).toBe('dar-es-salaam/ubungo/sinza');
    expect(at(-6.7795, 39.2238)).toBe('dar-es-salaam/ubungo/sinza');
    expect(at(-6.8195, 39.2737)).toBe('dar-es-salaam/ilala/kariakoo');
    expect(at(-6.752, 39.279)).toBe('dar-es-salaam/kinondoni/msasani');
  });

  it('is the district with the nearest seat, away from the wards with points', () => {
    expect(at(-6.17, 35.74)).toBe('dodoma/dodoma-city');
    expect(at(-6.2, 35.8)).toBe('dodoma/dodoma-city');
    expect(at(-3.36, 37.33)).toBe('kilimanjaro/moshi-municipal');
    expect(at(-2.5, 32.92)).toBe('mwanza/nyamagana');
    expect(at(-8.91, 33.46)).toBe('mbeya/mbeya-city');
    expect(at(-6.71, 39.18)).toBe('dar-es-salaam/ubungo'); // Goba: no ward point near, Ubungo's is the nearest seat
    expect(at(-5.06, 39.73)).toBe('kaskazini-pemba/wete');
  });

  it('is no place outside Tanzania: Kenya, the sea, the neighbours', () => {
    expect(at(-1.29, 36.82)).toBeUndefined(); // Nairobi
    expect(at(-4.04, 39.67)).toBeUndefined(); // Mombasa
    expect(at(-6.5, 41.0)).toBeUndefined(); // the Indian Ocean
    expect(at(-8.0, 40.6)).toBeUndefined(); // off Kilwa, at sea
    expect(at(0.35, 32.58)).toBeUndefined(); // Kampala
    expect(at(-1.95, 30.06)).toBeUndefined(); // Kigali
    expect(at(-3.38, 29.36)).toBeUndefined(); // Bujumbura
    expect(at(-9.93, 33.93)).toBeUndefined(); // Karonga, Malawi
    expect(at(-12.97, 40.52)).toBeUndefined(); // Pemba, Mozambique
    expect(at(51.5, -0.12)).toBeUndefined();
    expect(at(Number.NaN, 39.2)).toBeUndefined();
  });
});
