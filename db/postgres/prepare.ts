import type pg from 'pg';

/**
 * At most this many statement texts get a name: drizzle writes one text per
 * query shape, so the hot path's few dozen fit many times over, and SQL that
 * varies without bound (IN lists of any length) cannot grow the map for ever.
 */
const MAX_NAMED = 1000;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const name = `h${names.size}`;
  names.set(text, name);
  return name;
}

/**
 * Makes every statement drizzle sends on this connection a named prepared
 * statement: PostgreSQL parses and plans it once per connection, then only
 * binds and runs it (BENCHMARKS.md: the backends). Plain strings (BEGIN,
 * COMMIT, the migrations' DDL) go as they are.
 */
export function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (config: unknown, ...rest: unknown[]) => {
    if (config !== null && typeof config === 'object' && 'text' in config && typeof config.text === 'string' && !('name' in config && config.name)) {
      const name = nameOf(config.text);
      return query(name === undefined ? config : { ...config, name }, ...rest);
    }
    return query(config, ...rest);
  };
  client.query = named as typeof client.query;
}
