import type { IntentId } from './ids.ts';

export interface IntentScore {
  readonly intent: IntentId;
  readonly support: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Confusion {
  readonly expected: IntentId;
  readonly predicted: IntentId;
  readonly count: number;
}

export interface Report {
  readonly total: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perIntent: readonly IntentScore[];
  readonly confusions: readonly Confusion[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Accuracy, macro-F1 over the intents present, per-intent scores and the most confused pairs. */
export function score(expected: readonly IntentId[], predicted: readonly IntentId[]): Report {
  const pairs = new Map<string, number>();
  let correct = 0;
  expected.forEach((e, i) => {
    const p = predicted[i] as IntentId;
    if (e === p) correct++;
    else pairs.set(`${e}\t${p}`, (pairs.get(`${e}\t${p}`) ?? 0) + 1);
  });
  const perIntent = [...new Set(expected)].sort().map((intent): IntentScore => {
    const tp = expected.filter((e, i) => e === intent && predicted[i] === intent).length;
    const support = expected.filter((e) => e === intent).length;
    const guessed = predicted.filter((p) => p === intent).length;
    const precision = ratio(tp, guessed);
    const recall = ratio(tp, support);
    return { intent, support, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
  });
  const confusions = [...pairs]
    .map(([key, count]) => {
      const [e, p] = key.split('\t') as [IntentId, IntentId];
      return { expected: e, predicted: p, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  return {
    total: expected.length,
    accuracy: ratio(correct, expected.length),
    macroF1: ratio(
      perIntent.reduce((s, x) => s + x.f1, 0),
      perIntent.length,
    ),
    perIntent,
    confusions,
  };
}

/** Expected calibration error: how far stated confidence is from observed accuracy, over 10 bins. */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): number {
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const idx = confidences.flatMap((c, i) => (Math.min(bins - 1, Math.floor(c * bins)) === b ? [i] : []));
    if (idx.length === 0) continue;
    const conf = idx.reduce((s, i) => s + (confidences[i] as number), 0) / idx.length;
    const acc = idx.filter((i) => correct[i]).length / idx.length;
    ece += (idx.length / confidences.length) * Math.abs(conf - acc);
  }
  return ece;
}
