import { describe, expect, it } from 'vitest';
import { calendarOf } from '../../bot/assemble.ts';
import { loadCharter } from '../../bot/charter/charter.ts';
import { loadConfig } from '../../bot/config.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { segmentsOf, ussdMenu } from '../../bot/ussd/menu.ts';
import { reportable } from '../../bot/ussd/services.ts';
import { USSD_SCREEN_LIMIT, type Draft } from '../../bot/ussd/types.ts';
import { gsm7Length } from '../../channels/sms/gsm7.ts';
import type { RequestRow } from '../../db/queries/requests.ts';
import { LOCALES, readLocale, translator, type Locale, type Translate } from '../../locales/index.ts';
import { formatClock, formatDate, formatDeadline } from '../../locales/time.ts';

const charter = loadCharter();
const flows = loadFlows();
const calendar = calendarOf(loadConfig({}));
const now = new Date('2026-11-23T08:00:00Z');

const longest = (xs: readonly string[]) => xs.reduce((a, b) => (b.length > a.length ? b : a), '');

/** The longest due time a person can be shown: the longest clock words and the longest date, which add up independently. */
function longestDeadline(t: Translate): string {
  const wall = { year: 2026, month: 1, day: 1, minutes: 0, weekday: 0 };
  const minutes = Array.from({ length: 24 * 60 }, (_, m) => m).reduce((a, m) => (formatClock(t, { ...wall, minutes: m }).length > formatClock(t, { ...wall, minutes: a }).length ? m : a), 0);
  let best = wall;
  for (let weekday = 0; weekday < 7; weekday++)
    for (let month = 1; month <= 12; month++) {
      const w = { ...wall, weekday, month, day: 30 };
      if (formatDate(t, w).length > formatDate(t, best).length) best = w;
    }
  return formatDeadline(t, { ...best, minutes });
}

/** Example values, each the longest it can be: what a text must still fit with. */
function examples(locale: Locale) {
  const t = translator(locale);
  return {
    reference: 'ICT-2026-000123',
    deadline: longestDeadline(t),
    // Without a due time only lines that follow a schedule or an event are filed; their promise is said instead.
    promise: longest(charter.lines.filter((l) => l.sla.kind === 'schedule' || l.sla.kind === 'after_event').map((l) => l.promise[locale])),
    // A service's one name: a line's, or the bundle's for a service whose line is not chosen yet.
    service: longest([...charter.lines.map((l) => l.name[locale]), ...reportable(charter).map((i) => charter.serviceName(i, locale) ?? i)]),
    status: longest(['received', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'cancelled'].map((s) => t(`status.name.${s}`))),
    description: 'printa',
    example: 'ICT-2026-000123',
    number: '12',
    label: 'Kiswahili',
    note: '',
    name: 'Kujibu simu',
    due: t('ussd.due', { deadline: longestDeadline(t) }),
  };
}

describe('USSD and SMS texts fit the phone', () => {
  for (const locale of LOCALES) {
    const texts = [...readLocale(locale)].filter(([k]) => k.startsWith('ussd.') || k.startsWith('sms.'));
    const t = translator(locale);
    const values = examples(locale);

    it(`${locale}: every ussd.* text fits a screen with "CON " and is GSM-7`, () => {
      for (const [key] of texts.filter(([k]) => k.startsWith('ussd.') && k !== 'ussd.status')) {
        const text = `CON ${t(key, values)}`;
        expect(gsm7Length(text), `${key}: ${text}`).toBeDefined();
        expect(text.length, `${key}: ${text}`).toBeLessThanOrEqual(USSD_SCREEN_LIMIT);
      }
    });

    it(`${locale}: every sms.* text fits one SMS (160 GSM-7 characters)`, () => {
      for (const [key] of texts.filter(([k]) => k.startsWith('sms.'))) {
        const text = t(key, values);
        expect(gsm7Length(text), `${key}: ${text}`).toBeLessThanOrEqual(160);
      }
    });
  }
});

/** A request as the status screen reads it, as long-worded as a request can be. */
function request(overrides: Partial<RequestRow> = {}): RequestRow {
  return {
    id: 1,
    reference: 'ICT-2026-000123',
    personId: 1,
    conversationId: 1,
    service: 'new_ict_service',
    charterLine: 4,
    variant: null,
    details: {},
    status: 'waiting_for_customer',
    createdAt: now,
    dueAt: new Date('2026-09-30T14:45:00Z'),
    pausedSince: null,
    pausedMs: 0,
    slaStage: 'warning',
    slaNextAt: null,
    resolvedAt: null,
    rating: null,
    ratingComment: null,
    assigneeId: null,
    team: null,
    aboutRequestId: null,
    updatedAt: now,
    area: null,
    incidentId: null,
    incidentLinkedAt: null,
    ...overrides,
  };
}

const LONG = 'x'.repeat(160);

/** Every screen reachable with these answers, as the gateway would show it. */
async function allScreens(locale: Locale, resume: Draft | undefined, found: RequestRow, notice: boolean): Promise<Map<string, string>> {
  const answers = ['', '1', '2', '3', '4', '5', '7', '9', '10', '12', '13', '0', '00', 'ab', LONG, 'ICT-2026-000123', '2026000999'];
  const lookups = { findRequest: async (ref: string) => (ref === found.reference ? found : undefined) };
  const screens = new Map<string, string>();
  let frontier: string[][] = [[]];
  for (let depth = 0; depth < 7 && frontier.length > 0; depth++) {
    const next: string[][] = [];
    for (const path of frontier) {
      // The longest retention RETENTION_MONTHS allows, as the privacy notice says it.
      const out = await ussdMenu({ charter, flows, calendar, now, referencePrefix: 'ICT', lookups, segments: path, locale, resume, retentionMonths: 1200, notice });
      if (out.kind === 'file') continue;
      const shown = `${out.screen.end ? 'END' : 'CON'} ${out.screen.text}`;
      if (screens.has(shown)) continue;
      screens.set(shown, path.join('*'));
      if (!out.screen.end) for (const a of answers.slice(1)) next.push([...path, a]);
    }
    frontier = next;
  }
  return screens;
}

describe('every USSD screen fits 182 GSM-7 characters', () => {
  const draft: Draft = { intent: 'mis_password_reset', line: 8, description: 'y'.repeat(150) };
  for (const locale of LOCALES)
    for (const [name, resume, notice] of [
      ['fresh', undefined, false],
      ['first (with the privacy notice)', undefined, true],
      ['resumed', draft, false],
    ] as const)
      for (const found of [request(), request({ status: 'received' }), request({ dueAt: null, charterLine: 13, service: 'equipment_maintenance' })])
        it(`${locale}, ${name} session, a request ${found.status}${found.dueAt ? '' : ' without due time'}`, async () => {
          const screens = await allScreens(locale, resume, found, notice);
          expect(screens.size).toBeGreaterThan(20);
          for (const [screen, path] of screens) {
            expect(screen.length, `${path}: ${screen}`).toBeLessThanOrEqual(USSD_SCREEN_LIMIT);
            expect(gsm7Length(screen), `${path}: ${screen}`).toBeDefined();
            // Only a person's own long description is ever cut short; the bot's words always fit whole.
            if (!path.includes(LONG) && !screen.includes('yyyy')) expect(screen, path).not.toContain('...');
          }
        });

  it('splits the text into answers', () => {
    expect(segmentsOf('')).toEqual([]);
    expect(segmentsOf('1*3*barua pepe')).toEqual(['1', '3', 'barua pepe']);
  });
});
