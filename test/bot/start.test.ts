import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messagesPath } from '../support/sessions.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('the server (npm start runs channels/main.ts)', () => {
  it('serves the web chat on a fresh database, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const DATABASE_PATH = join(mkdtempSync(join(tmpdir(), 'huduma-start-')), 'data', 'huduma.db');
    // Run as a service manager would (npm itself dies of the signal it forwards, so its exit code says nothing).
    const child = spawn(process.execPath, ['--import', 'tsx', 'channels/main.ts'], { cwd: root, env: { ...process.env, PORT: String(port), DATABASE_PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.stdout.on('data', (b: Buffer) => (log += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 300 && !log.includes('serving the web chat'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(log).toContain(`http://localhost:${port}`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Huduma');
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
    const reply = await fetch(`http://127.0.0.1:${port}${await messagesPath(`http://127.0.0.1:${port}`, 'start-test-1')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"habari"}',
    });
    expect(reply.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toContain('stopped');
    // Logs carry no message bodies at info level.
    expect(log).not.toContain('habari');
  });
});
