import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DatasetError, loadDataset } from '../../intents/dataset.ts';
import { CONVERSATION_INTENTS, isServiceIntent, type ServiceIntent } from '../../intents/ids.ts';
import type { BundleWords } from '../../locales/index.ts';
import { FlowsError, loadFlows, type Flows } from '../flows/flows.ts';
import { loadArticlesFile } from '../kb/articles.ts';
import { placeFinder } from '../places/finder.ts';
import { Places, PlacesFileError } from '../places/places.ts';
import { Charter, CharterError, loadCharter, readCharterFile } from './charter.ts';
import { DESK_KEYS, neededKeys, readBundleWords, wordProblems } from './words.ts';

// A charter bundle: one folder per institution holding everything that makes
// Huduma that institution's desk: its charter lines (charter.yml: services,
// promises, costs, reference prefix, name, emblem, colours), forms
// (forms.yml), words in both languages (words.sw.yml, words.en.yml), teams,
// referrals, knowledge-base articles and its training data (training/, and a
// held-out file written apart, heldout.jsonl). README "Charter bundles".

export interface Bundle {
  readonly dir: string;
  readonly charter: Charter;
  readonly flows: Flows;
  readonly words: BundleWords;
  /** The training data's folder (one Rasa-style file per intent). */
  readonly trainingDir: string;
  /** Held-out lines written apart from the training data, when the bundle has them. */
  readonly heldOutPath: string | undefined;
}

/** A bundle that cannot be used: start-up stops and names every problem, file by file. */
export class BundleError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`The charter bundle ${dir} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BundleError';
  }
}

/** Runs a loader, keeping its problems (named by file) instead of stopping at the first file. */
function attempt<T>(problems: string[], load: () => T): T | undefined {
  try {
    return load();
  } catch (e) {
    if (e instanceof CharterError) problems.push(...e.problems.map((p) => `${e.path}: ${p}`));
    else if (e instanceof FlowsError || e instanceof PlacesFileError) problems.push(...e.problems.map((p) => `${e.path}: ${p}`));
    else if (e instanceof DatasetError) problems.push(...e.problems.map((p) => `training/${isAbsolute(e.file) ? '' : e.file}: ${p}`));
    else problems.push(e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

/** Services, forms, training data and words: each service has all four, and nothing names a service the charter lacks. */
function coverageProblems(charter: Charter, flows: Flows, trainingDir: string): string[] {
  const problems: string[] = [];
  const services = new Set<ServiceIntent>(charter.services);
  // By file name (loadDataset checks each file holds the intent it is named for).
  const trained = new Set(existsSync(trainingDir) ? readdirSync(trainingDir).flatMap((f) => (/\.ya?ml$/.test(f) ? [f.replace(/\.ya?ml$/, '')] : [])) : []);
  for (const s of services) {
    // A service answered at once (its line's `how`, e.g. planned-outage questions) needs no form.
    if (flows.fieldsOf(s).length === 0 && !charter.linesFor(s).some((l) => l.how)) problems.push(`forms.yml: no form for the service ${s} (or give its charter line a \`how\`)`);
    if (!trained.has(s)) problems.push(`training/: no training file for the service ${s} (training/${s}.yml)`);
  }
  for (const s of flows.intents) if (!services.has(s)) problems.push(`forms.yml: a form for ${s}, which no charter line offers`);
  for (const i of trained)
    if (isServiceIntent(i) && !services.has(i)) problems.push(`training/${i}.yml: ${i} is not a conversation intent (${CONVERSATION_INTENTS.join(', ')}) and no charter line offers it`);
  return problems;
}

/** A bundle's forms; a place detail reads Tanzania's places (bot/charter/places/tanzania.yml). */
function formsOf(path: string): Flows {
  const plain = loadFlows(path);
  const asksWhere = Object.values(plain.fields).some((f) => f.kind === 'place');
  return asksWhere ? loadFlows(path, placeFinder(Places.load())) : plain;
}

/** Loads a bundle folder whole, or throws a BundleError naming every problem. */
export function loadBundle(dir: string): Bundle {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new BundleError(dir, ['no such folder: give CHARTER_PATH a bundle folder (README "Charter bundles")']);
  const problems: string[] = [];
  const need = (file: string) => existsSync(join(dir, file)) || (problems.push(`${file} is missing`), false);
  const charterPath = join(dir, 'charter.yml');
  const loaded = need('charter.yml') ? attempt(problems, () => loadCharter(charterPath)) : undefined;
  // Teams or referrals broken: the charter's own lines still check the rest of the bundle.
  const alone = loaded ? undefined : existsSync(charterPath) ? readCharterFile(charterPath) : undefined;
  const charter = loaded ?? (alone?.status === 'parsed' ? new Charter(alone.data) : undefined);
  const flows = need('forms.yml') ? attempt(problems, () => formsOf(join(dir, 'forms.yml'))) : undefined;
  const trainingDir = join(dir, 'training');
  if (need('training')) attempt(problems, () => loadDataset(trainingDir));
  const read = readBundleWords(dir);
  if (read.status === 'invalid') problems.push(...read.problems);
  if (charter && flows) problems.push(...coverageProblems(charter, flows, trainingDir));
  if (read.status === 'read') problems.push(...wordProblems(read.words, charter && flows ? neededKeys(charter, flows) : DESK_KEYS));
  if (charter && existsSync(join(dir, 'articles.yml'))) {
    const articles = loadArticlesFile(join(dir, 'articles.yml'), charter);
    if (articles.status === 'invalid') problems.push(...articles.problems.map((p) => `articles.yml: ${p}`));
  }
  if (charter?.data.emblem && !existsSync(join(dir, charter.data.emblem))) problems.push(`charter.yml names the emblem ${charter.data.emblem}, which is not in the folder`);
  if (problems.length > 0 || !loaded || !flows || read.status !== 'read') throw new BundleError(dir, problems);
  const heldOut = join(dir, 'heldout.jsonl');
  return { dir, charter: loaded, flows, words: read.words, trainingDir, heldOutPath: existsSync(heldOut) ? heldOut : undefined };
}
