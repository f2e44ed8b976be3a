// `npm run backup -- FILE`: an online, consistent copy of the SQLite database
// the server uses (DATABASE_PATH, as `npm start` reads it), taken with SQLite's
// backup API while the bot serves: the copy is one moment of the database,
// whatever the server commits meanwhile. The copy is written beside FILE,
// switched out of WAL mode (one self-contained file), checked with
// `PRAGMA integrity_check`, and only then named FILE. With DATABASE_URL set
// (PostgreSQL) it says to use pg_dump and exits 2.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfigOrExit } from '../bot/config.ts';

const fail = (message: string, code = 2): never => {
  process.stderr.write(`backup: ${message}\n`);
  process.exit(code);
};

const config = loadConfigOrExit(process.env);
if (config.DATABASE_URL)
  fail(
    'DATABASE_URL is set, so the database is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=huduma.dump "$DATABASE_URL", and restore it with pg_restore --clean --if-exists --dbname="$DATABASE_URL" huduma.dump.',
  );

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const given = positionals[0];
if (positionals.length !== 1 || !given) fail('give the file to write: npm run backup -- /var/backups/huduma-2026-11-23.db');
const target = resolve(given as string);
const source = resolve(config.DATABASE_PATH);
if (target === source) fail('the backup must be another file than the database itself.');
if (existsSync(target)) fail(`${target} exists already; choose a new file (a backup never overwrites one).`);
if (!existsSync(source)) fail(`there is no database at ${source} (DATABASE_PATH).`);

/** Pages copied a step: everything left, in one step, so the copy is a single moment of the database. */
const ALL_AT_ONCE = 0x7fffffff;
const partial = `${target}.partial`;
const started = performance.now();
try {
  mkdirSync(dirname(target), { recursive: true });
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true, timeout: config.DATABASE_BUSY_TIMEOUT_MS });
  let pages = 0;
  try {
    pages = (await db.backup(partial, { progress: () => ALL_AT_ONCE })).totalPages;
  } finally {
    db.close();
  }
  const copy = new Database(partial);
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the copy failed its integrity check: ${String(integrity)}`);
  } finally {
    copy.close();
  }
  renameSync(partial, target);
  const bytes = statSync(target).size;
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `Backed up ${source} to ${target}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes, ${pages} pages) in ${ms} ms; integrity check ok.\n` +
      `To restore: stop Huduma, copy ${target} to ${source}, delete ${source}-wal and ${source}-shm if they are there, and start it again.\n`,
  );
} catch (error) {
  rmSync(partial, { force: true });
  fail(`could not back up ${source}: ${error instanceof Error ? error.message : String(error)}`, 1);
}
