import { describe, expect, it } from 'vitest';
import { isAreaService, raisableLines, targetOf } from '../../../bot/alerts/target.ts';
import { SHIPPED_BUNDLES } from '../../../bot/charter/bundle-dir.ts';
import { loadBundle } from '../../../bot/charter/bundle.ts';
import { tanzaniaAreas } from '../../../bot/incidents/places.ts';

// What an alert raises, from the labels its rule gives it: a request on the
// charter line it names, or, for a service whose reports say where (a power
// cut) and an alert naming the area, an incident there.

const ict = loadBundle(SHIPPED_BUNDLES.ict);
const utility = loadBundle(SHIPPED_BUNDLES.utility);
const inIct = (labels: Record<string, string>) => targetOf({ charter: ict.charter, flows: ict.flows, areas: tanzaniaAreas }, labels);
const atUtility = (labels: Record<string, string>) => targetOf({ charter: utility.charter, flows: utility.flows, areas: tanzaniaAreas }, labels);

describe('an alert’s target', () => {
  it('names an ICT line by its number or its service: lines 2 and 3 are the ones "detected by system monitoring"', () => {
    expect(inIct({ alertname: 'MailDown', charter_line: '2' })).toMatchObject({ kind: 'request', service: 'network_email_fault', line: { line: 2 } });
    expect(inIct({ alertname: 'Logins', service: 'security_incident' })).toMatchObject({ kind: 'request', service: 'security_incident', line: { line: 3 } });
    expect(inIct({ charter_line: ' 3 ', service: 'security_incident' })).toMatchObject({ kind: 'request', line: { line: 3 } });
    expect(raisableLines(ict.charter)).toEqual(expect.arrayContaining([2, 3]));
    expect(raisableLines(ict.charter)).not.toContain(1);
  });

  it('refuses, saying why, what names no line a monitor can raise', () => {
    expect(inIct({ alertname: 'DiskFull', job: 'node' })).toEqual({ status: 'no_target' });
    expect(inIct({ charter_line: '' })).toEqual({ status: 'no_target' });
    expect(inIct({ charter_line: '99' })).toEqual({ status: 'unknown_line', value: '99' });
    expect(inIct({ charter_line: 'two' })).toEqual({ status: 'unknown_line', value: 'two' });
    expect(inIct({ service: 'nginx' })).toEqual({ status: 'unknown_service', value: 'nginx' });
    expect(inIct({ service: 'Power Outage!' })).toEqual({ status: 'unknown_service', value: 'Power Outage!' });
    // Answering calls and complaints are the conversation's, not faults.
    expect(inIct({ charter_line: '1' })).toEqual({ status: 'not_a_service', line: 1, intent: 'human_handoff' });
    expect(inIct({ service: 'complaint' })).toMatchObject({ status: 'not_a_service', intent: 'complaint' });
    expect(inIct({ charter_line: '3', service: 'network_email_fault' })).toEqual({ status: 'conflicting_target', line: 3, service: 'network_email_fault' });
  });

  it('an area on a service whose reports say where is an incident there; elsewhere it stays a detail of the request', () => {
    expect(isAreaService(utility.flows, 'power_outage')).toBe(true);
    expect(isAreaService(utility.flows, 'billing_complaint')).toBe(false);
    expect(isAreaService(ict.flows, 'network_email_fault')).toBe(false);
    expect(atUtility({ service: 'power_outage', area: 'Sinza' })).toEqual({
      kind: 'incident',
      service: 'power_outage',
      area: { key: 'dar-es-salaam/ubungo/sinza', label: 'Sinza, Ubungo, Dar es Salaam' },
    });
    expect(atUtility({ service: 'power_outage', area: 'dar-es-salaam/ilala/kariakoo' })).toMatchObject({ kind: 'incident', area: { key: 'dar-es-salaam/ilala/kariakoo' } });
    expect(atUtility({ service: 'power_outage' })).toMatchObject({ kind: 'request', service: 'power_outage' });
    expect(atUtility({ service: 'power_outage', area: 'Atlantis' })).toEqual({ status: 'unknown_area', value: 'Atlantis' });
    expect(atUtility({ service: 'power_outage', area: 'kata ya Majengo' })).toMatchObject({
      status: 'ambiguous_area',
      candidates: expect.arrayContaining([expect.objectContaining({ key: 'mbeya/mbeya-city/majengo' })]),
    });
    expect(inIct({ charter_line: '2', area: 'Sinza' })).toMatchObject({ kind: 'request', area: 'Sinza' });
  });
});
