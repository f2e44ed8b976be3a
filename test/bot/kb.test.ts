import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadCharter } from '../../bot/charter/charter.ts';
import { articlesPathBeside, loadArticlesFile, stepsText, STEPS_MESSAGE_MAX, type Article } from '../../bot/kb/articles.ts';
import { articleFor, replyToOffer } from '../../bot/kb/decide.ts';
import { matcherOver } from '../../bot/kb/library.ts';
import { gsm7Length, toGsm7 } from '../../channels/sms/gsm7.ts';
import { createNlu } from '../../intents/nlu.ts';

// The knowledge base's articles as data, and how messages are matched to
// them: what the ICT charter's file holds, what it promises by SMS, and the
// matcher on the project's own dev questions (the held-out file is scored by
// `npm run kb:evaluate`, never tuned on).

const charter = loadCharter();
const loaded = loadArticlesFile(articlesPathBeside('bot/charter/ict/charter.yml'), charter);
const articles: readonly Article[] = loaded.status === 'loaded' ? loaded.articles : [];
const nlu = createNlu(); // from the cache that test/global-setup.ts filled
const now = new Date('2026-11-23T08:00:00Z');
const understand = (text: string) => nlu.understand(text, now);

const OFFERS: Record<string, string> = {
  forgot_email_password: 'password_complaint',
  email_on_phone: 'user_support',
  mailbox_full: 'network_email_fault',
  office_wifi: 'network_email_fault',
  slow_internet: 'network_email_fault',
  printer_not_printing: 'equipment_repair',
  slow_computer: 'user_support',
  phishing_email: 'security_incident',
  system_account_locked: 'mis_password_reset',
  new_email_account: 'new_ict_service',
  projector_meeting: 'user_support',
  virus_warning: 'security_incident',
};

describe('the ICT charter’s articles (bot/charter/ict/articles.yml)', () => {
  it('load, with the twelve ids and the service each offers', () => {
    expect(loaded.status).toBe('loaded');
    expect(Object.fromEntries(articles.map((a) => [a.id, a.offer]))).toEqual(OFFERS);
  });

  it('have 5–10 example questions in each language, and a few steps', () => {
    for (const a of articles)
      for (const locale of ['sw', 'en'] as const) {
        expect(a.questions[locale].length, `${a.id} ${locale}`).toBeGreaterThanOrEqual(5);
        expect(a.questions[locale].length, `${a.id} ${locale}`).toBeLessThanOrEqual(10);
        expect(a.steps[locale].length, `${a.id} ${locale}`).toBeGreaterThanOrEqual(3);
      }
  });

  it('fit three SMS each (title and steps, GSM-7 only), and invent no web address', () => {
    for (const a of articles)
      for (const locale of ['sw', 'en'] as const) {
        const sms = toGsm7(stepsText(a, locale));
        expect(gsm7Length(sms), `${a.id} ${locale}: ${sms}`).toBeLessThanOrEqual(3 * 153);
        expect(sms, a.id).not.toMatch(/https?:|www\.|\.go\.tz|\.com\b/);
      }
  });

  it('refuses a file that breaks the rules, saying which article and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huduma-articles-'));
    const [first] = articles;
    if (!first) throw new Error('no articles');
    const long = { ...first, id: 'too_long', steps: { ...first.steps, sw: Array.from({ length: 5 }, () => 'x'.repeat(120)) } };
    writeFileSync(join(dir, 'articles.yml'), stringify({ articles: [first, { ...first }, { ...first, id: 'unknown_offer', offer: 'training' }, long] }));
    const bad = loadArticlesFile(join(dir, 'articles.yml'), { linesFor: (intent) => (intent === 'training' ? [] : charter.linesFor(intent)) });
    expect(bad.status).toBe('invalid');
    const problems = bad.status === 'invalid' ? bad.problems.join('\n') : '';
    expect(problems).toContain(`steps.sw: the title and steps take`);
    expect(problems).toContain(String(STEPS_MESSAGE_MAX));
  });

  it('refuses a repeated id and an offer no charter line serves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huduma-articles-'));
    const [first] = articles;
    if (!first) throw new Error('no articles');
    writeFileSync(join(dir, 'articles.yml'), stringify({ articles: [first, first, { ...first, id: 'unknown_offer', offer: 'training' }] }));
    const bad = loadArticlesFile(join(dir, 'articles.yml'), { linesFor: (intent) => (intent === 'training' ? [] : charter.linesFor(intent)) });
    expect(bad.status === 'invalid' ? bad.problems : []).toEqual([`${first.id}: the id is used twice`, 'unknown_offer: offers training, which no line of the charter serves']);
  });
});

describe('matching a message to an article', () => {
  const matcher = matcherOver(articles, understand);
  const answer = (text: string) => articleFor(matcher, understand(text), text)?.article.id ?? null;
  const dev = readFileSync(new URL('../../bot/kb/dev-questions.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; article: string | null });

  it('answers the issue’s own question, in SMS spelling too', () => {
    expect(answer('Nimesahau nywila ya barua pepe, nifanyeje?')).toBe('forgot_email_password');
    expect(answer('nmesahau pasword ya email, nfanyeje')).toBe('forgot_email_password');
    expect(answer('how do I connect my laptop to the projector?')).toBe('projector_meeting');
  });

  it('gives no article to a status question, a greeting, a clear report for staff or something out of scope', () => {
    for (const text of [
      'ombi langu ICT-2026-000001 limefikia wapi?',
      'habari za asubuhi',
      'the whole building has no network since morning',
      'naomba mnifungulie akaunti ya HRMIS',
      'printa yetu imeharibika, mtume fundi',
      'luku yangu haiingii',
      'nmesahau password ya hrmis, nipigie 0713 222 333',
    ])
      expect(answer(text), text).toBeNull();
  });

  it('gets the dev questions right (at least 90%) and answers none that must get none', () => {
    const wrong = dev.filter((d) => answer(d.text) !== d.article);
    expect(wrong.length / dev.length, JSON.stringify(wrong)).toBeLessThanOrEqual(0.1);
    expect(dev.filter((d) => d.article === null && answer(d.text) !== null)).toEqual([]);
  });

  it('reads "Did this help?" answered in words', () => {
    expect(replyToOffer('asante, imesaidia')).toBe('helped');
    expect(replyToOffer('thanks, it worked')).toBe('helped');
    expect(replyToOffer('bado haichapishi')).toBe('not_helped');
    expect(replyToOffer('asante lakini bado haifanyi')).toBe('not_helped');
    expect(replyToOffer('it still does not work')).toBe('not_helped');
    expect(replyToOffer('Idara ya Fedha')).toBeUndefined();
  });
});
