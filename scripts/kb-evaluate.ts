// `npm run kb:evaluate [-- --file FILE.jsonl] [--dev] [--errors] [--sweep] [--json] [--timing]`
//
// Scores the two ways of matching a message to a knowledge-base article on a
// file of {"text","lang","article": id | null} lines (null: no article must
// be given): retrieval over the articles' example questions (what Huduma
// ships, bot/kb/matcher.ts), and "articles as intents" (the intent classifier
// trained with one more class per article; here only, never shipped). Both
// pass the same gates (bot/kb/decide.ts). By default the held-out file
// the bundle's kb-questions.jsonl, written apart from the articles; only
// totals are printed for it (`--errors` and `--sweep` are for the dev file:
// tuning on the held-out lines would spoil them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadCharter } from '../bot/charter/charter.ts';
import { nluOptionsOf } from '../bot/assemble.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { articlesPathBeside, loadArticlesFile, type Article } from '../bot/kb/articles.ts';
import { articleFor, gateOf, topicIntent } from '../bot/kb/decide.ts';
import { backgroundOf } from '../bot/kb/library.ts';
import { DEFAULT_MATCHER, KbMatcher, type MatcherOptions } from '../bot/kb/matcher.ts';
import { DEFAULT_CLASSIFIER, vectorize } from '../intents/classifier.ts';
import { loadDataset } from '../intents/dataset.ts';
import { scores } from '../intents/model/linear.ts';
import { trainLinear } from '../intents/model/linear.ts';
import { createNlu, type Understanding } from '../intents/nlu.ts';

const DEV = fileURLToPath(new URL('../bot/kb/dev-questions.jsonl', import.meta.url));

const args = z
  .object({
    file: z.string().optional(),
    dev: z.boolean().default(false),
    errors: z.boolean().default(false),
    sweep: z.boolean().default(false),
    json: z.boolean().default(false),
    timing: z.boolean().default(false),
  })
  .parse(
    parseArgs({ options: { file: { type: 'string' }, dev: { type: 'boolean' }, errors: { type: 'boolean' }, sweep: { type: 'boolean' }, json: { type: 'boolean' }, timing: { type: 'boolean' } } })
      .values,
  );
const config = loadConfigOrExit(process.env);
// The bundle's own questions, written apart from its articles (CHARTER / CHARTER_PATH).
const HELD_OUT = join(config.CHARTER_DIR, 'kb-questions.jsonl');
const path = args.file ?? (args.dev ? DEV : HELD_OUT);
const heldOut = path === HELD_OUT;
if (heldOut && (args.errors || args.sweep)) {
  console.error('--errors and --sweep show or tune on the lines themselves: use them with --dev (bot/kb/dev-questions.jsonl), never on the held-out file.');
  process.exit(2);
}

const line = z.object({ text: z.string().min(1), lang: z.enum(['sw', 'en']), article: z.string().nullable() }).strict();
type Line = z.infer<typeof line>;
const lines: Line[] = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l, i) => {
    const parsed = line.safeParse(JSON.parse(l));
    if (!parsed.success) throw new Error(`${path} line ${i + 1}: ${parsed.error.issues.map((x) => x.message).join(', ')}`);
    return parsed.data;
  });

const charterPath = join(config.CHARTER_DIR, 'charter.yml');
const loaded = loadArticlesFile(articlesPathBeside(charterPath), loadCharter(charterPath));
if (loaded.status === 'invalid') throw new Error(`${loaded.path}: ${loaded.problems.join('; ')}`);
const articles: readonly Article[] = loaded.articles;
const unknown = lines.filter((l) => l.article !== null && !articles.some((a) => a.id === l.article));
if (unknown.length > 0) throw new Error(`${path} names articles that do not exist: ${[...new Set(unknown.map((l) => l.article))].join(', ')}`);

const nlu = createNlu(nluOptionsOf(config));
const trainingDir = join(config.CHARTER_DIR, 'training');
const understood: Understanding[] = lines.map((l) => nlu.understand(l.text, new Date()));

type Answer = string | null;

interface Score {
  readonly method: string;
  readonly accuracy: number;
  /** Article lines given their article. */
  readonly answered: number;
  /** Article lines given another article. */
  readonly wrongArticle: number;
  /** Null lines given an article (the share that must stay low). */
  readonly nullAnswered: number;
  readonly byLanguage: Record<'sw' | 'en', number>;
  readonly errors: { text: string; expected: Answer; got: Answer }[];
}

function scoreOf(method: string, answers: readonly Answer[]): Score {
  const right = answers.map((a, i) => a === lines[i]?.article);
  const share = (keep: (l: Line) => boolean, ok: (i: number) => boolean) => {
    const idx = lines.flatMap((l, i) => (keep(l) ? [i] : []));
    return idx.length === 0 ? 0 : idx.filter(ok).length / idx.length;
  };
  return {
    method,
    accuracy: share(
      () => true,
      (i) => right[i] === true,
    ),
    answered: share(
      (l) => l.article !== null,
      (i) => right[i] === true,
    ),
    wrongArticle: share(
      (l) => l.article !== null,
      (i) => answers[i] !== null && answers[i] !== lines[i]?.article,
    ),
    nullAnswered: share(
      (l) => l.article === null,
      (i) => answers[i] !== null,
    ),
    byLanguage: {
      sw: share(
        (l) => l.lang === 'sw',
        (i) => right[i] === true,
      ),
      en: share(
        (l) => l.lang === 'en',
        (i) => right[i] === true,
      ),
    },
    errors: lines.flatMap((l, i) => (right[i] ? [] : [{ text: l.text, expected: l.article, got: answers[i] ?? null }])),
  };
}

