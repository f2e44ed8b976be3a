import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// The charter reports (issue 14, item 4): the CSV of requests for a range of
// days and the month's compliance per line, counted with a clock that moves.

/** RFC 4180, read back strictly: quoted fields may hold commas, quotes (doubled) and line breaks; lines end CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('an unclosed quote');
        cell += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        cell += '"';
        i += 1;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      cell = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (/["\r\n]/.test(cell)) throw new Error(`an unquoted cell holds a quote or line break: ${cell}`);
      i += cell.length;
    }
    row.push(cell);
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (text[i] === ',') i += 1;
    else if (i < text.length) throw new Error(`unexpected ${text[i]} at ${i}`);
  }
  if (row.length > 0) throw new Error('the last line does not end with CRLF');
  return rows;
}

const asObjects = (rows: string[][]) => {
  const [header = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  let token = '';
  const refs: Record<string, string> = {};
  beforeAll(async () => {
    // Monday 30 November 2026, 23:00 in Dar es Salaam: a request still in November.
    server = await startTestServer({ backend, now: '2026-11-30T20:00:00Z' });
    token = (await addStaffToken(server.databaseEnv, 'Asha Mushi')).token;
    await addStaffToken(server.databaseEnv, '=HYPERLINK("http://evil.example","click")');
    await addStaffToken(server.databaseEnv, 'Mushi, "Bibi" Asha');
    refs.november = await fileNetworkFault(server, 'report-nov');
    // Tuesday 1 December, 01:30 in Dar es Salaam (22:30 UTC the day before): December's, resolved at once.
    server.clock.set('2026-11-30T22:30:00Z');
    refs.earlyDecember = await fileNetworkFault(server, 'report-dec-early');
    await status(refs.earlyDecember, 'resolved');
    // Monday 7 December, 11:00: due Tuesday 11:00.
    server.clock.set('2026-12-07T08:00:00Z');
    for (const name of ['onTime', 'resolvedLate', 'openLate', 'cancelled', 'waiting']) refs[name] = await fileNetworkFault(server, `report-${name}`);
    await say(server, 'report-workshop', 'the projector in the boardroom is broken');
    for (const line of ['PRJ-0042', 'no', 'Boardroom, admin block', '0754 010 020']) await say(server, 'report-workshop', line);
    refs.workshop = /ICT-\d{4}-\d{6}/.exec((await say(server, 'report-workshop', 'yes')).map((r) => r.text).join(' '))?.[0] ?? '';
    server.clock.set('2026-12-07T11:00:00Z');
    await status(refs.onTime ?? '', 'resolved');
    await status(refs.cancelled ?? '', 'cancelled');
    await status(refs.waiting ?? '', 'waiting_for_customer');
    // Wednesday 9 December, 11:00: a day past the others' due time.
    server.clock.set('2026-12-09T08:00:00Z');
    await status(refs.resolvedLate ?? '', 'resolved');
    refs.openInTime = await fileNetworkFault(server, 'report-openInTime');
    await server.app.store.transaction(async ({ orm, t }) => {
      const named = async (name: string) => (await orm.select().from(t.staff).where(eq(t.staff.name, name)))[0]?.id;
      await orm
        .update(t.requests)
        .set({ assigneeId: await named('=HYPERLINK("http://evil.example","click")'), team: '-network' })
        .where(eq(t.requests.reference, refs.openLate ?? ''));
      await orm
        .update(t.requests)
        .set({ assigneeId: await named('Mushi, "Bibi" Asha') })
        .where(eq(t.requests.reference, refs.resolvedLate ?? ''));
    });
  });
  afterAll(() => server?.close());

  async function status(reference: string, to: string) {
    const res = await server.app.http.request(`/api/requests/${reference}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ status: to }),
    });
    expect(res.status).toBe(200);
  }
  const get = (path: string) => server.app.http.request(path, { headers: { Authorization: `Bearer ${token}` } });

  it('exports the requests created in a range of local days as RFC 4180 CSV, with formulas disarmed', async () => {
    const res = await get('/api/reports/requests.csv?from=2026-12-01&to=2026-12-31');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="requests-2026-12-01-to-2026-12-31.csv"');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['reference', 'service', 'service_name', 'status', 'created', 'due', 'resolved', 'on_time', 'assignee', 'team', 'rating']);
    const byRef = new Map(asObjects(rows).map((r) => [r.reference, r]));
    expect([...byRef.keys()]).toEqual([refs.earlyDecember, refs.onTime, refs.resolvedLate, refs.openLate, refs.cancelled, refs.waiting, refs.workshop, refs.openInTime]);
    expect(byRef.has(refs.november ?? '')).toBe(false);
    expect(byRef.get(refs.earlyDecember)).toMatchObject({ created: '2026-12-01T01:30:00+03:00', on_time: 'yes' });
    expect(byRef.get(refs.onTime)).toMatchObject({
      service: 'network_email_fault',
      service_name: 'Urekebishaji wa mtandao au barua pepe',
      status: 'resolved',
      created: '2026-12-07T11:00:00+03:00',
      due: '2026-12-08T11:00:00+03:00',
      resolved: '2026-12-07T14:00:00+03:00',
      on_time: 'yes',
      assignee: '',
    });
    expect(byRef.get(refs.resolvedLate)).toMatchObject({ on_time: 'no', assignee: 'Mushi, "Bibi" Asha' });
    // A cell a spreadsheet would run as a formula starts with an apostrophe.
    expect(byRef.get(refs.openLate)).toMatchObject({ status: 'received', on_time: 'no', assignee: `'=HYPERLINK("http://evil.example","click")`, team: "'-network" });
    expect(byRef.get(refs.cancelled)).toMatchObject({ status: 'cancelled', on_time: '' });
    expect(byRef.get(refs.workshop)).toMatchObject({ due: '', on_time: '' });
    expect(byRef.get(refs.openInTime)).toMatchObject({ created: '2026-12-09T11:00:00+03:00', on_time: '' });
  });

  it("counts the month's compliance per charter line: on time, late (finished late or open past due), open", async () => {
    const res = await get('/api/reports/compliance?month=2026-12');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { month: string; services: Record<string, unknown>[] };
    expect(body.month).toBe('2026-12');
    expect(body.services).toEqual([
      { line: 2, service: 'network_email_fault', serviceName: 'Urekebishaji wa mtandao au barua pepe', total: 7, onTime: 2, late: 2, open: 2, cancelled: 1, onTimePercent: 50 },
      { line: 15, service: 'equipment_repair', serviceName: expect.any(String), total: 1, onTime: 0, late: 0, open: 1, cancelled: 0, onTimePercent: null },
    ]);
    const november = (await (await get('/api/reports/compliance?month=2026-11')).json()) as { services: { line: number; late: number; total: number }[] };
    expect(november.services).toEqual([expect.objectContaining({ line: 2, total: 1, late: 1 })]);
    const csv = parseCsv(await (await get('/api/reports/compliance.csv?month=2026-12')).text());
    expect(csv).toEqual([
      ['line', 'service', 'service_name', 'total', 'on_time', 'late', 'open', 'cancelled', 'on_time_percent'],
      ['2', 'network_email_fault', 'Urekebishaji wa mtandao au barua pepe', '7', '2', '2', '2', '1', '50'],
      ['15', 'equipment_repair', expect.any(String), '1', '0', '0', '1', '0', ''],
    ]);
  });

  it('says what is wrong with a bad range or month (400 JSON)', async () => {
    for (const [path, word] of [
      ['/api/reports/requests.csv?from=2026-12-01', 'to'],
      ['/api/reports/requests.csv?from=2026-12-31&to=2026-12-01', 'from must not be after to'],
      ['/api/reports/requests.csv?from=2025-01-01&to=2026-12-31', 'at most 366 days'],
      ['/api/reports/requests.csv?from=2026-12-01&to=2026-12-32', 'YYYY-MM-DD'],
      ['/api/reports/compliance?month=2026-13', 'YYYY-MM'],
      ['/api/reports/compliance.csv?month=december', 'YYYY-MM'],
      ['/api/reports/compliance?month=2026-12&x=1', 'x'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error, path).toContain(word);
    }
  });
});
