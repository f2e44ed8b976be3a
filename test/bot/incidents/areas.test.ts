import { describe, expect, it } from 'vitest';
import { keysOnly, labelFromKey, proposalArea, within } from '../../../bot/incidents/areas.ts';
import { areaAndAbove } from '../../../db/queries/incidents.ts';

// Areas are place keys, region down: what an incident covers, and where a proposal counts reports.

describe('incident areas', () => {
  it('a report counts towards its ward, or its district when it names no ward; a region alone is too wide', () => {
    expect(proposalArea('dar-es-salaam/kinondoni/sinza/mori')).toBe('dar-es-salaam/kinondoni/sinza');
    expect(proposalArea('dar-es-salaam/kinondoni/sinza')).toBe('dar-es-salaam/kinondoni/sinza');
    expect(proposalArea('pwani/kibaha')).toBe('pwani/kibaha');
    expect(proposalArea('pwani')).toBeUndefined();
  });

  it('an area covers itself and what lies under it, never a namesake beside it', () => {
    expect(within('dar-es-salaam/kinondoni/sinza', 'dar-es-salaam/kinondoni/sinza/mori')).toBe(true);
    expect(within('dar-es-salaam/kinondoni/sinza', 'dar-es-salaam/kinondoni/sinza')).toBe(true);
    expect(within('dar-es-salaam/kinondoni/sinza', 'dar-es-salaam/kinondoni/sinza-kwa-remmy')).toBe(false);
    expect(areaAndAbove('dar-es-salaam/kinondoni/sinza')).toEqual(['dar-es-salaam', 'dar-es-salaam/kinondoni', 'dar-es-salaam/kinondoni/sinza']);
  });

  it('without places data, a well-formed key is taken as it is and named from its words; anything else is not an area', () => {
    expect(keysOnly.lookup('pwani/kibaha')).toEqual({ status: 'found', area: { key: 'pwani/kibaha', label: 'Kibaha, Pwani' } });
    for (const bad of ['Sinza', 'sinza mori', 'dar//sinza', '/sinza', 'sinza/', 'a/b/c/d/e/f/g', "x'; drop table"]) expect(keysOnly.lookup(bad), bad).toEqual({ status: 'none' });
    expect(labelFromKey('dar-es-salaam/kinondoni/sinza/mori')).toBe('Mori, Sinza, Kinondoni, Dar Es Salaam');
  });
});