const gated = (i: number) => gateOf(understood[i] as Understanding, lines[i]?.text ?? '') === 'open';

/** What Huduma ships (bot/kb/library.ts matcherOver), or it with other settings; without gates: the closest article over the threshold, whatever the message. */
function retrieval(options: Partial<MatcherOptions> = {}, gates = true): Answer[] {
  const matcher = new KbMatcher(articles, { ...DEFAULT_MATCHER, ...options }, backgroundOf(trainingDir), (q) => topicIntent(nlu.understand(q, new Date())));
  return lines.map((l, i) => {
    const u = understood[i] as Understanding;
    return (gates ? articleFor(matcher, u, l.text) : matcher.match(l.text))?.article.id ?? null;
  });
}

/**
 * Articles as intents: the shipped classifier's features and model, trained on
 * the intents' lines plus each article's questions as a class of its own
 * (repeated `weight` times, since an intent has ~200 lines and an article ~12).
 * An article class on top answers with that article.
 */
function articlesAsIntents(weight: number, gates = true): Answer[] {
  const dataset = loadDataset(trainingDir);
  const labels = [...new Set(dataset.map((e) => e.intent)), ...articles.map((a) => a.id)];
  const examples = [
    ...dataset.map((e) => ({ text: e.text, label: e.intent as string })),
    ...articles.flatMap((a) => [...a.questions.sw, ...a.questions.en, a.title.sw, a.title.en].flatMap((text) => Array.from({ length: weight }, () => ({ text, label: a.id })))),
  ];
  const options = { ...DEFAULT_CLASSIFIER, referencePrefix: config.REFERENCE_PREFIX };
  const model = trainLinear(
    examples.map((e) => vectorize(e.text, options)),
    examples.map((e) => labels.indexOf(e.label)),
    labels.length,
    options.features.hashBits,
    options.linear,
  );
  return lines.map((l, i) => {
    if (gates && !gated(i)) return null;
    const s = scores(model, vectorize(l.text, options));
    let best = 0;
    for (let c = 1; c < s.length; c++) if ((s[c] as number) > (s[best] as number)) best = c;
    const label = labels[best] as string;
    return articles.some((a) => a.id === label) ? label : null;
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

if (args.timing) {
  const { kbTiming } = await import('./kb-timing.ts');
  await kbTiming({ charterPath, charter: loadCharter(charterPath), articles, nlu, texts: lines.map((l) => l.text), databaseUrl: config.DATABASE_URL });
  process.exit(0);
}

if (args.sweep) {
  for (let t = 0.2; t <= 0.51; t += 0.05) {
    const s = scoreOf(`retrieval @${t.toFixed(2)}`, retrieval({ threshold: t }));
    console.log(`${s.method}: accuracy ${pct(s.accuracy)}, answered ${pct(s.answered)}, wrong article ${pct(s.wrongArticle)}, null answered ${pct(s.nullAnswered)}`);
  }
  for (const w of [1, 3, 5, 10]) {
    const s = scoreOf(`articles as intents ×${w}`, articlesAsIntents(w));
    console.log(`${s.method}: accuracy ${pct(s.accuracy)}, answered ${pct(s.answered)}, wrong article ${pct(s.wrongArticle)}, null answered ${pct(s.nullAnswered)}`);
  }
  process.exit(0);
}

// ×10 scored best of 1, 3, 5 and 10 on the dev questions (--dev --sweep).
const AAI_WEIGHT = 10;
const started = performance.now();
const retrieved = scoreOf(`retrieval (TF-IDF cosine ≥ ${DEFAULT_MATCHER.threshold}, ≥ ${DEFAULT_MATCHER.weakThreshold} on a weak intent) + gates`, retrieval());
const retrievalMs = performance.now() - started;
const aaiStarted = performance.now();
const aai = scoreOf(`articles as intents (article lines ×${AAI_WEIGHT}) + gates`, articlesAsIntents(AAI_WEIGHT));
const aaiMs = performance.now() - aaiStarted;
const results = [
  retrieved,
  aai,
  scoreOf(`retrieval alone (cosine ≥ ${DEFAULT_MATCHER.weakThreshold}, the classifier unused)`, retrieval({}, false)),
  scoreOf('articles as intents, no gates', articlesAsIntents(AAI_WEIGHT, false)),
];

const articleLines = lines.filter((l) => l.article !== null).length;
if (args.json) {
  console.log(
    JSON.stringify(
      {
        file: path,
        lines: lines.length,
        articleLines,
        nullLines: lines.length - articleLines,
        buildMs: { retrieval: Math.round(retrievalMs), articlesAsIntents: Math.round(aaiMs) },
        results: results.map(({ errors, ...s }) => (args.errors ? { ...s, errors } : s)),
      },
      null,
      2,
    ),
  );
} else {
  console.log(`Knowledge base: ${path} — ${lines.length} lines (${articleLines} with an article, ${lines.length - articleLines} that must get none), ${articles.length} articles`);
  console.log('| method | accuracy | article lines answered right | wrong article | null lines answered | sw | en |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of results)
    console.log(`| ${s.method} | ${pct(s.accuracy)} | ${pct(s.answered)} | ${pct(s.wrongArticle)} | ${pct(s.nullAnswered)} | ${pct(s.byLanguage.sw)} | ${pct(s.byLanguage.en)} |`);
  console.log(`time to build and answer all lines: retrieval ${Math.round(retrievalMs)} ms, articles as intents ${Math.round(aaiMs)} ms (a retraining)`);
  if (args.errors) for (const s of results.slice(0, 2)) for (const e of s.errors) console.log(`${s.method}\t${e.expected ?? '-'}\t${e.got ?? '-'}\t${e.text}`);
}
