import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadCharter } from '../../bot/charter/charter.ts';
import { KnowledgeBase } from '../../bot/kb/library.ts';
import { seedArticles } from '../../bot/kb/seed.ts';
import { KnowledgeBaseDesk } from '../../bot/kb/staff.ts';
import { calendarOf } from '../../bot/assemble.ts';
import { loadConfig } from '../../bot/config.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { articlesVersion, listArticles } from '../../db/queries/articles.ts';
import { addStaff, type StaffRow } from '../../db/queries/staff.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshStore } from '../support/databases.ts';

// articles.yml seeds the database at every start: what the file brings and
// staff never touched follows the file; what staff changed is theirs.

const charter = loadCharter();
const shipped = parse(readFileSync(new URL('../../bot/charter/ict/articles.yml', import.meta.url), 'utf8')) as { articles: { id: string; title: { sw: string; en: string } }[] };

describe.each(BACKENDS)('seeding the articles on %s', (backend) => {
  let store: Store;
  let dir: string;
  let staff: StaffRow;
  const clock = new ManualClock('2026-11-23T08:00:00Z');
  const seed = () => seedArticles(store, { charterPath: join(dir, 'charter.yml'), charter, now: clock.now() });
  const write = (articles: unknown[]) => writeFileSync(join(dir, 'articles.yml'), stringify({ articles }));
  const rows = () => store.read((tx) => listArticles(tx, { withRetired: true }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'huduma-kb-seed-'));
    store = await freshStore(backend, join(dir, 'huduma.db'));
    staff = await store.transaction((tx) => addStaff(tx, { name: 'Rehema', role: 'supervisor', tokenHash: 'x', at: clock.now() }));
  });
  afterAll(() => store.close());

  it('adds the file’s articles once; a second start changes nothing', async () => {
    write(shipped.articles);
    expect(await seed()).toEqual({ added: 12, updated: 0, retired: 0 });
    const version = await store.read((tx) => articlesVersion(tx));
    expect(await seed()).toEqual({ added: 0, updated: 0, retired: 0 });
    expect(await store.read((tx) => articlesVersion(tx))).toBe(version);
  });

  it('follows the file for articles staff never edited; keeps staff’s edits; retires what the file dropped', async () => {
    const desk = new KnowledgeBaseDesk({ store, clock, charter, calendar: calendarOf(loadConfig({})) });
    const mine = await desk.get('mailbox_full');
    if (!mine) throw new Error('not seeded');
    const edited = await desk.update(staff, 'mailbox_full', {
      title: { sw: 'Sanduku limejaa (toleo la afisa)', en: mine.titleEn },
      questions: mine.questions,
      steps: mine.steps,
      offer: mine.offer,
    });
    expect(edited.status).toBe('saved');

    const changed = shipped.articles
      .filter((a) => a.id !== 'virus_warning')
      .map((a) => (a.id === 'slow_internet' || a.id === 'mailbox_full' ? { ...a, title: { ...a.title, sw: `${a.title.sw} (toleo jipya)` } } : a));
    write(changed);
    expect(await seed()).toEqual({ added: 0, updated: 1, retired: 1 });
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    expect(byId.get('slow_internet')?.titleSw).toBe('Intaneti ni ya polepole (toleo jipya)');
    expect(byId.get('mailbox_full')?.titleSw).toBe('Sanduku limejaa (toleo la afisa)');
    expect(byId.get('virus_warning')?.retired).toBe(true);
  });

  it('an instance’s matcher is rebuilt only when the articles change, read at most once a second', async () => {
    const kb = new KnowledgeBase(() => ({ intent: 'out_of_scope', decided: 'model', entities: [] }), clock);
    await store.read((tx) => kb.matcher(tx));
    clock.advance(1000);
    await store.read((tx) => kb.matcher(tx));
    expect(kb.rebuilds).toBe(1);
    // Another instance's change, stamped with the same instant (clocks need not agree): still seen.
    const desk = new KnowledgeBaseDesk({ store, clock, charter, calendar: calendarOf(loadConfig({})) });
    expect((await desk.setRetired(staff, 'office_wifi', true)).status).toBe('saved');
    // Within a second the instance keeps what it has; then it reads the version again.
    await store.read((tx) => kb.matcher(tx));
    expect(kb.rebuilds).toBe(1);
    clock.advance(1000);
    const matcher = await store.read((tx) => kb.matcher(tx));
    expect(kb.rebuilds).toBe(2);
    expect(matcher.articles.map((a) => a.id)).not.toContain('office_wifi');
  });
});
