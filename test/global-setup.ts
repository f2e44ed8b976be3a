import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNlu } from '../intents/nlu.ts';

const script = fileURLToPath(new URL('../scripts/pg-throwaway.sh', import.meta.url));

/**
 * Trains the intent model once into the cache, and gives the tests a real
 * PostgreSQL: the one HUDUMA_TEST_PG_URL names, or a throwaway cluster
 * started here when PostgreSQL is installed (stopped when the run ends).
 * Without either, the PostgreSQL half of each test is skipped, and said so.
 *
 * Every temporary file of the run (databases, uploads, browser profiles, the
 * servers the tests start) goes in one folder, removed when the run ends:
 * left to each test, a run left about a thousand folders in /tmp.
 */
export default function setup(): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'huduma-run-'));
  // Writable by all, sticky, as /tmp is: a fault test runs a server as another user (a read-only database), and
  // that server keeps its own temporary files (tsx's cache) here too.
  chmodSync(scratch, 0o1777);
  // os.tmpdir() reads TMPDIR; the test workers and the processes they start inherit it.
  process.env.TMPDIR = scratch;
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  createNlu();
  if (process.env.HUDUMA_TEST_PG_URL) return removeScratch;
  if (!existsSync('/usr/lib/postgresql')) {
    console.warn('\nPostgreSQL is not installed: the tests run on SQLite only (apt-get install postgresql, or set HUDUMA_TEST_PG_URL).\n');
    return removeScratch;
  }
  const out = execFileSync('bash', [script], { encoding: 'utf8' });
  for (const [, name, value] of out.matchAll(/export (\w+)=(\S+?);?(?=\s|$)/g)) if (name && value) process.env[name] = value;
  const dir = process.env.HUDUMA_TEST_PG_DIR;
  return () => {
    if (dir) execFileSync('bash', [script, 'stop', dir]);
    removeScratch();
  };
}
