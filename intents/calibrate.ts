import { decide, type Calibration } from './classifier.ts';
import type { OutOfFold } from './crossval.ts';
import { score, type Report } from './metrics.ts';
import { softmax } from './model/linear.ts';

function negativeLogLikelihood(oof: OutOfFold, temperature: number): number {
  let nll = 0;
  const index = new Map(oof.labels.map((l, i) => [l, i]));
  oof.examples.forEach((e, i) => {
    const p = softmax(Float64Array.from(oof.logits[i] as Float64Array), temperature);
    nll -= Math.log(Math.max(1e-12, p[index.get(e.intent) ?? -1] ?? 0));
  });
  return nll / oof.examples.length;
}

/** Temperature scaling: the T that makes out-of-fold confidences honest (least log-loss). */
export function fitTemperature(oof: OutOfFold): number {
  // Golden-section search on log T; the log-loss is unimodal in T.
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (negativeLogLikelihood(oof, Math.exp(a)) < negativeLogLikelihood(oof, Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** Out-of-fold scores when messages below the calibration's threshold are treated as out of scope. */
export function scoreAt(oof: OutOfFold, calibration: Calibration): Report {
  return score(
    oof.examples.map((e) => e.intent),
    oof.logits.map((l) => decide(l, calibration, oof.labels).intent),
  );
}

/**
 * Temperature first, then the out-of-scope threshold with the best out-of-fold
 * macro-F1 (accuracy breaks ties, then the lower threshold). Macro-F1 rather than
 * accuracy: it weighs out_of_scope's precision like any other intent's, so the
 * threshold also stops doubtful messages from starting a wrong service flow.
 */
export function calibrate(oof: OutOfFold): Calibration {
  const temperature = fitTemperature(oof);
  let best: Calibration = { temperature, threshold: 0 };
  let bestScore = scoreAt(oof, best);
  for (let t = 5; t < 90; t++) {
    const candidate = { temperature, threshold: t / 100 };
    const s = scoreAt(oof, candidate);
    const better = s.macroF1 > bestScore.macroF1 + 1e-9 || (Math.abs(s.macroF1 - bestScore.macroF1) <= 1e-9 && s.accuracy > bestScore.accuracy + 1e-9);
    if (better) {
      best = candidate;
      bestScore = s;
    }
  }
  return best;
}
