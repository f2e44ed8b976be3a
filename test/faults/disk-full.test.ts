// A full disk under the SQLite file: messages get 503 JSON, /healthz 503 "disk_full", nothing acknowledged is lost,
// and once space is freed the server takes writes again without a restart (the same message, same key, once).
// The disk is a small tmpfs mounted for the test (root only; skipped, saying so, where mounting is refused).
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../db/sqlite/store.ts';
import { errorCode } from '../../db/store.ts';
import { post, queryDatabase, sleep, spawnServer, stopServer, transcriptOf, type RunningServer } from './support.ts';

/** A tmpfs of `size` mounted on a new folder, or why it could not be. */
function mountTmpfs(size: string): { dir: string; unmount(): void } | { refused: string } {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmdirSync(dir);
    return { refused: String((e as { stderr?: Buffer }).stderr ?? e).trim() };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmdirSync(dir);
    },
  };
}

const probe = mountTmpfs('1m');
const canMount = !('refused' in probe);
if ('refused' in probe) console.warn(`disk-full tests skipped: a tmpfs cannot be mounted here (${probe.refused})`);
else probe.unmount();

/** Fills the file system with a file of its own until it is full (but for `leave` bytes); returns the file, to be removed to free the space. */
function fill(dir: string, leave = 0): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  try {
    let size = 0;
    for (const chunk of [Buffer.alloc(256 * 1024), Buffer.alloc(4096), Buffer.alloc(512)]) {
      try {
        for (;;) size += writeSync(fd, chunk);
      } catch (e) {
        if (errorCode(e) !== 'ENOSPC') throw e;
      }
    }
    if (leave > 0) ftruncateSync(fd, Math.max(0, size - leave));
  } finally {
    closeSync(fd);
  }
  return file;
}

const mounts: { unmount(): void }[] = [];
let server: RunningServer | undefined;
afterEach(async () => {
  await stopServer(server);
  server = undefined;
});
afterAll(() => {
  for (const m of mounts.splice(0)) m.unmount();
});

function tmpfs(size: string): string {
  const mounted = mountTmpfs(size);
  if ('refused' in mounted) throw new Error(`could not mount a tmpfs: ${mounted.refused}`);
  mounts.push(mounted);
  return mounted.dir;
}

const health = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string; error?: string } };
};

