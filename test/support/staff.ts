import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Which database the script is to use: DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL), as the app's settings name it. */
export type DatabaseEnv = Readonly<Record<string, string>>;

/**
 * `npm run staff:add` as an operator runs it, on the database `database`
 * names (a SQLite path, or the settings that name it); returns the token it
 * printed (its last line).
 */
export async function addStaffToken(
  database: string | DatabaseEnv,
  name = 'Asha Mushi',
  role: 'agent' | 'supervisor' | 'admin' = 'agent',
  more: { readonly team?: string; readonly locale?: 'sw' | 'en' } = {},
): Promise<{ token: string; stdout: string }> {
  const env = typeof database === 'string' ? { DATABASE_PATH: database } : database;
  const extra = [...(more.team ? ['--team', more.team] : []), ...(more.locale ? ['--locale', more.locale] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/staff-add.ts', '--name', name, '--role', role, ...extra], {
    cwd: root,
    // The caller's database only: a DATABASE_URL of this process must not win over a DATABASE_PATH given.
    env: { ...process.env, DATABASE_PATH: undefined, DATABASE_URL: undefined, ...env, LOG_LEVEL: 'silent' },
  });
  const token = stdout.trim().split('\n').at(-1) ?? '';
  return { token, stdout };
}
