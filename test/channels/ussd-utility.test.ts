import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOf, calendarOf } from '../../bot/assemble.ts';
import { loadConfig } from '../../bot/config.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { reportable } from '../../bot/ussd/services.ts';
import { ussdRoutes } from '../../channels/ussd/routes.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshStore } from '../support/databases.ts';
import { ussdPhone } from '../support/ussd.ts';

// Feature phones at an electricity utility (CHARTER=utility): a power cut is
// reported with where it is, typed as people say it, and a planned-outage
// question is answered at once without filing anything.
const config = loadConfig({ CHARTER: 'utility' });
const { charter, flows } = bundleOf(config);
const calendar = calendarOf(config);

describe.each(BACKENDS)('USSD at the electricity utility on %s', (backend) => {
  let store: Store;
  let ussd: ReturnType<typeof ussdRoutes>;
  beforeAll(async () => {
    store = await freshStore(backend, join(mkdtempSync(join(tmpdir(), 'huduma-ussd-utility-')), 'huduma.db'));
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    ussd = ussdRoutes({ store, charter, calendar, flows, clock, referencePrefix: config.REFERENCE_PREFIX, defaultLocale: 'sw', retentionMonths: 24 });
  });
  afterAll(() => store.close());

  const { session } = ussdPhone(() => ussd);

  /** The menu number of a service in the list of services (the bundle's order; numbers run on across pages). */
  const numberOf = async (_sessionId: string, intent: string): Promise<string> => String(reportable(charter).indexOf(intent) + 1);

  it('a power cut: the description, then where (a name several places share asks again), then filed with its area', async () => {
    const n = await numberOf('ut-1', 'power_outage');
    const screens = await session('ut-2', ['1', n, '2', 'hakuna umeme tangu asubuhi', 'Majengo', 'Kibaha vijijini', '1']);
    expect(screens[4]).toMatch(/Tatizo liko wapi\?/);
    expect(screens[5]).toMatch(/Kuna maeneo kadhaa/);
    expect(screens[6]).toMatch(/Kibaha/);
    const last = screens.at(-1) ?? '';
    expect(last).toMatch(/^END .*UMM-2026-\d{6}/s);
    const reference = /UMM-2026-\d{6}/.exec(last)?.[0] ?? '';
    const [request] = await store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)));
    expect(request?.service).toBe('power_outage');
    expect(request?.area).toMatch(/^pwani\/kibaha/);
    expect((request?.details as Record<string, string> | undefined)?.area).toMatch(/Kibaha/);
  });

  it('where said in the description is not asked again', async () => {
    const n = await numberOf('ut-3', 'power_outage');
    const screens = await session('ut-4', ['1', n, '1', 'umeme umekatika Sinza Mori tangu jana'], '+255713000004');
    expect(screens.at(-1)).toMatch(/Sinza Mori/);
    expect(screens.at(-1)).not.toMatch(/Tatizo liko wapi/);
  });

  it('planned outages are answered at once, page by page, and nothing is filed', async () => {
    const n = await numberOf('ut-5', 'outage_schedule');
    const screens = await session('ut-6', ['1', n, '0'], '+255713000006');
    expect(screens[2]).toMatch(/Taarifa za katizo la umeme/);
    expect(screens[2]).toMatch(/0 Zaidi/);
    expect(screens[3]).toMatch(/nijulishe/);
    const filed = await store.read((tx) => tx.orm.select().from(tx.t.requests));
    expect(filed.every((r) => r.service !== 'outage_schedule')).toBe(true);
  });
});
