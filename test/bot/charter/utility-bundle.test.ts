import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Bundle, loadBundle } from '../../../bot/charter/bundle.ts';
import { SHIPPED_BUNDLES } from '../../../bot/charter/bundle-dir.ts';
import { DESK_KEYS } from '../../../bot/charter/words.ts';
import { articlesPathBeside, loadArticlesFile, stepsText, type Article } from '../../../bot/kb/articles.ts';
import { articleFor, topicIntent } from '../../../bot/kb/decide.ts';
import { Background, DEFAULT_MATCHER, KbMatcher } from '../../../bot/kb/matcher.ts';
import { gsm7Length, toGsm7 } from '../../../channels/sms/gsm7.ts';
import { loadDataset } from '../../../intents/dataset.ts';
import { createNlu } from '../../../intents/nlu.ts';

// The electricity utility's charter bundle (bot/charter/utility): its words,
// teams, referrals, articles and emblem, as a customer or an officer of an
// electricity utility's help desk would meet them.

const utility = loadBundle(SHIPPED_BUNDLES.utility);
const ict = loadBundle(SHIPPED_BUNDLES.ict);
const LOCALES = ['sw', 'en'] as const;

/** The utility's own training lines and held-out lines, with their intents. */
function linesOf(b: Bundle): { text: string; intent: string }[] {
  const heldOut = b.heldOutPath
    ? readFileSync(b.heldOutPath, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text: string; intent: string })
    : [];
  return [...loadDataset(b.trainingDir), ...heldOut];
}
const lines = linesOf(utility);

const placeholders = (s: string | undefined) => [...(s ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the utility bundle’s words (words.sw.yml, words.en.yml)', () => {
  it('loads whole, with the nine services of the charter', () => {
    expect(utility.charter.data.prefix).toBe('UMM');
    expect([...utility.charter.services].sort()).toEqual(
      ['billing_complaint', 'emergency_danger', 'meter_fault', 'new_connection', 'outage_schedule', 'power_outage', 'reconnection', 'token_problem', 'voltage_problem'].sort(),
    );
  });

  it('words every desk sentence its own way, naming no ICT desk', () => {
    for (const l of LOCALES)
      for (const key of DESK_KEYS) {
        const own = utility.words[l].get(key);
        expect(own, `${l} ${key}`).toBeDefined();
        // Yes and no are the same words at every desk.
        if (!key.startsWith('choice.')) expect(own, `${l} ${key}`).not.toBe(ict.words[l].get(key));
        expect(own, `${l} ${key}`).not.toMatch(/TEHAMA|\bICT\b|TEKNOHAMA/i);
        // The engine fills the same blanks whatever the desk.
        expect(placeholders(own), `${l} ${key}`).toEqual(placeholders(ict.words[l].get(key)));
      }
  });

  it('names the utility’s own officer, manager, example report and reference', () => {
    const sw = (k: string) => utility.words.sw.get(k) ?? '';
    const en = (k: string) => utility.words.en.get(k) ?? '';
    expect(sw('chat.handoff_started')).toContain('afisa wa huduma kwa wateja');
    expect(sw('chat.complaint_filed')).toContain('Meneja wa Huduma kwa Wateja');
    expect(en('chat.complaint_filed')).toContain('Customer Service Manager');
    expect(sw('chat.report_prompt')).toContain('umeme umekatika Sinza tangu asubuhi');
    expect(sw('console_staff.errors.reference')).toContain('UMM-2026-000123');
    expect(en('console_staff.errors.reference')).toContain('UMM-2026-000123');
    // Reporting is free; a connection is charged at the tariff.
    expect(sw('chat.cost')).toMatch(/bure/i);
    expect(sw('chat.cost')).toMatch(/tariff/);
    expect(en('chat.cost')).toMatch(/free of charge/);
  });

  it('asks each detail of the forms in both languages: where (or a location pin), the 11-digit meter, the token, town or village', () => {
    for (const l of LOCALES) {
      const w = utility.words[l];
      for (const field of ['description', 'area', 'meter', 'phone', 'token', 'setting']) {
        expect(w.get(`field.${field}.label`), `${l} ${field}`).toBeTruthy();
        expect(w.get(`field.${field}.ask`), `${l} ${field}`).toBeTruthy();
      }
      expect(w.get('field.area.ask')).toMatch(/WhatsApp/);
      expect(w.get('field.area.ask')).toMatch(/Telegram/);
      expect(w.get('field.meter.ask')).toMatch(/11/);
      for (const c of ['urban', 'rural', 'yes', 'no']) expect(w.get(`choice.${c}`), `${l} ${c}`).toBeTruthy();
    }
    expect(utility.words.sw.get('field.token.ask')).toContain('"sina"');
    expect(utility.words.sw.get('field.area.ask')).toMatch(/mkoa, wilaya, kata na mtaa/);
    expect(utility.words.sw.get('field.setting.ask')).toMatch(/mjini au kijijini/);
  });

  it('has a name for each of the 19 intents in both languages', () => {
    const intents = [...utility.charter.services, 'greeting', 'goodbye', 'help', 'check_status', 'list_services', 'cost_inquiry', 'human_handoff', 'cancel', 'complaint', 'out_of_scope'];
    expect(intents).toHaveLength(19);
    for (const l of LOCALES) for (const i of intents) expect(utility.words[l].get(`intent.${i}`), `${l} ${i}`).toBeTruthy();
  });
});

