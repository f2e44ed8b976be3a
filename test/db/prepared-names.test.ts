import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Tx.prepared keeps one statement per name and connection, and a name asked
// again gets the statement first built under it, whatever its builder says:
// two statements under one name would silently run the wrong one. Every name
// in db/ is written out where it is asked for, so they are checked here.

const DB = fileURLToPath(new URL('../../db/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the names of the statements Tx.prepared keeps', () => {
  it('are each given to one statement only', () => {
    const names: string[] = [];
    for (const file of sources(DB)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\.prepared\(\s*(['`])([^'`]+)\1/g)) names.push(m[2] ?? '');
    }
    expect(names.length).toBeGreaterThan(20);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    expect(twice).toEqual([]);
  });
});
