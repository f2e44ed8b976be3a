import type { Example } from './dataset.ts';
import { DEFAULT_FEATURES, extractFeatures, type FeatureConfig, type SparseVector } from './features.ts';
import { FALLBACK_INTENT, type IntentId } from './ids.ts';
import { DEFAULT_LINEAR, scores, softmax, trainLinear, type LinearOptions, type LinearWeights } from './model/linear.ts';
import { FastScorer } from './model/scorer.ts';
import { normalizeTokens } from './normalize.ts';

export interface Ranked {
  readonly intent: IntentId;
  readonly confidence: number;
}

/**
 * What the classifier concluded. `decided: 'threshold'` means no intent was
 * likely enough, so the message is treated as out of scope; the ranking still
 * says what it might have been ("did you mean A or B?"). `'no_evidence'`: not
 * one word or letter group of the message was ever seen in training ("???", "🙂").
 */
export interface Classification {
  readonly intent: IntentId;
  readonly confidence: number;
  readonly decided: 'model' | 'threshold' | 'no_evidence';
  readonly ranking: readonly Ranked[];
}

/** How confidences are made honest: chosen by cross-validation (calibrate.ts). */
export interface Calibration {
  readonly temperature: number;
  readonly threshold: number;
}

export const UNCALIBRATED: Calibration = Object.freeze({ temperature: 1, threshold: 0 });

export interface ClassifierOptions {
  readonly features: FeatureConfig;
  readonly linear: LinearOptions;
  readonly referencePrefix: string;
}

export const DEFAULT_CLASSIFIER: ClassifierOptions = Object.freeze({
  features: DEFAULT_FEATURES,
  linear: DEFAULT_LINEAR,
  referencePrefix: 'ICT',
});

/** The intents a model tells apart, in the order of its scores: those of its training data, sorted. */
export const labelsOf = (examples: readonly Example[]): readonly IntentId[] => [...new Set(examples.map((e) => e.intent))].sort();

export class IntentClassifier {
  private readonly scorer: FastScorer;

  constructor(
    readonly weights: LinearWeights,
    readonly calibration: Calibration,
    readonly options: ClassifierOptions,
    /** The intent of each score (the charter bundle's intents). */
    readonly labels: readonly IntentId[],
  ) {
    if (labels.length !== weights.classes) throw new Error(`a model of ${weights.classes} intents was given ${labels.length} names`);
    this.scorer = new FastScorer(weights, options.features);
  }

  /** `labels`: every intent the model must score (cross-validation passes the whole set's, as a fold may lack one). */
  static train(examples: readonly Example[], options: ClassifierOptions = DEFAULT_CLASSIFIER, calibration = UNCALIBRATED, labels = labelsOf(examples)): IntentClassifier {
    const index = new Map(labels.map((l, i) => [l, i]));
    const xs = examples.map((e) => vectorize(e.text, options));
    const ys = examples.map((e) => index.get(e.intent) ?? -1);
    if (ys.includes(-1)) throw new Error('an example has an intent outside the labels');
    const weights = trainLinear(xs, ys, labels.length, options.features.hashBits, options.linear);
    return new IntentClassifier(weights, calibration, options, labels);
  }

  withCalibration(calibration: Calibration): IntentClassifier {
    return new IntentClassifier(this.weights, calibration, this.options, this.labels);
  }

  /** Raw scores before the softmax: what calibration works on. */
  logits(text: string): Float64Array {
    return scores(this.weights, vectorize(text, this.options));
  }

  classify(text: string): Classification {
    return this.classifyTokens(normalizeTokens(text, { referencePrefix: this.options.referencePrefix }));
  }

  /** For callers that already normalized the message (see normalizeTokens). */
  classifyTokens(tokens: readonly string[]): Classification {
    const { logits, known } = this.scorer.score(tokens);
    const decision = decide(logits, this.calibration, this.labels);
    return known ? decision : { ...decision, intent: FALLBACK_INTENT, confidence: 1, decided: 'no_evidence' };
  }
}

export function vectorize(text: string, options: ClassifierOptions): SparseVector {
  return extractFeatures(normalizeTokens(text, { referencePrefix: options.referencePrefix }), options.features);
}

/** How close the two best intents may be before the bot asks which one was meant. */
export const CLOSE_CALL_MARGIN = 0.2;

/**
 * The two intents to offer ("did you mean A or B?") when the best two are
 * within `margin` of each other; undefined when the answer is clear.
 */
export function closeCall(c: Classification, margin = CLOSE_CALL_MARGIN): readonly [Ranked, Ranked] | undefined {
  const [first, second] = c.ranking;
  if (!first || !second || c.decided === 'no_evidence') return undefined;
  return first.confidence - second.confidence < margin ? [first, second] : undefined;
}

/** From raw scores to a decision under a calibration. */
export function decide(logits: Float64Array, calibration: Calibration, labels: readonly IntentId[]): Classification {
  const probs = softmax(Float64Array.from(logits), calibration.temperature);
  // Insertion sort of ~20 indices: cheaper than Array#sort with a comparator, on every message.
  const order = new Int32Array(probs.length);
  for (let i = 0; i < probs.length; i++) {
    let j = i;
    while (j > 0 && (probs[order[j - 1] as number] as number) < (probs[i] as number)) {
      order[j] = order[j - 1] as number;
      j--;
    }
    order[j] = i;
  }
  const ranking: Ranked[] = Array.from(order, (i) => ({ intent: labels[i] as IntentId, confidence: probs[i] as number }));
  const top = ranking[0] as Ranked;
  if (top.intent !== FALLBACK_INTENT && top.confidence < calibration.threshold) {
    return { intent: FALLBACK_INTENT, confidence: 1 - top.confidence, decided: 'threshold', ranking };
  }
  return { intent: top.intent, confidence: top.confidence, decided: 'model', ranking };
}
