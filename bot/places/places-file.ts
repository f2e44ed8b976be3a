import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { joined, plainWords } from './text.ts';

// The places file (bot/charter/places/tanzania.yml) as it is written: regions
// → districts (councils) → wards → streets, each a name, the other spellings
// people type, and where known a point on the map. Read whole and checked,
// so a mistake is named where it is before the bot runs on it.

/** [latitude, longitude] in decimal degrees. */
const point = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]);
export type LatLon = readonly [number, number];

const name = z
  .string()
  .trim()
  .min(1)
  .refine((s) => plainWords(s).length > 0, 'a name needs letters');
const aliases = z.array(name).optional();

const streetEntry = z.union([name, z.object({ name, aliases, at: point.optional() }).strict()]);
const wardEntry = z.object({ name, aliases, at: point.optional(), streets: z.array(streetEntry).optional() }).strict();
const districtEntry = z
  .object({
    name,
    aliases,
    council: z.enum(['city', 'municipal', 'town', 'district']).optional(),
    at: point.optional(),
    areas: z.array(name).optional(),
    wards: z.array(wardEntry).optional(),
  })
  .strict();
const regionEntry = z.object({ name, aliases, zanzibar: z.boolean().optional(), at: point.optional(), districts: z.array(districtEntry).min(1) }).strict();
const placesFile = z.object({ outline: z.array(point).min(3).optional(), regions: z.array(regionEntry).min(1) }).strict();

export type PlacesFile = z.infer<typeof placesFile>;
export type Kind = 'region' | 'district' | 'ward' | 'street';
/** The kind of council a district is (a ward or street: its district's). */
export type Council = 'city' | 'municipal' | 'town' | 'district';

/** One entry of the file whatever its level, as the index is built from it. */
export interface Entry {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Towns and neighbourhoods within a district whose ward the file does not give: they name the district. */
  readonly areas: readonly string[];
  readonly at?: LatLon;
  readonly kind: Kind;
  readonly zanzibar: boolean;
  readonly council?: Council;
  readonly children: readonly Entry[];
  /** Where it is written in the file: "regions.0.districts.2". */
  readonly where: string;
}

export type PlacesRead =
  | { readonly status: 'read'; readonly regions: readonly Entry[]; readonly outline?: readonly LatLon[] }
  | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

/** Reads and checks a places file: its entries, or every problem named by file, entry and reason. */
export function readPlacesFile(path: string): PlacesRead {
  const file = basename(path);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { status: 'invalid', path, problems: [`${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`] };
  }
  const parsed = placesFile.safeParse(raw);
  if (!parsed.success) {
    return { status: 'invalid', path, problems: parsed.error.issues.map((i) => `${file}: ${entryNamed(raw, i.path)}: ${i.message}`) };
  }
  const regions = parsed.data.regions.map((r, i) => regionOf(r, `regions.${i}`));
  const problems = [...siblingProblems(regions, 'Tanzania'), ...outsideProblems(regions, parsed.data.outline)].map((p) => `${file}: ${p}`);
  if (problems.length > 0) return { status: 'invalid', path, problems };
  return parsed.data.outline ? { status: 'read', regions, outline: parsed.data.outline } : { status: 'read', regions };
}

function regionOf(r: z.infer<typeof regionEntry>, where: string): Entry {
  const zanzibar = r.zanzibar ?? false;
  const children = r.districts.map((d, i) => {
    const dWhere = `${where}.districts.${i}`;
    const wards = (d.wards ?? []).map((w, j) => {
      const wWhere = `${dWhere}.wards.${j}`;
      const streets = (w.streets ?? []).map((s, k) => {
        const st = typeof s === 'string' ? { name: s } : s;
        return entry({ ...st, council: d.council }, 'street', zanzibar, [], `${wWhere}.streets.${k}`);
      });
      return entry({ ...w, council: d.council }, 'ward', zanzibar, streets, wWhere);
    });
    return entry(d, 'district', zanzibar, wards, dWhere);
  });
  return entry(r, 'region', zanzibar, children, where);
}

function entry(
  e: { name: string; aliases?: string[] | undefined; areas?: string[] | undefined; at?: LatLon | undefined; council?: Council | undefined },
  kind: Kind,
  zanzibar: boolean,
  children: Entry[],
  where: string,
): Entry {
  const base = { name: e.name, aliases: e.aliases ?? [], areas: e.areas ?? [], kind, zanzibar, children, where, ...(e.council ? { council: e.council } : {}) };
  return e.at ? { ...base, at: e.at } : base;
}

/** Two children of one parent answering to the same name would make a key or a match ambiguous by mistake. */
function siblingProblems(children: readonly Entry[], parent: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Entry>();
  for (const c of children) {
    for (const n of new Set([c.name, ...c.aliases].map(joined))) {
      const first = seen.get(n);
      if (first && first !== c) problems.push(`${c.where} (${c.name}): the name "${n}" is also ${first.where} (${first.name}), both under ${parent}: give it to one`);
      else seen.set(n, c);
    }
    problems.push(...siblingProblems(c.children, c.name), ...areaProblems(c));
  }
  return problems;
}

/** An area given twice, or also a ward of the same district, is a mistake of copying. */
function areaProblems(d: Entry): string[] {
  const wards = new Set(d.children.flatMap((w) => [w.name, ...w.aliases].map(joined)));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const a of d.areas) {
    const n = joined(a);
    if (seen.has(n)) problems.push(`${d.where} (${d.name}): the area "${a}" is given twice`);
    else if (wards.has(n)) problems.push(`${d.where} (${d.name}): the area "${a}" is also one of its wards: keep the ward`);
    seen.add(n);
  }
  return problems;
}

/** A point outside the country's outline is a slip of a sign or a digit. */
function outsideProblems(regions: readonly Entry[], outline: readonly LatLon[] | undefined): string[] {
  if (!outline) return [];
  const problems: string[] = [];
  const visit = (e: Entry): void => {
    if (e.at && !insidePolygon(e.at, outline)) problems.push(`${e.where} (${e.name}): at [${e.at.join(', ')}] is outside the outline of the country`);
    e.children.forEach(visit);
  };
  regions.forEach(visit);
  return problems;
}

/** Whether a point lies inside a polygon (ray casting; the outline is small enough to treat as flat). */
export function insidePolygon([lat, lon]: LatLon, polygon: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [yi, xi] = polygon[i] as LatLon;
    const [yj, xj] = polygon[j] as LatLon;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** "regions.0.districts.3.wards" → "regions.0.districts.3.wards (Dar es Salaam › Kinondoni)": the path, and the names along it. */
function entryNamed(raw: unknown, path: readonly PropertyKey[]): string {
  const names: string[] = [];
  let node: unknown = raw;
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[step];
    const named = node && typeof node === 'object' && 'name' in node ? (node as { name: unknown }).name : undefined;
    if (typeof named === 'string' && named.trim() !== '') names.push(named);
  }
  const where = path.map(String).join('.') || '(file)';
  return names.length > 0 ? `${where} (${names.join(' › ')})` : where;
}
