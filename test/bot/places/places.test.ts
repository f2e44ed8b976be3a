import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Places, PlacesFileError } from '../../../bot/places/places.ts';

// The places file as data (bot/charter/places/tanzania.yml): what it holds,
// how a place is named and shown, and a broken file refused with every
// problem named by file, entry and reason.

const places = Places.load();
const key = (k: string) => {
  const p = places.byKey(k);
  if (!p) throw new Error(`no place ${k}`);
  return p;
};

describe('Tanzania’s places', () => {
  it('holds the 31 regions (Zanzibar’s five marked), the 195 councils, the big cities’ wards and Dar es Salaam’s streets', () => {
    const all = places.all();
    const regions = places.children();
    expect(regions).toHaveLength(31);
    expect(regions.filter((r) => r.zanzibar).map((r) => r.name)).toEqual(['Mjini Magharibi', 'Kaskazini Unguja', 'Kusini Unguja', 'Kaskazini Pemba', 'Kusini Pemba']);
    expect(all.filter((p) => p.kind === 'district')).toHaveLength(195);
    expect(places.children('dar-es-salaam').map((d) => d.name)).toEqual(['Ilala', 'Kinondoni', 'Temeke', 'Ubungo', 'Kigamboni']);
    expect(places.children('dar-es-salaam/ubungo/sinza').map((s) => s.name)).toContain('Sinza Mori');
    expect(new Set(all.map((p) => p.key)).size).toBe(all.length);
    expect(places.children('no-such-place')).toEqual([]);
  });

  it('keys a place by its path of slugs, and finds it again by key', () => {
    expect(key('dar-es-salaam/temeke/changombe')).toMatchObject({ name: "Chang'ombe", kind: 'ward', path: ['Dar es Salaam', 'Temeke', "Chang'ombe"] });
    expect(key('kigoma/kigoma-ujiji-municipal').kind).toBe('district');
    expect(key('kusini-pemba').zanzibar).toBe(true);
    expect(places.byKey('dar-es-salaam/nowhere')).toBeUndefined();
    expect(places.parent(key('dar-es-salaam/ubungo/sinza'))?.key).toBe('dar-es-salaam/ubungo');
    expect(places.parent(key('arusha'))).toBeUndefined();
  });

  it('labels a place with those above it, saying no name twice', () => {
    expect(places.label(key('dar-es-salaam/ubungo/sinza/sinza-mori'))).toBe('Sinza Mori, Ubungo, Dar es Salaam');
    expect(places.label(key('dar-es-salaam/ilala/ilala'))).toBe('Ilala, Dar es Salaam');
    expect(places.label(key('dar-es-salaam/ilala/ilala/ilala-boma'))).toBe('Ilala Boma, Dar es Salaam');
    expect(places.label(key('dar-es-salaam/ubungo/kimara/kimara-mwisho'))).toBe('Kimara Mwisho, Ubungo, Dar es Salaam');
    expect(places.label(key('arusha/arusha-city/kati'))).toBe('Kati, Arusha City');
    expect(places.label(key('mbeya'))).toBe('Mbeya');
    expect(places.label(key('dodoma/chamwino'))).toBe('Chamwino, Dodoma');
  });

  it('tells whether one area lies within another', () => {
    expect(places.within('dar-es-salaam/ubungo', 'dar-es-salaam/ubungo/sinza/sinza-mori')).toBe(true);
    expect(places.within('dar-es-salaam/ubungo/sinza', 'dar-es-salaam/ubungo/sinza')).toBe(true);
    expect(places.within('dar-es-salaam/ubungo/sinza', 'dar-es-salaam/ubungo/sinzani')).toBe(false);
    expect(places.within('dar-es-salaam/ubungo/sinza/sinza-mori', 'dar-es-salaam/ubungo/sinza')).toBe(false);
    expect(places.within('mbeya', 'dar-es-salaam/ubungo')).toBe(false);
  });

  it('gives every region and most councils an approximate point on the map, inside the country', () => {
    const all = places.all();
    expect(all.filter((p) => p.kind === 'region').every((r) => r.at !== undefined)).toBe(true);
    expect(all.filter((p) => p.kind === 'district' && p.at).length).toBeGreaterThanOrEqual(120);
    for (const p of all.filter((x) => x.at)) expect(places.nearest(...(p.at as [number, number])), p.key).toBeDefined();
  });
});

describe('a broken places file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'places-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const problemsOf = (path: string): readonly string[] => {
    const read = Places.read(path);
    if (read.status !== 'invalid') throw new Error('read a broken file as good');
    expect(() => Places.load(path)).toThrow(PlacesFileError);
    return read.problems;
  };
  const real = readFileSync(new URL('../../../bot/charter/places/tanzania.yml', import.meta.url), 'utf8');

  it('is refused naming the entry with the name given twice under one parent', () => {
    const path = write('twice.yml', real.replace('          - name: Mzimuni\n', '          - name: Magomeni\n'));
    expect(problemsOf(path)).toEqual([
      expect.stringMatching(/^twice\.yml: regions\.0\.districts\.1\.wards\.\d+ \(Magomeni\): the name "magomeni" is also regions\.0\.districts\.1\.wards\.\d+ \(Magomeni\), both under Kinondoni/),
    ]);
  });

  it('is refused naming the entry whose point lies outside the country', () => {
    const path = write('sign.yml', real.replace('at: [-3.37, 36.68]\n    districts:', 'at: [3.37, 36.68]\n    districts:'));
    expect(problemsOf(path)).toEqual(['sign.yml: regions.1 (Arusha): at [3.37, 36.68] is outside the outline of the country']);
  });

  it('is refused naming the entry and the field that is wrong', () => {
    const path = write('fields.yml', 'regions:\n  - name: Pwani\n    districts:\n      - name: Kibaha Town\n        council: village\n      - name: ""\n  - name: Lindi\n    district: []\n');
    const problems = problemsOf(path);
    expect(problems).toContain('fields.yml: regions.0.districts.0.council (Pwani › Kibaha Town): Invalid option: expected one of "city"|"municipal"|"town"|"district"');
    expect(problems).toContain('fields.yml: regions.0.districts.1.name (Pwani): a name needs letters');
    expect(problems.some((p) => p.startsWith('fields.yml: regions.1 (Lindi): ') && p.includes('district'))).toBe(true);
    expect(problems.some((p) => p.startsWith('fields.yml: regions.1.districts (Lindi): '))).toBe(true);
  });

  it('is refused when it is not YAML, or not there', () => {
    expect(problemsOf(write('bad.yml', 'regions: [\n'))[0]).toMatch(/^bad\.yml: /);
    expect(problemsOf(join(dir, 'missing.yml'))[0]).toMatch(/^missing\.yml: .*ENOENT/);
  });

  it('says in its error which file cannot be used and why', () => {
    const path = write('areas.yml', 'regions:\n  - name: Pwani\n    districts:\n      - name: Kibaha Town\n        areas: [Tumbi, tumbi]\n');
    expect(() => Places.load(path)).toThrow(/areas\.yml cannot be used:\n {2}areas\.yml: regions\.0\.districts\.0 \(Kibaha Town\): the area "tumbi" is given twice/);
  });
});
