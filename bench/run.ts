// `npm run bench`: runs the benchmarks, prints what it measures, and rewrites
// its sections of BENCHMARKS.md. `-- --quick` skips the slow natural LR timing;
// `-- --only NAME[,NAME]` runs some (nlu, commit, pipeline, backends, paced,
// webhook, sla, growth); `-- --rounds N` sets the backends benchmark's rounds (3).
// The PostgreSQL parts (commit, backends, paced) use HUDUMA_TEST_PG_URL when it is
// set, else start a throwaway cluster (scripts/pg-throwaway.sh), else skip.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCommit, commitMarkdown } from './commit.ts';
import { benchNlu, nluMarkdown } from './nlu.ts';
import { benchPipeline, pipelineMarkdown } from './pipeline.ts';
import { benchBackends } from './backends.ts';
import { backendsMarkdown } from './backends-report.ts';
import { benchPaced, pacedMarkdown } from './paced.ts';
import { benchWebhook, webhookMarkdown } from './webhook.ts';
import { benchSla, slaMarkdown } from './sla-scale.ts';
import { benchGrowth, growthMarkdown } from './growth.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, rounds: { type: 'string' } } });
const FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const log = (s: string) => console.log(s);

/** Replaces (or appends) the section between `<!-- bench:NAME -->` markers. */
function putSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body}\n${end}`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  return a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const wanted = (name: string) => values.only === undefined || values.only.split(',').includes(name);

// Sections are collected and written at the end into the file as it is then (others may edit it meanwhile).
const sections: [string, string][] = [];
const doc = { set: (name: string, body: string) => sections.push([name, body]) };
if (wanted('nlu')) {
  const nlu = await benchNlu(log, { naturalLogistic: !values.quick });
  doc.set('nlu', `## Intent classifier\n\nReproduce: \`npm run bench\`. Machine: ${machine}.\n\n${nluMarkdown(nlu)}`);
}
/** Which code was measured: the commit, and the files changed but not committed (outside bench/ and BENCHMARKS.md). */
function tree(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.slice(3).trim())
      .filter((f) => f !== '' && !f.startsWith('bench/') && f !== 'BENCHMARKS.md');
    const changes = dirty.length > 8 ? `${dirty.length} files (${dirty.slice(0, 4).join(', ')}, …)` : dirty.join(', ');
    return `Code: commit ${head}${dirty.length > 0 ? ` with uncommitted changes to ${changes}` : ''}.`;
  } catch {
    return '';
  }
}
// The end-to-end benchmarks share the machine with whatever else runs on it: the load average is written beside them.
const load = () => `Load average (1 min) when it started: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores. ${tree()}`;
if (wanted('commit')) {
  log('commits (group commit on SQLite, a transaction per turn on PostgreSQL)');
  const before = load();
  const commit = await benchCommit(log);
  doc.set(
    'commit',
    `## Commits: one per message, and the store's inbox\n\nReproduce: \`npm run bench -- --only commit\` (PostgreSQL as for the backends section). Machine: ${machine}. ${before}\n\n${commitMarkdown(commit)}`,
  );
}
if (wanted('pipeline')) {
  log('pipeline (web chat over HTTP, real server process)');
  const before = load();
  const r = await benchPipeline(log);
  doc.set('pipeline', `## Whole pipeline over HTTP\n\nReproduce: \`npm run bench -- --only pipeline\`. Machine: ${machine}. ${before}\n\n${pipelineMarkdown(r)}`);
}
if (wanted('backends')) {
  log('backends: SQLite, PostgreSQL (one instance, two), web chat over HTTP');
  const before = load();
  const r = await benchBackends(log, { rounds: values.rounds === undefined ? undefined : Number(values.rounds) });
  const pg = ' (PostgreSQL: the server HUDUMA_TEST_PG_URL names; unset, a throwaway cluster it starts with `scripts/pg-throwaway.sh` and stops; without PostgreSQL installed, that part is skipped)';
  doc.set('backends', `## SQLite and PostgreSQL, new web chat conversations\n\nReproduce: \`npm run bench -- --only backends\`${pg}. Machine: ${machine}. ${before}\n\n${backendsMarkdown(r)}`);
}
if (wanted('paced')) {
  log('latency at a set pace: SQLite, PostgreSQL (one instance), web chat over HTTP');
  const before = load();
  const r = await benchPaced(log);
  doc.set('paced', `## Latency at a set pace\n\nReproduce: \`npm run bench -- --only paced\` (PostgreSQL as for the backends section). Machine: ${machine}. ${before}\n\n${pacedMarkdown(r)}`);
}
if (wanted('webhook')) {
  log('telegram webhook path');
  const before = load();
  const r = await benchWebhook(log);
  doc.set('webhook', `## Telegram webhook path\n\nReproduce: \`npm run bench -- --only webhook\`. Machine: ${machine}. ${before}\n\n${webhookMarkdown(r)}`);
}
if (wanted('sla')) {
  log('SLA sweep at scale');
  const before = load();
  const r = await benchSla(log);
  doc.set('sla', `## SLA sweep at scale\n\nReproduce: \`npm run bench -- --only sla\`. Machine: ${machine}. ${before}\n\n${slaMarkdown(r)}`);
}
if (wanted('growth')) {
  log('cost growth with stored requests');
  const before = load();
  const r = await benchGrowth(log);
  doc.set('growth', `## Cost growth with stored requests\n\nReproduce: \`npm run bench -- --only growth\`. Machine: ${machine}. ${before}\n\n${growthMarkdown(r)}`);
}
let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nEvery figure here is written by `npm run bench` on the machine named in its section.\n';
for (const [name, body] of sections) text = putSection(text, name, body);
writeFileSync(FILE, text);
log(`\nwrote ${FILE}`);
