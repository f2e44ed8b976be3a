import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './app.ts';

// Looks for strings in every column of every table of a test server's
// database, whatever the schema says today: the tables and columns are read
// from the database's own catalog (sqlite_master and table_info on SQLite,
// information_schema.columns on PostgreSQL), each value compared as text,
// case-insensitively. What an erasure must have left nowhere.

export interface Found {
  readonly table: string;
  readonly column: string;
  readonly needle: string;
  readonly value: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function scanSqlite(path: string, needles: readonly string[]): Promise<{ found: Found[]; columns: number }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
    const found: Found[] = [];
    let columns = 0;
    for (const table of tables) {
      for (const { name } of db.pragma(`table_info(${quote(table)})`) as { name: string }[]) {
        columns++;
        for (const needle of needles) {
          const rows = db.prepare(`select cast(${quote(name)} as text) as v from ${quote(table)} where instr(lower(cast(${quote(name)} as text)), lower(?)) > 0`).all(needle) as { v: string }[];
          for (const r of rows) found.push({ table, column: name, needle, value: r.v });
        }
      }
    }
    return { found, columns };
  } finally {
    db.close();
  }
}

async function scanPostgres(url: string, needles: readonly string[]): Promise<{ found: Found[]; columns: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: cols } = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
      "select table_schema, table_name, column_name from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema') order by table_schema, table_name, ordinal_position",
    );
    const found: Found[] = [];
    for (const { table_schema: schema, table_name: table, column_name: column } of cols) {
      for (const needle of needles) {
        const from = `${quote(schema)}.${quote(table)}`;
        const { rows } = await client.query<{ v: string }>(`select ${quote(column)}::text as v from ${from} where strpos(lower(${quote(column)}::text), lower($1)) > 0`, [needle]);
        for (const r of rows) found.push({ table, column, needle, value: r.v });
      }
    }
    return { found, columns: cols.length };
  } finally {
    await client.end();
  }
}

/** Every place any of `needles` occurs, and how many columns were looked in. */
export function scanDatabase(server: TestServer, needles: readonly string[]): Promise<{ found: Found[]; columns: number }> {
  const url = server.databaseEnv.DATABASE_URL;
  return url ? scanPostgres(url, needles) : scanSqlite(server.databasePath, needles);
}
