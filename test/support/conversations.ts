import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { startTestServer, type TestServer } from './app.ts';
import { BACKENDS } from './databases.ts';
import { messagesPath } from './sessions.ts';

// Each file in test/conversations/<bundle>/ is one scenario: what a person
// says and what the bot's answer must (or must not) contain, run over HTTP
// against a real server of that charter bundle on each database (a SQLite
// file, a PostgreSQL database). A new flow gets a new file, not new code.
const step = z.union([
  z
    .object({
      say: z.string(),
      as: z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,64}$/)
        .optional(),
      expect: z.array(z.string()).default([]),
      not: z.array(z.string()).default([]),
      options: z.array(z.string()).optional(),
    })
    .strict(),
  z.object({ restart: z.literal(true) }).strict(),
  z.object({ advance_hours: z.number() }).strict(),
]);
const scenario = z.object({ name: z.string(), now: z.string().optional(), steps: z.array(step).min(1) }).strict();

/** Runs every scenario of test/conversations/<bundle>/ against a server with CHARTER=<bundle>. */
export function conversationSuite(bundle: 'ict' | 'utility'): void {
  const dir = new URL(`../conversations/${bundle}/`, import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const env = { CHARTER: bundle };
  describe.each(BACKENDS)(`${bundle} conversations on %s`, (backend) => {
    it.each(files)('%s', async (file) => {
      const s = scenario.parse(parse(readFileSync(new URL(file, dir), 'utf8')));
      let server: TestServer = await startTestServer({ now: s.now, backend, env });
      try {
        for (const [i, st] of s.steps.entries()) {
          if ('restart' in st) {
            const { databaseEnv, clock } = server;
            await server.close();
            server = await startTestServer({ databaseEnv, now: clock.now().toISOString(), env });
            continue;
          }
          if ('advance_hours' in st) {
            server.clock.advance(st.advance_hours * 3600_000);
            continue;
          }
          const session = st.as ?? 'scenario-person-1';
          const res = await fetch(`${server.url}${await messagesPath(server, session)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: st.say }),
          });
          expect(res.status, `step ${i + 1}`).toBe(200);
          const { replies } = (await res.json()) as { replies: { text: string; options?: { label: string }[] }[] };
          const said = replies.map((r) => r.text).join('\n');
          for (const e of st.expect) expect(said, `step ${i + 1} ("${st.say}") should contain "${e}"`).toContain(e);
          for (const n of st.not) expect(said, `step ${i + 1} ("${st.say}") should not contain "${n}"`).not.toContain(n);
          if (st.options)
            expect(
              replies.flatMap((r) => r.options ?? []).map((o) => o.label),
              `step ${i + 1} options`,
            ).toEqual(st.options);
        }
      } finally {
        await server.close();
      }
    });
  });
}
