import type { ServiceIntent } from '../../intents/ids.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from './flows.ts';

/** The question of a service's form that picks its charter line (forms.yml `sets: variant`), when the charter has several. */
export interface VariantChoice {
  readonly field: string;
  /** Each option (its words under choice.<option>) and the line variant it picks. */
  readonly options: [option: string, variant: string][];
}

export function variantChoice(r: { readonly charter: Charter; readonly flows: Flows }, intent: ServiceIntent): VariantChoice | undefined {
  if (r.charter.linesFor(intent).length < 2) return undefined;
  for (const field of r.flows.fieldsOf(intent)) {
    const spec = r.flows.fields[field];
    if (spec?.kind === 'choice' && spec.sets === 'variant') return { field, options: Object.entries(spec.options) };
  }
  return undefined;
}
