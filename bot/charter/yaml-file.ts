import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';

export type YamlRead<T> = { readonly status: 'parsed'; readonly data: T } | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

/**
 * Reads a bundle's YAML file and checks it against its schema: the data, or
 * every problem named by where it is ("lines.3.sla: …"), for the person
 * editing the file to mend at once.
 */
export function readYamlFile<S extends z.ZodTypeAny>(path: string, schema: S): YamlRead<z.output<S>> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { status: 'invalid', path, problems: [e instanceof Error ? e.message : String(e)] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { status: 'invalid', path, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`) };
  return { status: 'parsed', data: parsed.data };
}
