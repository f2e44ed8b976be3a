import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SHIPPED_BUNDLES } from '../../../bot/charter/bundle-dir.ts';
import { BundleError, loadBundle } from '../../../bot/charter/bundle.ts';
import { loadConfig } from '../../../bot/config.ts';

// A charter bundle is data: one folder per institution. Loading checks it
// whole and names every problem, so an institution can mend its own bundle.

/** A copy of the ICT bundle, changed by `change` (files by name → edit). */
function brokenCopy(change: (dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'huduma-bundle-')), 'ict');
  cpSync(SHIPPED_BUNDLES.ict, dir, { recursive: true });
  change(dir);
  return dir;
}

// biome-ignore lint/suspicious/noExplicitAny: a YAML file's data, edited freely to break it
type Yaml = any;

function editYaml(dir: string, file: string, edit: (data: Yaml) => void): void {
  const path = join(dir, file);
  const data = parse(readFileSync(path, 'utf8'));
  edit(data);
  writeFileSync(path, stringify(data));
}

const problemsOf = (dir: string): string[] => {
  try {
    loadBundle(dir);
  } catch (e) {
    if (e instanceof BundleError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('charter bundles', () => {
  it('both shipped bundles load whole, each with its own services and reference prefix', () => {
    const ict = loadBundle(SHIPPED_BUNDLES.ict);
    expect(ict.charter.services).toContain('network_email_fault');
    expect(ict.charter.data.prefix).toBe('ICT');
    const utility = loadBundle(SHIPPED_BUNDLES.utility);
    expect(utility.charter.data.prefix).toBe('UMM');
    expect([...utility.charter.services].sort()).toEqual(
      ['billing_complaint', 'emergency_danger', 'meter_fault', 'new_connection', 'outage_schedule', 'power_outage', 'reconnection', 'token_problem', 'voltage_problem'].sort(),
    );
    expect(utility.heldOutPath).toMatch(/utility[/\\]heldout\.jsonl$/);
  });

  it('CHARTER picks a shipped bundle and its prefix; CHARTER_PATH a folder of one’s own; REFERENCE_PREFIX still wins', () => {
    expect(loadConfig({}).CHARTER_DIR).toBe(SHIPPED_BUNDLES.ict);
    expect(loadConfig({}).REFERENCE_PREFIX).toBe('ICT');
    expect(loadConfig({ CHARTER: 'utility' }).REFERENCE_PREFIX).toBe('UMM');
    expect(loadConfig({ CHARTER: 'utility', REFERENCE_PREFIX: 'TNS' }).REFERENCE_PREFIX).toBe('TNS');
    const own = brokenCopy(() => {});
    expect(loadConfig({ CHARTER_PATH: own }).CHARTER_DIR).toBe(own);
    expect(loadConfig({ CHARTER_PATH: join(own, 'charter.yml') }).CHARTER_DIR).toBe(own);
    expect(() => loadConfig({ CHARTER: 'water' })).toThrow(/CHARTER/);
    rmSync(own, { recursive: true });
  });

  it('refuses a service without a form, training data or words, naming each', () => {
    const dir = brokenCopy((d) => {
      editYaml(d, 'forms.yml', (f) => delete f.flows.security_incident);
      rmSync(join(d, 'training', 'security_incident.yml'));
      editYaml(d, 'words.en.yml', (w) => delete w.intent.security_incident);
    });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/forms\.yml: no form for the service security_incident/));
    expect(problems).toContainEqual(expect.stringMatching(/training\/: no training file for the service security_incident/));
    expect(problems).toContainEqual(expect.stringMatching(/words\.en\.yml has no intent\.security_incident/));
  });

  it('refuses a form or training file for a service no charter line offers, and a missing conversation intent', () => {
    const dir = brokenCopy((d) => {
      editYaml(d, 'charter.yml', (c) => {
        c.lines = c.lines.filter((l: { intent: string }) => l.intent !== 'project_implementation');
      });
      rmSync(join(d, 'training', 'greeting.yml'));
    });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/forms\.yml: a form for project_implementation, which no charter line offers/));
    expect(problems).toContainEqual(expect.stringMatching(/training\/project_implementation\.yml: .*no charter line offers it/));
    expect(problems).toContainEqual(expect.stringMatching(/no examples for: greeting/));
  });

  it('refuses words that name the desk in one language only, a missing emblem and a bad prefix', () => {
    const dir = brokenCopy((d) => {
      editYaml(d, 'words.sw.yml', (w) => delete w.webchat.title);
      editYaml(d, 'charter.yml', (c) => {
        c.emblem = 'nembo.svg';
        c.prefix = 'ict';
      });
    });
    const problems = problemsOf(dir).join('\n');
    expect(problems).toMatch(/words\.sw\.yml has no webchat\.title/);
    expect(problems).toMatch(/words\.sw\.yml lacks what words\.en\.yml says: webchat\.title/);
    expect(problems).toMatch(/prefix: must be 2 to 6 capital letters/);
  });

  it('a folder that is not there is named', () => {
    expect(problemsOf('/nowhere/bundle')).toEqual([expect.stringMatching(/no such folder/)]);
  });
});
