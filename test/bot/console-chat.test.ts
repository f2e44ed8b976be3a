import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run chat', () => {
  it('files a request from the terminal, on the same engine and database', () => {
    const DATABASE_PATH = join(mkdtempSync(join(tmpdir(), 'huduma-chat-')), 'huduma.db');
    const input = ['barua pepe yangu haifanyi kazi tangu jana', 'Masjala, jengo A', '0754 123 456', 'ndiyo', ''].join('\n');
    const run = spawnSync('npm', ['run', '--silent', 'chat'], { cwd: root, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATABASE_PATH } });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Huduma kwenye terminal');
    expect(run.stdout).toMatch(/Namba yake ni ICT-\d{4}-000001/);
    expect(run.stdout).toContain('Asante, kwaheri.');
  });
});
