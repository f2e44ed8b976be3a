import { INTENT_ID_PATTERN } from '../../intents/ids.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { Area, AreaBook } from '../incidents/areas.ts';

// What an alert raises, from its labels: `charter_line` (the line's number,
// "2") or `service` (the service's intent id), and `area` (a place key or
// name). A service whose form asks where (a place field: a power cut) with an
// area raises an incident there; otherwise a request on the line.

/** The labels an alert names its target with (in the alert rule's `labels:`). */
export const TARGET_LABELS = { line: 'charter_line', service: 'service', area: 'area' } as const;

export type Target =
  | { readonly kind: 'request'; readonly service: string; readonly line: CharterLine; readonly area?: string }
  | { readonly kind: 'incident'; readonly service: string; readonly area: Area };

/** Why an alert raises nothing: reported back in that alert's outcome, the others still raised. */
export type TargetRefusal =
  | { readonly status: 'no_target' }
  | { readonly status: 'unknown_line'; readonly value: string }
  | { readonly status: 'unknown_service'; readonly value: string }
  | { readonly status: 'not_a_service'; readonly line: number; readonly intent: string }
  | { readonly status: 'conflicting_target'; readonly line: number; readonly service: string }
  | { readonly status: 'unknown_area'; readonly value: string }
  | { readonly status: 'ambiguous_area'; readonly value: string; readonly candidates: readonly Area[] };

export interface TargetDeps {
  readonly charter: Charter;
  readonly flows: Flows;
  readonly areas: AreaBook;
}

/** The service's form asks where the fault is: its reports carry an area, so an alert there is an incident. */
export const isAreaService = (flows: Flows, service: string): boolean => flows.fieldsOf(service).some((id) => flows.fields[id]?.kind === 'place');

/** The charter lines an alert may raise a request on: the services' (not answering calls, not complaints). */
export const raisableLines = (charter: Charter): number[] => charter.lines.filter((l) => charter.services.includes(l.intent)).map((l) => l.line);

const given = (labels: Readonly<Record<string, string>>, name: string): string | undefined => {
  const v = labels[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** The charter line the labels name, or why they name none the charter serves. */
function lineOf(charter: Charter, labels: Readonly<Record<string, string>>): CharterLine | TargetRefusal {
  const number = given(labels, TARGET_LABELS.line);
  const service = given(labels, TARGET_LABELS.service);
  if (number === undefined && service === undefined) return { status: 'no_target' };
  const byNumber = number === undefined ? undefined : /^\d{1,4}$/.test(number) ? charter.byNumber(Number(number)) : undefined;
  if (number !== undefined && !byNumber) return { status: 'unknown_line', value: number };
  if (service !== undefined && (!INTENT_ID_PATTERN.test(service) || charter.linesFor(service).length === 0)) return { status: 'unknown_service', value: service };
  if (byNumber && service !== undefined && byNumber.intent !== service) return { status: 'conflicting_target', line: byNumber.line, service };
  const line = byNumber ?? charter.linesFor(service ?? '')[0];
  if (!line) return { status: 'unknown_service', value: service ?? '' };
  // Conversation lines (answering calls, complaints) are not faults a monitor finds.
  if (!charter.services.includes(line.intent)) return { status: 'not_a_service', line: line.line, intent: line.intent };
  return line;
}

/** What an alert with these labels raises, or why it raises nothing. */
export function targetOf(deps: TargetDeps, labels: Readonly<Record<string, string>>): Target | TargetRefusal {
  const line = lineOf(deps.charter, labels);
  if ('status' in line) return line;
  const area = given(labels, TARGET_LABELS.area);
  if (area === undefined || !isAreaService(deps.flows, line.intent)) return { kind: 'request', service: line.intent, line, ...(area ? { area } : {}) };
  const found = deps.areas.lookup(area);
  if (found.status === 'none') return { status: 'unknown_area', value: area };
  if (found.status === 'ambiguous') return { status: 'ambiguous_area', value: area, candidates: found.candidates };
  return { kind: 'incident', service: line.intent, area: found.area };
}
