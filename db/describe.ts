import { resolve } from 'node:path';

/**
 * The database the settings name, as an operator reads it: the SQLite file's
 * full path, or PostgreSQL's host, port, database and user (never the password).
 */
export function databaseName(o: { readonly url?: string; readonly path: string }): string {
  if (!o.url) return `SQLite ${resolve(o.path)}`;
  try {
    const u = new URL(o.url);
    const host = u.hostname || new URLSearchParams(u.search).get('host') || 'localhost';
    const user = u.username ? ` as ${decodeURIComponent(u.username)}` : '';
    return `PostgreSQL ${host}${u.port ? `:${u.port}` : ''}/${decodeURIComponent(u.pathname.replace(/^\//, ''))}${user}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
