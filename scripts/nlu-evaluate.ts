// `npm run nlu:evaluate [-- --folds 5] [-- --test FILE.jsonl | --heldout] [--json]`
// On the charter bundle the settings choose (CHARTER / CHARTER_PATH); --heldout scores its heldout.jsonl.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { nluOptionsOf } from '../bot/assemble.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { calibrate } from '../intents/calibrate.ts';
import { decide, DEFAULT_CLASSIFIER, type Classification } from '../intents/classifier.ts';
import { crossValidate } from '../intents/crossval.ts';
import { DatasetError, loadDataset, loadJsonl, type Example } from '../intents/dataset.ts';
import { expectedCalibrationError, score } from '../intents/metrics.ts';
import { createNlu } from '../intents/nlu.ts';
import { formatReport } from '../intents/report.ts';

const args = z
  .object({
    folds: z.coerce.number().int().min(2).max(20).default(5),
    test: z.string().optional(),
    heldout: z.boolean().default(false),
    json: z.boolean().default(false),
    errors: z.boolean().default(false),
  })
  .parse(parseArgs({ options: { folds: { type: 'string' }, test: { type: 'string' }, heldout: { type: 'boolean' }, json: { type: 'boolean' }, errors: { type: 'boolean' } } }).values);
const config = loadConfigOrExit(process.env);
const options = { ...DEFAULT_CLASSIFIER, referencePrefix: config.REFERENCE_PREFIX };
const nluOptions = nluOptionsOf(config);

/** Scores, calibration error and the lines got wrong, for any set of decisions. */
function evaluation(examples: readonly Example[], decisions: readonly Classification[]) {
  const report = score(
    examples.map((e) => e.intent),
    decisions.map((d) => d.intent),
  );
  const right = decisions.map((d, i) => d.intent === examples[i]?.intent);
  const ece = expectedCalibrationError(
    decisions.map((d) => d.confidence),
    right,
  );
  const errors = examples.flatMap((e, i) => (right[i] ? [] : [{ ...e, predicted: decisions[i]?.intent }]));
  return { report, ece, errors };
}

function crossValidation() {
  const examples = loadDataset(nluOptions.dataDir);
  const oof = crossValidate(examples, options, args.folds);
  const calibration = calibrate(oof);
  const title = `Huduma NLU: ${args.folds}-fold cross-validation on ${examples.length} training examples`;
  return {
    ...evaluation(
      examples,
      oof.logits.map((l) => decide(l, calibration, oof.labels)),
    ),
    calibration,
    title,
  };
}

function heldOut(file: string) {
  const nlu = createNlu(nluOptions);
  const examples = loadJsonl(file, new Set(nlu.classifier.labels));
  const title = `Huduma NLU: ${file} (${examples.length} lines), model trained on all training data`;
  return {
    ...evaluation(
      examples,
      examples.map((e) => nlu.classifier.classify(e.text)),
    ),
    calibration: nlu.classifier.calibration,
    title,
  };
}

try {
  const test = args.test ?? (args.heldout ? join(config.CHARTER_DIR, 'heldout.jsonl') : undefined);
  const result = test ? heldOut(test) : crossValidation();
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatReport(result.report, result));
  // Each line the model got wrong, for whoever writes the training data.
  if (args.errors && !args.json) for (const e of result.errors) console.log(`${e.intent} → ${e.predicted}\t${e.text}`);
} catch (e) {
  if (!(e instanceof DatasetError)) throw e;
  console.error(`The data is not valid: ${e.message}`);
  process.exitCode = 1;
}
