import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../schema.ts';
import { errorCode, unavailableCause, type Health, type Orm } from '../store.ts';
import { whenFree } from './busy.ts';

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
 * Whether SQLite opened (or would open) the file read-only: it opens a file it
 * may not write read-only without a word, and that connection stays so until
 * reopened. Asked of the file, as SQLite asks at open, so no write lock is taken.
 */
export function opensReadOnly(path: string): boolean {
  if (path === ':memory:' || path === '') return false;
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch (e) {
    return errorCode(e) !== 'ENOENT';
  }
}

export interface ProbeOptions {
  /** How long the probe tries for the write lock (on timers, never sleeping in the thread) before it says "locked". */
  readonly lockWaitMs: number;
}

/** How much new space the probe claims on the database's disk: a few WAL frames, room for a batch of turns. */
const PROBE_BYTES = 64 * 1024;

/**
 * Whether the database can take a write now, found out the only sure way: by
 * writing. First a file of its own beside the database (new blocks on the same
 * disk, flushed: "disk full" shows even while SQLite still has room in its WAL),
 * then a real commit on a short-lived connection of its own (busy_timeout 0, no
 * autocheckpoint): read-only, locked, I/O errors. Neither touches the store's
 * connections or holds their queue, and a fresh connection each time means a
 * disk that has space again is seen at once.
 */
export async function probeWrite(path: string, options: ProbeOptions): Promise<Health> {
  if (path === ':memory:' || path === '') return { status: 'ok' };
  const space = await probeSpace(path);
  if (space.status !== 'ok') return space;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('synchronous = FULL');
    const probe = db;
    await whenFree(() => probe.exec('BEGIN IMMEDIATE'), { deadlineMs: options.lockWaitMs });
    // The header's own value, written back: a page that reaches the WAL and the disk, and changes nothing.
    const version = Number(probe.pragma('user_version', { simple: true }));
    probe.exec(`PRAGMA user_version = ${version}; COMMIT`);
    return { status: 'ok' };
  } catch (e) {
    if (db?.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Closing below ends it anyway.
      }
    }
    return healthOf(e);
  } finally {
    db?.close();
  }
}

async function probeSpace(path: string): Promise<Health> {
  const file = `${path}-probe`;
  let created = false;
  try {
    const handle = await open(file, 'w', 0o600);
    created = true;
    try {
      await handle.write(Buffer.alloc(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { status: 'ok' };
  } catch (e) {
    const code = errorCode(e);
    if (code === 'EROFS') return { status: 'read_only' };
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO') return healthOf(e);
    // A folder Huduma may not write (EACCES) says nothing about space: the database write decides.
    return { status: 'ok' };
  } finally {
    if (created) await unlink(file).catch(() => undefined);
  }
}

function healthOf(e: unknown): Health {
  const code = errorCode(e);
  if (code === 'SQLITE_READONLY') return { status: 'read_only' };
  return { status: 'unavailable', reason: e instanceof Error ? e.message : String(e), cause: unavailableCause(e) };
}

/**
 * Why the database at `path` cannot be created or opened, as one sentence an
 * operator can act on (which path, what is wrong, what to do); undefined when
 * the file system shows nothing wrong (then the driver's own message is all there is).
 */
export function cannotOpenBecause(path: string, error: unknown): string | undefined {
  const full = resolve(path);
  const elsewhere = 'set DATABASE_PATH to a file in a folder Huduma may write';
  const fix = `${elsewhere}, or make that folder writable for the user Huduma runs as`;
  // The nearest part of the path that exists: a file where a folder should be, or a folder that cannot be written.
  let existing = dirname(full);
  let missing = false;
  while (!exists(existing) && dirname(existing) !== existing) {
    existing = dirname(existing);
    missing = true;
  }
  if (!isDirectory(existing)) return `Huduma cannot create its database at ${full}: ${existing} is a file, not a folder; ${elsewhere}.`;
  const code = errorCode(error);
  const writable = canWriteFolder(existing);
  if (writable === 'EROFS') return `Huduma cannot create or open its database at ${full}: ${existing} is on a read-only file system; ${elsewhere}, or mount it read-write.`;
  if (writable !== undefined) {
    const what = missing ? `the folder ${dirname(full)} cannot be created, as Huduma may not write in ${existing}` : `Huduma may not write in ${existing}`;
    return `Huduma cannot create or open its database at ${full}: ${what} (${writable}); ${fix}.`;
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return `Huduma cannot open its database at ${full}: the file is not a SQLite database or is damaged (${code}); restore it from a backup, or set DATABASE_PATH to a new file.`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `Huduma cannot create or open its database at ${full}: the disk is full (${code}); free some space and start Huduma again.`;
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `Huduma cannot open its database at ${full} (${code}): check that the file and its -wal and -shm files may be read and written by the user Huduma runs as, or ${fix}.`;
  return undefined;
}

const exists = (p: string) => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};
const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
/** undefined when the folder may be written; otherwise the file system's code (EROFS, EACCES…). */
const canWriteFolder = (p: string): string | undefined => {
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return errorCode(e) ?? 'EACCES';
  }
};
