import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { IntentClassifier, type ClassifierOptions } from './classifier.ts';
import type { LinearWeights } from './model/linear.ts';

const MAGIC = 'HUDUMA-NLU-2\n';
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Everything a trained model depends on: the data, the lexicons, the code and the options. */
export function fingerprint(dataDir: string, options: ClassifierOptions): string {
  const hash = createHash('sha256').update(JSON.stringify(options));
  const add = (dir: string, ext: RegExp) => {
    for (const f of readdirSync(dir)
      .filter((n) => ext.test(n))
      .sort())
      hash.update(f).update(readFileSync(join(dir, f)));
  };
  add(dataDir, /\.ya?ml$/);
  add(join(HERE, 'lexicon'), /\.ya?ml$/);
  add(HERE, /\.ts$/);
  add(join(HERE, 'model'), /\.ts$/);
  return hash.digest('hex').slice(0, 16);
}

const header = z.object({
  fingerprint: z.string(),
  calibration: z.object({ temperature: z.number().positive(), threshold: z.number().min(0).max(1) }),
  classes: z.number().int().positive(),
  labels: z.array(z.string()).min(1),
  hashBits: z.number().int().min(8).max(26),
  rows: z.number().int().nonnegative(),
});

/** Writes the model as a small binary file: a JSON header, then the feature ids and weights. */
export function saveModel(dir: string, fp: string, model: IntentClassifier): void {
  mkdirSync(dir, { recursive: true });
  const w = model.weights;
  const ids = new Uint32Array(w.weights.length / w.classes);
  w.rowOf.forEach((row, id) => {
    if (row >= 0) ids[row] = id;
  });
  const head = Buffer.from(JSON.stringify({ fingerprint: fp, calibration: model.calibration, classes: w.classes, labels: model.labels, hashBits: model.options.features.hashBits, rows: ids.length }));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length);
  const body = [Buffer.from(MAGIC), size, head, Buffer.from(ids.buffer), Buffer.from(w.weights.buffer, w.weights.byteOffset, w.weights.byteLength), Buffer.from(w.bias.buffer)];
  // Written aside and renamed: a reader never sees half a file, even with two trainers at once.
  const tmp = join(dir, `.${fp}.${process.pid}.tmp`);
  writeFileSync(tmp, Buffer.concat(body));
  renameSync(tmp, join(dir, `${fp}.bin`));
  for (const old of readdirSync(dir).filter((n) => n.endsWith('.bin') && n !== `${fp}.bin`)) rmSync(join(dir, old), { force: true });
}

/** The cached model for this fingerprint, or undefined when there is none (or it is unreadable). */
export function loadModel(dir: string, fp: string, options: ClassifierOptions): IntentClassifier | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, `${fp}.bin`));
  } catch {
    return undefined;
  }
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) return undefined;
  let at = MAGIC.length;
  const headLength = buf.readUInt32LE(at);
  at += 4;
  const parsed = header.safeParse(JSON.parse(buf.subarray(at, at + headLength).toString()));
  if (!parsed.success || parsed.data.fingerprint !== fp) return undefined;
  at += headLength;
  const { rows, classes, hashBits, calibration, labels } = parsed.data;
  if (labels.length !== classes) return undefined;
  const copy = (bytes: number) => {
    const out = new Uint8Array(bytes);
    out.set(buf.subarray(at, at + bytes));
    at += bytes;
    return out.buffer;
  };
  const ids = new Uint32Array(copy(rows * 4));
  const weights = new Float32Array(copy(rows * classes * 4));
  const bias = new Float32Array(copy(classes * 4));
  if (at !== buf.length) return undefined;
  const rowOf = new Int32Array(1 << hashBits).fill(-1);
  for (const [row, id] of ids.entries()) rowOf[id] = row;
  const linear: LinearWeights = { classes, rowOf, weights, bias };
  return new IntentClassifier(linear, calibration, options, labels);
}