describe.runIf(canMount)('a full disk under the SQLite file', () => {
  describe('the server', () => {
    it('503 JSON and /healthz 503 disk_full; nothing acknowledged lost; once space is freed, the same message is taken once, without a restart', async () => {
      const dir = tmpfs('8m');
      const databasePath = join(dir, 'huduma.db');
      const database = { DATABASE_PATH: databasePath };
      server = await spawnServer({ database });
      const first = await post(server.url, `full-1`, 'habari', 'k0');
      expect(first.status).toBe(200);
      // Sessions are made before the disk fills (opening one is a write too).
      await post(server.url, `full-2`, 'habari', 'k0');
      expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });

      const filler = fill(dir);
      // The WAL's own file still has room once its pages were checkpointed (db/sqlite/checkpointer.ts): SQLite
      // writes there, durably, until it needs a new block; and a checkpoint that completes meanwhile makes room
      // again. So messages are taken until the first is refused; each taken one is kept, the refused one is not.
      const taken: string[] = [];
      let refused: { text: string; key: string } | undefined;
      for (let i = 0; !refused && i < 200; i++) {
        const text = `printa ${i} ${'haifanyi kazi '.repeat(200)}`.trim();
        const answer = await post(server.url, `full-1`, text, `p${i}`);
        if (answer.status === 200) taken.push(text);
        else {
          expect(answer).toEqual({ status: 503, body: { error: 'the service is unavailable for a moment; please try again' } });
          refused = { text, key: `p${i}` };
        }
      }
      if (!refused) throw new Error('200 messages were taken on a full disk');
      const sick = await health(server.url);
      expect(sick).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'disk_full' } });
      expect(sick.body.error).toMatch(/disk .* full/);
      await sleep(50);
      const lines = server
        .log()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { code?: string } });
      expect(lines.filter((l) => l.level === 50 && l.msg === 'database unavailable' && l.err?.code?.startsWith('SQLITE_FULL')).length).toBeGreaterThanOrEqual(1);
      // Still serving reads: what was acknowledged is there, what was refused is not.
      expect((await transcriptOf(server.url, `full-1`)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['habari', ...taken]);
      expect(server.child.exitCode).toBeNull();

      // Space again: health says so by itself, and the same message (same key) is taken, once.
      rmSync(filler);
      expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });
      const retried = await post(server.url, `full-1`, refused.text, refused.key);
      expect(retried.status).toBe(200);
      expect(retried.body.replies?.length).toBeGreaterThan(0);
      expect(await post(server.url, `full-1`, refused.text, refused.key)).toEqual(retried);
      expect((await post(server.url, `full-2`, 'printa', 'k1')).status).toBe(200);
      expect((await transcriptOf(server.url, `full-1`)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['habari', ...taken, refused.text]);

      // From outside, after a clean stop: the file is whole and holds each message once.
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
      const counted = await queryDatabase<{ text: string; n: number }>(database, "select text, cast(count(*) as integer) as n from messages where direction = 'in' group by text");
      const expected = [...taken, 'habari', refused.text, 'printa'].map((text) => ({ text, n: text === 'habari' ? 2 : 1 }));
      const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text);
      expect(counted.sort(byText)).toEqual(expected.sort(byText));
      expect(await queryDatabase(database, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    }, 90_000);
  });

  describe('the store', () => {
    it('health: disk_full while full, ok again once space is freed; it never waits behind the store’s own queue', async () => {
      const dir = tmpfs('4m');
      const store = new SqliteStore({ path: join(dir, 'huduma.db') });
      try {
        expect(await store.health()).toEqual({ status: 'ok' });
        // A read holding the store's one connection: health does not queue behind it (it uses a connection of its own).
        let release: () => void = () => undefined;
        const held = store.read(() => new Promise<void>((r) => (release = r)));
        const started = performance.now();
        expect(await store.health()).toEqual({ status: 'ok' });
        expect(performance.now() - started).toBeLessThan(1_000);
        release();
        await held;

        const filler = fill(dir);
        expect(await store.health()).toMatchObject({ status: 'unavailable', cause: 'disk_full' });
        rmSync(filler);
        expect(await store.health()).toEqual({ status: 'ok' });
      } finally {
        await store.close();
      }
    });

    it('a transaction SQLite rolls back by itself half-way (disk full) fails whole: no savepoint before or after it is kept, and the error says "full"', async () => {
      const dir = tmpfs('4m');
      const store = new SqliteStore({ path: join(dir, 'huduma.db') });
      try {
        store.sqlite.exec('create table notes (id integer primary key, body text not null)');
        // A small page cache: a big write spills to the WAL before COMMIT, where the full disk stops it.
        store.sqlite.pragma('cache_size = 10');
        // Room for the small writes, not for the big one.
        const filler = fill(dir, 256 * 1024);
        const insert = (body: string) => (tx: { sqlite: SqliteStore['sqlite'] | undefined }) => Promise.resolve(tx.sqlite?.prepare('insert into notes (body) values (?)').run(body));
        const outcomes: string[] = [];
        const run = store.transaction(async (tx) => {
          // As the group commit does: each turn in its savepoint, a failed one reported and the others kept going.
          for (const body of ['before', 'x'.repeat(2 * 1024 * 1024), 'after']) {
            try {
              await tx.savepoint((inner) => insert(body)(inner));
              outcomes.push('ok');
            } catch (e) {
              outcomes.push(errorCode(e) ?? 'error');
            }
          }
        });
        const failure = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        // The turn after the failed one must not run outside the transaction (there, its savepoint would commit alone).
        expect(outcomes).toEqual(['ok', 'SQLITE_FULL', 'SQLITE_FULL']);
        expect(errorCode(failure)).toMatch(/^SQLITE_FULL/);
        rmSync(filler);
        expect(await store.read(async (tx) => tx.sqlite?.prepare('select body from notes').all())).toEqual([]);
        // And the connection serves again once there is room.
        await store.transaction(async (tx) => void tx.sqlite?.prepare('insert into notes (body) values (?)').run('later'));
        expect(await store.read(async (tx) => tx.sqlite?.prepare('select body from notes').all())).toEqual([{ body: 'later' }]);
      } finally {
        await store.close();
      }
    });
  });
});
