import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;
/**
 * What a query runs on: drizzle's transaction object inside `db.transaction(...)`,
 * or the database itself inside one of better-sqlite3's own transactions (the
 * engine's turn: see bot/engine/engine.ts). Queries need nothing else of it.
 */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface OpenDatabase {
  readonly db: Db;
  readonly sqlite: Database.Database;
  close(): void;
}

export interface OpenOptions {
  /** How long a writer waits for another's lock before giving up, in ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder if needed) the SQLite file, sets the
 * pragmas a durable chat service needs, and applies any migration not yet applied.
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a reply the server acknowledged survives a power cut, not only a crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Whether the connection can write. SQLite opens a file it may not write
 * read-only without a word, and stays so until reopened: health must say so.
 * A lock held by another connection is not this (it passes once released).
 */
export function canWrite(sqlite: Database.Database): boolean {
  // Only a real write finds out (BEGIN alone succeeds read-only): the header's own value, written back, then undone.
  const version = Number(sqlite.pragma('user_version', { simple: true }));
  try {
    sqlite.exec(`BEGIN IMMEDIATE; PRAGMA user_version = ${version}; ROLLBACK`);
    return true;
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    return (e as { code?: unknown }).code !== 'SQLITE_READONLY';
  }
}