describe('the utility’s teams (teams.yml)', () => {
  it('give every line of the charter to exactly one team', () => {
    const teams = utility.charter.teams;
    for (const l of utility.charter.lines) expect(teams.of(l.intent), `line ${l.line} (${l.intent})`).toBeDefined();
    expect(teams.of('emergency_danger')?.id).toBe(teams.of('power_outage')?.id);
    expect(teams.of('token_problem')?.id).toBe(teams.of('meter_fault')?.id);
    expect(teams.of('complaint')?.name.sw).toContain('Meneja wa Huduma kwa Wateja');
  });
});

describe('the utility’s referrals (referrals.yml)', () => {
  const { referrals } = utility.charter;

  it('never send away a line the utility is trained to serve', () => {
    const caught = lines
      .filter((l) => l.intent !== 'out_of_scope')
      .flatMap((l) => {
        const r = referrals.match(l.text);
        return r ? [`${l.intent} → ${r.id}: ${l.text}`] : [];
      });
    expect(caught).toEqual([]);
  });

  it('name the place for what an electricity utility does not do, as people write it', () => {
    const cases: [string, string | undefined][] = [
      ['bili ya maji imekuja kubwa mwezi huu', 'water'],
      ['maji hayatoki tangu jana Sinza, DAWASA wako wapi?', 'water'],
      ['my water bill from DAWASA is wrong', 'water'],
      ['email yangu ya ofisi haifunguki', 'office_ict'],
      ['the office printer shows paper jam', 'office_ict'],
      ['bei ya petroli mwezi huu ni shilingi ngapi', 'fuel_prices'],
      ['nimelalamika mara tatu sijasaidiwa, nataka kukata rufaa EWURA', 'regulator_appeal'],
      ['mgogoro wa kiwanja na jirani yangu', 'land'],
      ['mashimo barabarani Mbezi ni mengi sana', 'roads'],
      ['wezi wa nyaya wamekata nyaya usiku, polisi hawajaja', 'police'],
      ['nimetuma pesa kwa namba isiyo sahihi', 'mobile_networks'],
      ['bando limeisha nifanyeje', 'mobile_networks'],
      ["king'amuzi changu cha Azam TV hakioneshi chaneli", 'pay_tv'],
      ['ATM imemeza kadi yangu', 'banks'],
      // A LUKU bought with M-Pesa, a transformer's oil, rain water in a meter box: the utility's own.
      ['nimelipa luku kwa m-pesa sijapata tokeni', undefined],
      ['transfoma inavuja mafuta', undefined],
      ['maji ya mvua yameingia kwenye sanduku la mita', undefined],
      ['risiti ya tokeni inaonyesha makato ya EWURA', undefined],
    ];
    for (const [text, id] of cases) expect(referrals.match(text)?.id, text).toBe(id);
  });

  it('give a phone only where one is certain (112), and words in both languages', () => {
    for (const r of referrals.list) {
      expect(r.words.sw.length, r.id).toBeGreaterThan(0);
      expect(r.words.en.length, r.id).toBeGreaterThan(0);
      if (r.contact.phone) expect(r.contact.phone, r.id).toBe('112');
    }
  });
});

