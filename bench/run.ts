// `npm run bench`: runs the benchmarks, prints what it measures, and rewrites
// its sections of BENCHMARKS.md. `-- --quick` skips the slow natural LR timing.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCommit, commitMarkdown } from './commit.ts';
import { benchNlu, nluMarkdown } from './nlu.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
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

let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nEvery figure here is written by `npm run bench` on the machine named in its section.\n';
if (wanted('nlu')) {
  const nlu = await benchNlu(log, { naturalLogistic: !values.quick });
  doc = putSection(doc, 'nlu', `## Intent classifier\n\nReproduce: \`npm run bench\`. Machine: ${machine}.\n\n${nluMarkdown(nlu)}`);
}
if (wanted('commit')) {
  log('group commit');
  const commit = await benchCommit(log);
  doc = putSection(doc, 'commit', `## Group commit\n\nReproduce: \`npm run bench -- --only commit\`. Machine: ${machine}.\n\n${commitMarkdown(commit)}`);
}
writeFileSync(FILE, doc);
log(`\nwrote ${FILE}`);
