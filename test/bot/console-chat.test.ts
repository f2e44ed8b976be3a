import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../bot/console-chat.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { createNlu } from '../../intents/nlu.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let said = '';
  output.on('data', (b: Buffer) => (said += b.toString()));
  const done = runConsoleChat({ input, output, understand: createNlu().understand, clock: new ManualClock('2026-11-23T07:00:00Z'), defaultLocale: 'sw' });
  input.end(lines.join('\n'));
  await done;
  return said;
}

describe('the terminal chat (npm start, until the web chat exists)', () => {
  it('answers in the language the person wrote in', async () => {
    const said = await chat(['barua pepe yangu haifanyi kazi tangu jana', 'my laptop screen is cracked, call me on 0754 123 456']);
    expect(said).toContain('Nimeelewa: Hitilafu ya mtandao au barua pepe');
    expect(said).toContain('Taarifa nilizozipata: Tarehe 2026-11-22');
    expect(said).toContain('Understood: Repair of broken equipment');
    expect(said).toContain('Phone number +255754123456');
  });

  it('says politely when a message is not about its services', async () => {
    expect(await chat(['token za luku hazijaingia'])).toContain('Samahani, ujumbe huu hauhusu huduma za TEHAMA tunazotoa.');
  });

  it('runs as `npm start` on a fresh checkout', () => {
    const run = spawnSync('npm', ['start'], { cwd: root, input: 'habari za asubuhi\n', encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Nimeelewa: Salamu');
    expect(run.stdout).toContain('Asanteni, kwaheri.');
  });
});