describe('the utility’s knowledge base (articles.yml)', () => {
  const loaded = loadArticlesFile(articlesPathBeside(join(utility.dir, 'charter.yml')), utility.charter);
  const articles: readonly Article[] = loaded.status === 'loaded' ? loaded.articles : [];

  it('loads 10–12 articles, each offering a service of the utility (never the danger line)', () => {
    expect(loaded.status).toBe('loaded');
    expect(articles.length).toBeGreaterThanOrEqual(10);
    expect(articles.length).toBeLessThanOrEqual(12);
    for (const a of articles) {
      expect(utility.charter.services, a.id).toContain(a.offer);
      expect(utility.flows.fieldsOf(a.offer).length, `${a.id}: ${a.offer} has a form`).toBeGreaterThan(0);
      expect(a.offer, a.id).not.toBe('emergency_danger');
    }
  });

  it('has 5–10 questions a language, and steps that fit three SMS with no web address', () => {
    for (const a of articles)
      for (const l of LOCALES) {
        expect(a.questions[l].length, `${a.id} ${l}`).toBeGreaterThanOrEqual(5);
        expect(a.questions[l].length, `${a.id} ${l}`).toBeLessThanOrEqual(10);
        const sms = toGsm7(stepsText(a, l));
        expect(gsm7Length(sms), `${a.id} ${l}`).toBeLessThanOrEqual(3 * 153);
        for (const s of a.steps[l]) expect(gsm7Length(toGsm7(s)), `${a.id} ${l}: ${s}`).toBeLessThanOrEqual(153);
        expect(sms, a.id).not.toMatch(/https?:|www\.|\.go\.tz|\.com\b/);
      }
  });

  describe('matched as the utility’s desk matches them', () => {
    const nlu = createNlu({ dataDir: utility.trainingDir, referencePrefix: 'UMM' });
    const now = new Date('2026-03-02T07:00:00Z');
    const understand = (text: string) => nlu.understand(text, now);
    // The training lines weigh the words, as the desk's matcher does (bot/kb/library.ts).
    const background = Background.of(
      loadDataset(utility.trainingDir).map((e) => e.text),
      DEFAULT_MATCHER,
    );
    const matcher = new KbMatcher(articles, DEFAULT_MATCHER, background, (q) => topicIntent(understand(q)));
    const answer = (text: string) => articleFor(matcher, understand(text), text)?.article.id ?? null;

    it('answers how-to questions with their article, in SMS spelling too', () => {
      expect(answer('luku inakataa tokeni, nifanyeje?')).toBe('luku_token_rejected');
      expect(answer('nmelipa luku cjapata tokeni')).toBe('paid_no_token');
      expect(answer('majirani wana umeme mimi sina')).toBe('power_off_my_house');
      expect(answer('naombaje kuunganishiwa umeme kwa NIKONEKT?')).toBe('apply_for_connection');
      expect(answer('bili imekuja kubwa')).toBe('high_bill');
      expect(answer('how do I read my luku meter?')).toBe('read_the_meter');
      // A blank meter is not a beeping one.
      expect(answer('mita imezima haionyeshi kitu')).toBe('meter_blank');
      expect(answer('my meter screen shows nothing, what should I do?')).toBe('meter_blank');
      expect(answer('mita yangu inalia, nifanyeje?')).toBe('meter_beeping');
    });

    it('never answers a danger, a planned-outage question or a plain outage report with an article', () => {
      const danger = lines.filter((l) => l.intent === 'emergency_danger' || l.intent === 'outage_schedule').filter((l) => answer(l.text) !== null);
      expect(danger.map((l) => l.text)).toEqual([]);
      for (const text of [
        'umeme umekatika Sinza tangu asubuhi',
        'hakuna umeme mtaa mzima Kimara',
        'power is off in Sinza since morning',
        'nguzo imeanguka barabarani Mwenge',
        'waya umekatika uko chini',
      ])
        expect(answer(text), text).toBeNull();
    });

    it('gives no article to what is not the utility’s (water bills, ICT, mobile bundles…), but what the referrals name', () => {
      // What the referrals name gets the referral before any article (bot/engine/intent-turn.ts understandFresh;
      // the conversations in test/conversations/utility/referrals.*.yml show it).
      const outside = lines.filter((l) => l.intent === 'out_of_scope' && !utility.charter.referrals.match(l.text) && answer(l.text) !== null);
      expect(outside.map((l) => l.text)).toEqual([]);
    });
  });
});

describe('the utility’s emblem', () => {
  it('is a small SVG with a title, in the charter’s primary colour', () => {
    const path = join(utility.dir, utility.charter.data.emblem ?? '');
    const svg = readFileSync(path, 'utf8');
    expect(statSync(path).size).toBeLessThan(2048);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/<title[^>]*>[^<]+<\/title>/);
    expect(svg).toContain(utility.charter.data.colours?.primary ?? '#8a4b00');
  });
});
