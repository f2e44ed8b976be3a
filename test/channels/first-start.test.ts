import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNlu } from '../../intents/train-thread.ts';
import { startTestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { openSession } from '../support/sessions.ts';

// A fresh clone has no trained intent model: `npm start` trains it (15–20 s)
// on a thread of its own while the server already serves. Each test trains
// into a temporary cache folder (NLU_CACHE_DIR), so the project's own cache
// (.cache/nlu, which the other tests use) is left as it is.

describe.each(BACKENDS)('a first start on %s', (backend) => {
  it('serves the page at once and answers a message that came before the model was trained once it is', { timeout: 240_000 }, async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'huduma-nlu-'));
    const server = await startTestServer({ backend, env: { NLU_CACHE_DIR: cacheDir } });
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'starting', reason: 'starting' });

      // A message while the model trains: held, then understood as any other (a form starts, the greeting is returned).
      const session = await openSession(server.url);
      const answer = fetch(`${server.url}/webchat/sessions/${session}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Shikamoo, barua pepe yangu haifanyi kazi tangu jana' }),
      });
      let answered = false;
      void answer.then(() => {
        answered = true;
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      const res = await answer;
      expect(res.status).toBe(200);
      const { replies } = (await res.json()) as { replies: { text: string }[] };
      expect(replies[0]?.text).toMatch(/^Marahaba, karibu! .*nitakusaidia kuhusu/);

      await server.app.ready;
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // The model went to the folder the settings name, in its bundle's own folder (one model a bundle).
      const models = readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.bin'));
      expect(models).toEqual([expect.stringMatching(/^ict-[0-9a-f]{8}[/\\][0-9a-f]{16}\.bin$/)]);
    } finally {
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('stopping during a first start', () => {
  it('ends the training thread, and whoever waits for the model hears it was stopped', { timeout: 60_000 }, async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'huduma-nlu-'));
    const model = startNlu({ cacheDir });
    expect(model.status).toBe('training');
    if (model.status !== 'training') return;
    await model.stop();
    await expect(model.ready).rejects.toThrow(/stopped/);
    expect(readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.bin'))).toEqual([]);
    rmSync(cacheDir, { recursive: true, force: true });
  });
});
