import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calibrate } from './calibrate.ts';
import { fingerprint, loadModel, saveModel } from './cache.ts';
import { DEFAULT_CLASSIFIER, IntentClassifier, type Classification, type ClassifierOptions } from './classifier.ts';
import { crossValidate } from './crossval.ts';
import { DEFAULT_DATA_DIR, loadDataset } from './dataset.ts';
import { extractEntities, type Entity } from './entities.ts';
import { languageEvidence as evidenceOf, languageOf, type Language, type LanguageEvidence } from './language.ts';
import { normalizeTokens } from './normalize.ts';

/** What Huduma understood of one message. */
export interface Understanding extends Classification {
  readonly text: string;
  readonly entities: readonly Entity[];
  readonly language: Language;
  /** How many marker words of each language the text has (the engine weighs them against the person's language). */
  readonly languageEvidence: LanguageEvidence;
}

export interface NluOptions {
  readonly dataDir?: string;
  /** Where the trained model is kept between starts; rebuilt when data or code change. */
  readonly cacheDir?: string;
  readonly referencePrefix?: string;
  readonly timeZone?: string;
  readonly defaultLanguage?: Language;
  readonly classifier?: Partial<ClassifierOptions>;
  /** How many folds choose the calibration. */
  readonly folds?: number;
}

/** "ict-3f9a0c1e": the bundle's folder name and a hash of where it is. */
const bundleTag = (dataDir: string) => `${basename(dirname(resolve(dataDir)))}-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 8)}`;

export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../.cache/nlu/', import.meta.url));

export interface Nlu {
  readonly classifier: IntentClassifier;
  /** Whether this start trained the model (false: it came from the cache). */
  readonly trained: boolean;
  understand(text: string, now: Date): Understanding;
}

/** Trains (calibrating by cross-validation) or loads the cached model, and returns the understanding pipeline. */
export function createNlu(options: NluOptions = {}): Nlu {
  return build(options, true);
}

/**
 * The understanding pipeline when its model is in the cache (a quick load),
 * undefined when it would have to be trained first (a first start, or the
 * data or code changed): see train-thread.ts.
 */
export function cachedNlu(options: NluOptions = {}): Nlu | undefined {
  return build(options, false);
}

function build(options: NluOptions, train: true): Nlu;
function build(options: NluOptions, train: boolean): Nlu | undefined;
function build(options: NluOptions, train: boolean): Nlu | undefined {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const referencePrefix = options.referencePrefix ?? DEFAULT_CLASSIFIER.referencePrefix;
  const classifierOptions: ClassifierOptions = { ...DEFAULT_CLASSIFIER, ...options.classifier, referencePrefix };
  const fp = fingerprint(dataDir, classifierOptions);
  // A folder per bundle: a model saved for one bundle does not push out another's.
  const modelDir = join(cacheDir, bundleTag(dataDir));
  let classifier = loadModel(modelDir, fp, classifierOptions);
  const trained = classifier === undefined;
  if (!classifier) {
    if (!train) return undefined;
    const examples = loadDataset(dataDir);
    const calibration = calibrate(crossValidate(examples, classifierOptions, options.folds ?? 5));
    classifier = IntentClassifier.train(examples, classifierOptions, calibration);
    saveModel(modelDir, fp, classifier);
  }
  const model = classifier;
  return {
    classifier: model,
    trained,
    understand(text, now) {
      const tokens = normalizeTokens(text, { referencePrefix });
      const languageEvidence = evidenceOf(tokens);
      const language = languageOf(languageEvidence, options.defaultLanguage ?? 'sw');
      const entities = extractEntities(text, { referencePrefix, now, timeZone: options.timeZone ?? 'Africa/Dar_es_Salaam' });
      return { text, ...model.classifyTokens(tokens), entities, language, languageEvidence };
    },
  };
}
