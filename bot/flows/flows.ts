import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { SERVICE_INTENTS, type ServiceIntent } from '../../intents/ids.ts';

export const DEFAULT_FLOWS_PATH = fileURLToPath(new URL('./flows.yml', import.meta.url));

const field = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), min_words: z.number().int().positive().default(1), from_entity: z.enum(['system', 'equipment']).optional() }).strict(),
  z.object({ kind: z.literal('phone') }).strict(),
  z.object({ kind: z.literal('email') }).strict(),
  z.object({ kind: z.literal('count') }).strict(),
  // A choice maps each option (its words in locales under choice.<option>) to the value stored.
  z.object({ kind: z.literal('choice'), options: z.record(z.string(), z.string()), sets: z.literal('variant').optional() }).strict(),
]);
export type FieldSpec = z.infer<typeof field>;

const file = z
  .object({
    fields: z.record(z.string().regex(/^[a-z_]+$/), field),
    flows: z.record(z.enum(SERVICE_INTENTS), z.array(z.string()).min(1)),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const intent of SERVICE_INTENTS) if (!f.flows[intent]) ctx.addIssue({ code: 'custom', message: `no flow for ${intent}` });
    for (const [intent, ids] of Object.entries(f.flows)) {
      for (const id of ids) if (!f.fields[id]) ctx.addIssue({ code: 'custom', message: `flow ${intent} asks for unknown field ${id}` });
    }
  });

export interface Flows {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  fieldsOf(intent: ServiceIntent): readonly string[];
}

export function loadFlows(path: string = DEFAULT_FLOWS_PATH): Flows {
  const parsed = file.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { fields, flows } = parsed.data;
  return { fields, fieldsOf: (intent) => flows[intent] ?? [] };
}
