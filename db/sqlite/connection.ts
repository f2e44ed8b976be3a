import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../schema.ts';
import type { Orm } from '../store.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface SqliteConnection {
  readonly orm: Orm;
  readonly sqlite: Database.Database;
}

/**
 * Opens (creating it and its folder if needed) the SQLite file, sets the
 * pragmas a durable chat service needs, and applies any migration not yet applied.
 */
export function openConnection(path: string, busyTimeoutMs: number): SqliteConnection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a reply the server acknowledged survives a power cut, not only a crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
  return { orm, sqlite };
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
