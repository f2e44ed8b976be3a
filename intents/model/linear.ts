import type { SparseVector } from '../features.ts';
import { seededRandom, shuffle } from './random.ts';

/** Multinomial logistic regression over sparse hashed features. */
export interface LinearOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** Features seen in fewer training examples than this get no weight: they only memorise one line, and a smaller model scores faster. */
  readonly minCount: number;
}

export const DEFAULT_LINEAR: LinearOptions = Object.freeze({ epochs: 6, learningRate: 0.1, l2: 1e-4, seed: 7, minCount: 1 });

/**
 * The weights: `rowOf` maps a hashed feature id to its row of `classes` weights
 * (-1 for a feature never seen in training, which then counts for nothing).
 */
export interface LinearWeights {
  readonly classes: number;
  readonly rowOf: Int32Array;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export function scores(model: LinearWeights, x: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  // Locals, not property reads, in the loop: this is the hot path of every message.
  const { classes: k, rowOf, weights, bias } = model;
  const { ids, values } = x;
  for (let c = 0; c < k; c++) out[c] = bias[c] as number;
  for (let i = 0; i < ids.length; i++) {
    const row = rowOf[ids[i] as number] as number;
    if (row < 0) continue;
    const v = values[i] as number;
    const base = row * k;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (weights[base + c] as number);
  }
  return out;
}

/** Softmax in place, with the scores divided by `temperature` first. */
export function softmax(s: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of s) max = Math.max(max, v / temperature);
  let sum = 0;
  for (let c = 0; c < s.length; c++) {
    const e = Math.exp((s[c] as number) / temperature - max);
    s[c] = e;
    sum += e;
  }
  for (let c = 0; c < s.length; c++) s[c] = (s[c] as number) / sum;
  return s;
}

function scoreRows(model: LinearWeights, rows: Int32Array, values: Float32Array, out: Float64Array): void {
  const k = model.classes;
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  for (let i = 0; i < rows.length; i++) {
    const base = (rows[i] as number) * k;
    const v = values[i] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (model.weights[base + c] as number);
  }
}

/** An example's features as rows of the model, without the ones that have none. */
function keptRows(x: SparseVector, rowOf: Int32Array): { rows: Int32Array; values: Float32Array } {
  const rows: number[] = [];
  const values: number[] = [];
  x.ids.forEach((id, j) => {
    const row = rowOf[id] as number;
    if (row >= 0) rows.push(row), values.push(x.values[j] as number);
  });
  return { rows: Int32Array.from(rows), values: Float32Array.from(values) };
}

function assignRows(xs: readonly SparseVector[], hashBits: number, minCount: number): { rowOf: Int32Array; rows: number } {
  const count = new Uint16Array(1 << hashBits);
  for (const x of xs) for (const id of x.ids) count[id] = Math.min(65535, (count[id] as number) + 1);
  const rowOf = new Int32Array(1 << hashBits).fill(-1);
  let rows = 0;
  for (const x of xs) for (const id of x.ids) if (rowOf[id] === -1 && (count[id] as number) >= minCount) rowOf[id] = rows++;
  return { rowOf, rows };
}

const SKIP_BELOW = 1e-2;

/** AdaGrad on the log-loss; deterministic for a given seed and data order. */
export function trainLinear(xs: readonly SparseVector[], ys: readonly number[], classes: number, hashBits: number, options: LinearOptions = DEFAULT_LINEAR): LinearWeights {
  const { rowOf, rows } = assignRows(xs, hashBits, options.minCount);
  const model: LinearWeights = { classes, rowOf, weights: new Float32Array(rows * classes), bias: new Float32Array(classes) };
  const gradSq = new Float32Array(rows * classes).fill(1e-8);
  const biasSq = new Float64Array(classes).fill(1e-8);
  const p = new Float64Array(classes);
  const active = new Int32Array(classes);
  const random = seededRandom(options.seed);
  const order = xs.map((_, i) => i);
  // Rows looked up once, not in every epoch: the 4 MB hash table is slow to hit at random.
  const kept = xs.map((x) => keptRows(x, rowOf));
  const { learningRate: lr, l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const i of shuffle(order, random)) {
      const { rows, values } = kept[i] as { rows: Int32Array; values: Float32Array };
      scoreRows(model, rows, values, p);
      softmax(p);
      p[ys[i] as number] = (p[ys[i] as number] as number) - 1; // p now holds dLoss/dScore
      for (let c = 0; c < classes; c++) {
        const g = p[c] as number;
        biasSq[c] = (biasSq[c] as number) + g * g;
        model.bias[c] = (model.bias[c] as number) - (lr * g) / Math.sqrt(biasSq[c] as number);
      }
      // Once an example is learnt most classes' errors are ~0: updating only the
      // classes still wrong keeps the results and makes training several times faster.
      let n = 0;
      for (let c = 0; c < classes; c++) if (Math.abs(p[c] as number) > SKIP_BELOW) active[n++] = c;
      for (let j = 0; j < rows.length; j++) {
        const base = (rows[j] as number) * classes;
        const v = values[j] as number;
        for (let a = 0; a < n; a++) {
          const at = base + (active[a] as number);
          const w = model.weights[at] as number;
          const g = v * (p[active[a] as number] as number) + l2 * w;
          const acc = (gradSq[at] as number) + g * g;
          gradSq[at] = acc;
          model.weights[at] = w - (lr * g) / Math.sqrt(acc);
        }
      }
    }
  }
  return model;
}
