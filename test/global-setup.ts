import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNlu } from '../intents/nlu.ts';

const script = fileURLToPath(new URL('../scripts/pg-throwaway.sh', import.meta.url));

/**
 * Trains the intent model once into the cache, and gives the tests a real
 * PostgreSQL: the one HUDUMA_TEST_PG_URL names, or a throwaway cluster
 * started here when PostgreSQL is installed (stopped when the run ends).
 * Without either, the PostgreSQL half of each test is skipped, and said so.
 */
export default function setup(): () => void {
  createNlu();
  if (process.env.HUDUMA_TEST_PG_URL) return () => undefined;
  if (!existsSync('/usr/lib/postgresql')) {
    console.warn('\nPostgreSQL is not installed: the tests run on SQLite only (apt-get install postgresql, or set HUDUMA_TEST_PG_URL).\n');
    return () => undefined;
  }
  const out = execFileSync('bash', [script], { encoding: 'utf8' });
  for (const [, name, value] of out.matchAll(/export (\w+)=(\S+?);?(?=\s|$)/g)) if (name && value) process.env[name] = value;
  const dir = process.env.HUDUMA_TEST_PG_DIR;
  return () => {
    if (dir) execFileSync('bash', [script, 'stop', dir]);
  };
}
