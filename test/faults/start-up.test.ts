// Start-up on a database path Huduma cannot write: exit 1 with one sentence in the log that names the path, says
// what is wrong and what to do; no stack trace.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { freePort, letOthersReach, root, tempDir } from './support.ts';

/** Runs `npm start`'s program to its end; its exit code and what it printed. */
async function startOnly(env: Record<string, string>, uid?: number): Promise<{ code: number | null; output: string; ms: number }> {
  const started = performance.now();
  const ids = uid === undefined ? {} : { uid, gid: uid };
  const child = spawn(process.execPath, ['--import', 'tsx', 'channels/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(await freePort()), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ids,
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output, ms: performance.now() - started };
}

/** The one error line it logged. */
function theError(output: string): { msg: string; database?: string } {
  const lines = output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { level: number; msg: string; database?: string });
  const errors = lines.filter((l) => l.level >= 50);
  expect(errors, output).toHaveLength(1);
  return errors[0] as { msg: string };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('start-up on a database path that cannot be written', () => {
  it('a folder that cannot be created (a file where a folder should be): exit 1, one sentence naming it and what to do', async () => {
    const dir = tempDir('huduma-start-');
    writeFileSync(join(dir, 'data'), 'not a folder');
    const path = join(dir, 'data', 'huduma', 'huduma.db');
    const { code, output } = await startOnly({ DATABASE_PATH: path });
    expect(code).toBe(1);
    const line = theError(output);
    expect(line.msg).toBe(`Huduma cannot create its database at ${path}: ${join(dir, 'data')} is a file, not a folder; set DATABASE_PATH to a file in a folder Huduma may write.`);
    expect(output).not.toMatch(/\n\s+at /);
  }, 90_000);

  it('a read-only place (a read-only mount; where mounting is refused, a folder its user may not write): exit 1, one sentence', async () => {
    const dir = tempDir('huduma-start-ro-');
    const place = join(dir, 'ro');
    mkdirSync(place);
    let uid: number | undefined;
    let why: string;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', place], { stdio: 'pipe' });
      cleanups.push(() => {
        execFileSync('umount', ['-l', place], { stdio: 'pipe' });
        rmdirSync(place);
      });
      why = 'is on a read-only file system; set DATABASE_PATH to a file in a folder Huduma may write, or mount it read-write.';
    } catch {
      // Not root: a folder without write permission. (Root could write it anyway: then run as nobody.)
      chmodSync(place, 0o555);
      if (process.getuid?.() === 0) {
        uid = 65534;
        cleanups.push(letOthersReach(root), letOthersReach(dir));
      }
      why = 'Huduma may not write in';
    }
    for (const path of [join(place, 'huduma.db'), join(place, 'sub', 'huduma.db')]) {
      const { code, output, ms } = await startOnly({ DATABASE_PATH: path }, uid);
      expect(code, output).toBe(1);
      const line = theError(output);
      expect(line.msg).toContain(`Huduma cannot create or open its database at ${path}: `);
      expect(line.msg).toContain(why);
      expect(line.database).toBe(path);
      expect(output).not.toMatch(/\n\s+at /);
      expect(ms).toBeLessThan(30_000);
    }
  }, 120_000);
});
