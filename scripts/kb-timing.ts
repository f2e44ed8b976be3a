// The knowledge base's costs on a message, for BENCHMARKS.md (`npm run kb:evaluate -- --timing`):
// the version check every turn that may give an article makes (SQLite, and
// PostgreSQL when DATABASE_URL is set: read only there), building the matcher
// after a change, and matching one message.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Charter } from '../bot/charter/charter.ts';
import type { Article } from '../bot/kb/articles.ts';
import { articleFor } from '../bot/kb/decide.ts';
import { backgroundOf, matcherOver } from '../bot/kb/library.ts';
import { seedArticles } from '../bot/kb/seed.ts';
import { articlesVersion } from '../db/queries/articles.ts';
import { openStore } from '../db/open.ts';
import type { Store } from '../db/store.ts';
import type { Nlu } from '../intents/nlu.ts';

const ROUNDS = 2000;

/** Microseconds a version check takes inside a transaction that is already open (as in a turn). */
async function versionCheck(store: Store): Promise<number> {
  return store.read(async (tx) => {
    for (let i = 0; i < 200; i++) await articlesVersion(tx);
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) await articlesVersion(tx);
    return ((performance.now() - started) * 1000) / ROUNDS;
  });
}

export async function kbTiming(p: { charterPath: string; charter: Charter; articles: readonly Article[]; nlu: Nlu; texts: readonly string[]; databaseUrl?: string }): Promise<void> {
  const understand = (t: string) => p.nlu.understand(t, new Date());
  let started = performance.now();
  backgroundOf(); // counted once a process, on the first message that may get an article
  const backgroundMs = performance.now() - started;
  started = performance.now();
  for (let i = 0; i < 20; i++) matcherOver(p.articles, understand);
  const buildMs = (performance.now() - started) / 20;
  const matcher = matcherOver(p.articles, understand);
  const understood = p.texts.map((t) => understand(t));
  started = performance.now();
  for (let r = 0; r < 20; r++)
    p.texts.forEach((t, i) => {
      articleFor(matcher, understood[i] as ReturnType<typeof understand>, t);
    });
  const matchUs = ((performance.now() - started) * 1000) / (20 * p.texts.length);

  const sqlite = await openStore({ path: join(mkdtempSync(join(tmpdir(), 'huduma-kb-timing-')), 'huduma.db') });
  await seedArticles(sqlite, { charterPath: p.charterPath, charter: p.charter, now: new Date() });
  const sqliteUs = await versionCheck(sqlite);
  await sqlite.close();
  let pgUs: number | undefined;
  if (p.databaseUrl) {
    const pg = await openStore({ url: p.databaseUrl, path: '' });
    pgUs = await versionCheck(pg);
    await pg.close();
  }
  console.log(`the training lines counted as the background (once a process): ${backgroundMs.toFixed(0)} ms`);
  console.log(`matcher build after a change (${p.articles.length} articles): ${buildMs.toFixed(1)} ms`);
  console.log(`matching one message (gates and retrieval, understanding given): ${matchUs.toFixed(0)} µs`);
  console.log(`version check in a turn's transaction: SQLite ${sqliteUs.toFixed(1)} µs${pgUs === undefined ? ' (set DATABASE_URL to time PostgreSQL)' : `, PostgreSQL ${pgUs.toFixed(0)} µs`}`);
}
