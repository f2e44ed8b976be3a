import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ICT_INTENTS as INTENT_IDS } from '../support/ict.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = (args: string[], input = '', env: Record<string, string> = {}) => spawnSync('npm', args, { cwd: root, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });

describe('npm run --silent classify', () => {
  it('writes one JSON object per input line, as the contract says', () => {
    const run = npm(['run', '--silent', 'classify'], 'nmesahau password ya hrmis\n\nnipigie 0754 123 456, ombi ICT-2026-000123\r\nhabari\n');
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3); // blank lines are skipped
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['text', 'intent', 'confidence', 'entities']));
      expect(INTENT_IDS).toContain(l.intent);
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
    }
    expect(lines[0]).toMatchObject({ text: 'nmesahau password ya hrmis', intent: 'mis_password_reset' });
    expect(lines[1].entities.map((e: { type: string; value: string }) => [e.type, e.value])).toEqual([
      ['phone', '+255754123456'],
      ['reference', 'ICT-2026-000123'],
    ]);
    expect(lines[2]).toMatchObject({ text: 'habari', intent: 'greeting' });
  });

  it('honours CHARTER: the utility bundle’s intents and its UMM references', () => {
    const run = npm(['run', '--silent', 'classify'], 'umeme umekatika Sinza tangu asubuhi\nnguzo imeanguka na waya uko chini\nombi UMM-2026-000042 limefikia wapi\n', { CHARTER: 'utility' });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.intent)).toEqual(['power_outage', 'emergency_danger', 'check_status']);
    expect(lines[2].entities).toContainEqual(expect.objectContaining({ type: 'reference', value: 'UMM-2026-000042' }));
  });

  it('stops with a clear message when a setting is wrong', () => {
    const run = spawnSync('npm', ['run', '--silent', 'classify'], { cwd: root, input: 'habari\n', encoding: 'utf8', env: { ...process.env, REFERENCE_PREFIX: 'ict-!' } });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/REFERENCE_PREFIX: must be 2 to 6 capital letters/);
  });
});

describe('npm run nlu:evaluate', () => {
  it('scores a held-out file given with --test', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huduma-eval-'));
    const file = join(dir, 'few.jsonl');
    writeFileSync(file, ['{"text":"habari za jioni","intent":"greeting"}', '{"text":"printa imekufa kabisa","intent":"equipment_repair"}', ''].join('\n'));
    const run = npm(['run', 'nlu:evaluate', '--', '--test', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/accuracy\s+1\.000\s+macro-F1\s+1\.000\s+examples\s+2/);
    expect(run.stdout).toMatch(/greeting\s+1\.000\s+1\.000\s+1\.000\s+1/);
  });

  it('scores the utility bundle’s held-out file, written apart, at or above 0.92 (CHARTER=utility --heldout)', () => {
    const run = npm(['run', 'nlu:evaluate', '--', '--heldout'], '', { CHARTER: 'utility' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/utility[/\\]heldout\.jsonl \(300 lines\)/);
    const accuracy = Number(/accuracy\s+([\d.]+)/.exec(run.stdout)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.92);
    expect(run.stdout).toMatch(/^power_outage\s/m);
  });

  it('prints a k-fold cross-validation report with per-intent scores and confused pairs', () => {
    const run = npm(['run', 'nlu:evaluate', '--', '--folds', '3']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/3-fold cross-validation on \d+ training examples/);
    expect(run.stdout).toMatch(/accuracy\s+0\.\d{3}\s+macro-F1\s+0\.\d{3}/);
    expect(run.stdout).toMatch(/calibration: temperature [\d.]+, out-of-scope threshold [\d.]+/);
    for (const id of INTENT_IDS) expect(run.stdout).toMatch(new RegExp(`^${id}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+\\d+$`, 'm'));
    expect(run.stdout).toMatch(/most confused \(expected → predicted: count\)\n {2}\w+ → \w+: \d+/);
  });

  it('says what is wrong with a bad test file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huduma-eval-'));
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"text":"habari","intent":"salamu"}\n');
    const run = npm(['run', 'nlu:evaluate', '--', '--test', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 1: the intent salamu is not one the model knows/);
  });
});
