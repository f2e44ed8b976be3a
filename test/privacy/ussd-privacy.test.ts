import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { fileByUssd, PHONE_CHANNELS_ENV, queuedTo, ussd } from '../support/citizen.ts';
import { BACKENDS } from '../support/databases.ts';
import { scanDatabase } from '../support/scan.ts';

// Privacy by USSD: "5. Faragha" shows the short notice, sends a summary of
// what is held by SMS (a screen holds 182 characters), and erases after a
// yes. The network proves the number, so no code is asked for.

describe.each(BACKENDS)('privacy on the USSD menu on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: PHONE_CHANNELS_ENV });
  });
  afterAll(() => server?.close());

  it('sends the summary by SMS once a session, keeps on "2", erases on "1"; the number then starts afresh', async () => {
    const phone = '+255766000301';
    const reference = await fileByUssd(server, 'ussd-privacy-1', phone, 'Kompyuta ya Masjala haiwaki kabisa');
    expect(await ussd(server, 'ussd-privacy-2', phone, '')).toMatch(/\n5\. Faragha\n6\. Maswali ya kawaida$/);
    expect(await ussd(server, 'ussd-privacy-2', phone, '5')).toMatch(/^CON Taarifa zako zinalindwa kwa mujibu wa Sheria ya Ulinzi wa Taarifa Binafsi 2022 na huhifadhiwa miezi 24 tu\.\n1\. /);
    const sentBefore = (await queuedTo(server, 'sms', phone)).length;
    expect(await ussd(server, 'ussd-privacy-2', phone, '5*1')).toBe('END Tumekutumia kwa SMS muhtasari wa taarifa zako tunazohifadhi. Asante.');
    // The gateway posting the step again sends nothing more.
    await ussd(server, 'ussd-privacy-2', phone, '5*1');
    const summaries = (await queuedTo(server, 'sms', phone)).slice(sentBefore);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain(`• Maombi (1): ${reference} (Limepokelewa).`);
    expect(summaries[0]).not.toContain('Kompyuta ya Masjala');

    const ask = await ussd(server, 'ussd-privacy-3', phone, '5*2');
    expect(ask).toBe(
      'CON Jina, namba ya simu na mazungumzo yako yatafutwa kabisa, na maombi yanayoendelea yatafungwa. Hatua hii haiwezi kurudishwa. Ufute?\n1. Ndiyo, futa\n2. Hapana, zibaki\n00 Rudi',
    );
    expect(ask.length).toBeLessThanOrEqual(182);
    expect(await ussd(server, 'ussd-privacy-3', phone, '5*2*2')).toBe('END Sawa, hatujafuta chochote; taarifa zako zinaendelea kuhifadhiwa kwa usalama.');
    expect((await scanDatabase(server, [phone.slice(1)])).found.length).toBeGreaterThan(0);

    expect(await ussd(server, 'ussd-privacy-4', phone, '5*2*1')).toBe('END Taarifa zako zimefutwa. Ukitupigia tena, tutakuhudumia kama mteja mpya. Asante kwa kutumia huduma zetu.');
    expect((await scanDatabase(server, [phone.slice(4), 'Kompyuta ya Masjala'])).found).toEqual([]);
    const request = await server.app.store.read((tx) => tx.orm.select().from(tx.t.requests));
    expect(request.find((r) => r.reference === reference)).toMatchObject({ status: 'closed', details: {} });
    // Afresh: a new person, told the notice on their first screen.
    expect(await ussd(server, 'ussd-privacy-5', phone, '')).toMatch(/^CON Karibu! Taarifa zako zinalindwa kisheria/);
  });
});
