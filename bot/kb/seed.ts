import { listArticles, retireDroppedFromFile, seedArticle } from '../../db/queries/articles.ts';
import { isUnavailable, type Store } from '../../db/store.ts';
import { CharterError, type Charter } from '../charter/charter.ts';
import { articlesPathBeside, contentOf, fileHashOf, loadArticlesFile } from './articles.ts';

export interface Seeded {
  readonly added: number;
  readonly updated: number;
  readonly retired: number;
  /** The database could not take the writes now (read-only, full, locked…): the next start tries again. */
  readonly deferred?: true;
}

/**
 * Brings the database's articles in line with articles.yml beside the
 * charter, at start: new articles are added; one staff never edited is
 * rewritten when the file's version of it changed, and retired when the file
 * no longer has it; one staff edited (or added) is theirs, and left alone.
 * A file that breaks the rules stops start-up, saying where. Nothing to
 * change is only read, so a read-only database still starts (and serves
 * what it can); one that cannot take the changes now defers them.
 */
export async function seedArticles(store: Store, p: { readonly charterPath: string; readonly charter: Charter; readonly now: Date }): Promise<Seeded> {
  const loaded = loadArticlesFile(articlesPathBeside(p.charterPath), p.charter);
  if (loaded.status === 'invalid') throw new CharterError(loaded.path, loaded.problems);
  const stored = new Map((await store.read((tx) => listArticles(tx, { withRetired: true }))).map((r) => [r.id, r]));
  const inFile = new Set(loaded.articles.map((a) => a.id));
  const toWrite = loaded.articles.filter((a) => {
    const s = stored.get(a.id);
    return !s || (s.editedBy === null && s.fileHash !== fileHashOf(a));
  });
  const dropped = [...stored.values()].some((s) => !s.retired && s.editedBy === null && s.fileHash !== null && !inFile.has(s.id));
  if (toWrite.length === 0 && !dropped) return { added: 0, updated: 0, retired: 0 };
  try {
    return await store.transaction(async (tx) => {
      let added = 0;
      let updated = 0;
      for (const a of toWrite) {
        const done = await seedArticle(tx, { id: a.id, ...contentOf(a), fileHash: fileHashOf(a), at: p.now });
        if (done === 'added') added++;
        if (done === 'updated') updated++;
      }
      const retired = await retireDroppedFromFile(tx, [...inFile], p.now);
      return { added, updated, retired };
    });
  } catch (error) {
    if (isUnavailable(error)) return { added: 0, updated: 0, retired: 0, deferred: true };
    throw error;
  }
}
