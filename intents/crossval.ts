import { IntentClassifier, labelsOf, type ClassifierOptions } from './classifier.ts';
import type { IntentId } from './ids.ts';
import type { Example } from './dataset.ts';
import { seededRandom, shuffle } from './model/random.ts';

/** Stratified folds: every intent is spread evenly over the k folds, the same way on every run. */
export function stratifiedFolds(examples: readonly Example[], k: number, seed = 11): number[] {
  const fold = new Array<number>(examples.length).fill(0);
  const byIntent = new Map<string, number[]>();
  for (const [i, e] of examples.entries()) byIntent.set(e.intent, [...(byIntent.get(e.intent) ?? []), i]);
  const random = seededRandom(seed);
  let next = 0;
  for (const key of [...byIntent.keys()].sort()) {
    for (const i of shuffle(byIntent.get(key) ?? [], random)) fold[i] = next++ % k;
  }
  return fold;
}

export interface OutOfFold {
  readonly examples: readonly Example[];
  /** Each example's raw scores from the model that did not see it. */
  readonly logits: readonly Float64Array[];
  /** The intent of each score. */
  readonly labels: readonly IntentId[];
}

/** k-fold cross-validation: train on k-1 folds, score the one left out. */
export function crossValidate(examples: readonly Example[], options: ClassifierOptions, k = 5): OutOfFold {
  const fold = stratifiedFolds(examples, k);
  const logits = new Array<Float64Array>(examples.length);
  const labels = labelsOf(examples);
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const model = IntentClassifier.train(train, options, undefined, labels);
    examples.forEach((e, i) => {
      if (fold[i] === f) logits[i] = model.logits(e.text);
    });
  }
  return { examples, logits, labels };
}
