import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run staff:add` as an operator runs it; returns the token it printed (its last line). */
export async function addStaffToken(databasePath: string, name = 'Asha Mushi', role: 'agent' | 'admin' = 'agent'): Promise<{ token: string; stdout: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/staff-add.ts', '--name', name, '--role', role], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' },
  });
  const token = stdout.trim().split('\n').at(-1) ?? '';
  return { token, stdout };
}
