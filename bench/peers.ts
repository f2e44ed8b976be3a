// The classifiers we compare ours with, behind one small interface.
import { createRequire } from 'node:module';
import type { Example } from '../intents/dataset.ts';

const require = createRequire(import.meta.url);

export interface Peer {
  readonly name: string;
  train(examples: readonly Example[]): Promise<(text: string) => Promise<string>>;
}

interface NaturalClassifier {
  addDocument(text: string, label: string): void;
  train(): void;
  classify(text: string): string;
}

// natural's classifiers are loaded from their own files: the package index
// loads every module natural has (and prints dotenv banners on stdout).
const NaturalBayes = require('natural/lib/natural/classifiers/bayes_classifier.js') as new () => NaturalClassifier;
const NaturalLogistic = require('natural/lib/natural/classifiers/logistic_regression_classifier.js') as new () => NaturalClassifier;

function natural(name: string, Classifier: new () => NaturalClassifier): Peer {
  return {
    name,
    async train(examples) {
      const c = new Classifier();
      for (const e of examples) c.addDocument(e.text, e.intent);
      c.train();
      return async (text) => c.classify(text);
    },
  };
}

/** natural's BayesClassifier with its default tokenizer (Porter stemmer, English). */
export const naturalBayes = natural('natural BayesClassifier (default tokenizer)', NaturalBayes);
export const naturalLogistic = natural('natural LogisticRegressionClassifier', NaturalLogistic);

interface NlpJs {
  addDocument(locale: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, text: string): Promise<{ intent: string; score: number }>;
}

/** nlp.js (@nlpjs/nlp) with its defaults; it has no Swahili stemmer, so 'sw' uses its generic tokenizer. */
export const nlpJs: Peer = {
  name: '@nlpjs/nlp 4 (defaults)',
  async train(examples) {
    const { Nlp } = require('@nlpjs/nlp') as { Nlp: new (settings: object) => NlpJs };
    const nlp = new Nlp({ languages: ['sw'], autoSave: false, autoLoad: false, nlu: { log: false }, log: false });
    for (const e of examples) nlp.addDocument('sw', e.text, e.intent);
    await nlp.train();
    return async (text) => {
      const r = await nlp.process('sw', text);
      return r.intent === 'None' ? 'out_of_scope' : r.intent;
    };
  },
};
