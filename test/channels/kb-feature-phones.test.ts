import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharter } from '../../bot/charter/charter.ts';
import { articlesPathBeside, loadArticlesFile, type Article } from '../../bot/kb/articles.ts';
import { articlePages } from '../../bot/ussd/faq.ts';
import { gsm7Length } from '../../channels/sms/gsm7.ts';
import { renderSms } from '../../channels/sms/sms.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// Answers without a ticket on a feature phone: "6. Maswali ya kawaida" on
// USSD lists the articles and shows one's steps screen by screen, ending with
// "Je, imesaidia?"; by SMS, a question gets the steps in at most three parts.

const loaded = loadArticlesFile(articlesPathBeside('bot/charter/ict/charter.yml'), loadCharter());
const articles: readonly Article[] = loaded.status === 'loaded' ? loaded.articles : [];

describe.each(BACKENDS)('knowledge base on feature phones, %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: { USSD_ENABLED: 'true', SMS_USERNAME: 'huduma', SMS_API_KEY: 'test-key', SMS_API_ROOT: 'http://127.0.0.1:9/version1' } });
  });
  afterAll(() => server?.close());

  async function dial(sessionId: string, text: string, phoneNumber: string): Promise<string> {
    const res = await server.app.http.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId, serviceCode: '*152*00#', phoneNumber, networkCode: '64002', text }) });
    const screen = await res.text();
    expect(res.status, screen).toBe(200);
    expect(screen.length, screen).toBeLessThanOrEqual(182);
    expect(gsm7Length(screen), screen).toBeDefined();
    // The bot's own words always fit whole.
    expect(screen, screen).not.toContain('...');
    return screen;
  }
  /** The article titles listed under "6", over all their pages. */
  async function titlesOn(sessionId: string, phone: string): Promise<string[]> {
    const titles: string[] = [];
    for (let page = 0, path = '6'; page < 5; page++, path += '*0') {
      const screen = await dial(sessionId, path, phone);
      titles.push(...screen.split('\n').filter((l) => /^\d+\. /.test(l)));
      if (!screen.includes('0 Zaidi') && !screen.includes('0 More')) break;
    }
    return titles;
  }
  /** The number to press for an article (numbers run on over the pages, and any is taken from the first). */
  const numberOf = (titles: readonly string[], title: string) => Number(/^(\d+)\. /.exec(titles.find((l) => l.endsWith(title)) ?? '')?.[1]);
  const answers = () => server.app.store.read((tx) => tx.orm.select().from(tx.t.kbAnswers).innerJoin(tx.t.conversations, eq(tx.t.conversations.id, tx.t.kbAnswers.conversationId)));

  it('USSD: the main menu lists "Maswali ya kawaida"; an article is shown screen by screen and "1" counts it as answered', async () => {
    const phone = '+255713100001';
    expect(await dial('faq-1', '', phone)).toMatch(/\n6\. Maswali ya kawaida$/);
    const list = await dial('faq-1', '6', phone);
    expect(list).toMatch(/^CON Maswali ya kawaida\. Chagua:\n1\. /);
    expect(list).toContain('\n0 Zaidi\n00 Rudi');
    // The titles, in order, over the pages.
    const titles = await titlesOn('faq-1', phone);
    expect(titles).toHaveLength(articles.length);
    const n = numberOf(titles, 'Nimesahau nywila ya barua pepe');
    const first = await dial('faq-1', `6*${n}`, phone);
    expect(first).toMatch(/^CON Nimesahau nywila ya barua pepe\n1\. Fungua tovuti ya barua pepe ya taasisi/);
    // Page on to the question, then "1": it helped.
    let path = `6*${n}`;
    let screen = first;
    while (!screen.includes('Je, imesaidia?')) screen = await dial('faq-1', (path += '*0'), phone);
    expect(screen).toContain('1. Ndiyo, imesaidia\n2. Fungua ombi');
    expect(await dial('faq-1', `${path}*1`, phone)).toBe('END Tunafurahi kwamba imesaidia. Asante kwa kutumia huduma zetu.');
    // The gateway posting the same answers again counts nothing twice.
    await dial('faq-1', `${path}*1`, phone);
    const counted = (await answers()).filter((a) => a.conversations.chatId === phone);
    expect(counted.map((a) => [a.kb_answers.articleId, a.kb_answers.outcome, a.conversations.channel])).toEqual([['forgot_email_password', 'helped', 'ussd']]);
  });

  it('USSD: "2. Fungua ombi" goes on to report the article\'s service, and files it', async () => {
    const phone = '+255713100002';
    const n = numberOf(await titlesOn('faq-2', phone), 'Kompyuta inasuasua au inaganda');
    expect(n).toBeGreaterThan(0);
    let path = `6*${n}`;
    let screen = await dial('faq-2', path, phone);
    while (!screen.includes('Je, imesaidia?')) screen = await dial('faq-2', (path += '*0'), phone);
    expect(await dial('faq-2', `${path}*2`, phone)).toMatch(/^CON Msaada kwa watumiaji.*\nEleza tatizo kwa ufupi:\n00 Rudi$/s);
    expect(await dial('faq-2', `${path}*2*Kompyuta ya Masjala inaganda kila saa`, phone)).toMatch(/\n1\. Tuma\n2\. Ghairi\n00 Rudi$/);
    expect(await dial('faq-2', `${path}*2*Kompyuta ya Masjala inaganda kila saa*1`, phone)).toMatch(/^END Ombi lako ICT-2026-\d{6} limepokelewa/);
    const counted = (await answers()).filter((a) => a.conversations.chatId === phone);
    expect(counted.map((a) => [a.kb_answers.articleId, a.kb_answers.outcome])).toEqual([['slow_computer', 'request']]);
  });

  it('USSD: every article in both languages fits its screens whole, and English speakers get English', async () => {
    for (const locale of ['sw', 'en'] as const satisfies readonly Locale[]) {
      const t = translator(locale);
      for (const a of articles) {
        const pages = articlePages({ locale, t } as never, a);
        const words = pages.flat().join(' ').replace(/\s+/g, ' ');
        // Nothing of the steps is lost between screens.
        for (const step of a.steps[locale]) expect(words.replace(/ /g, '')).toContain(step.replace(/ /g, ''));
      }
    }
    const phone = '+255713100003';
    await dial('faq-3', '', phone);
    await dial('faq-3', '4', phone);
    expect(await dial('faq-3', '4*2', phone)).toMatch(/6\. Common questions/);
    expect(await dial('faq-4', '6', phone)).toMatch(/^CON Common questions\. Choose:\n1\. /);
  });

  it('SMS: a question gets the steps in at most three parts, then the question with numbered answers; "1" counts it', async () => {
    const phone = '+255713100009';
    const post = (text: string, id: string) =>
      server.app.http.request('/sms/inbound', { method: 'POST', body: new URLSearchParams({ from: phone, to: '15001', text, id, date: '2026-11-23 11:00:00' }) });
    expect((await post('printa haichapishi nifanyeje', 'sms-kb-1')).status).toBe(200);
    const out = await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.chatId, phone)));
    const bodies = out.map((o) => o.body as { text: string; options?: { id: string; label: string }[] });
    const t = translator('sw');
    const [steps, ask] = bodies.map((b) => renderSms(b, t));
    expect(steps).toMatch(/^Printa haichapishi\n1\. Hakikisha printa imewashwa/);
    expect(gsm7Length(steps ?? '')).toBeLessThanOrEqual(3 * 153);
    expect(ask).toBe('Je, hili limesaidia?\n1. Ndiyo\n2. Fungua ombi\nJibu kwa kutuma namba ya chaguo lako.');
    expect((await post('1', 'sms-kb-2')).status).toBe(200);
    const counted = (await answers()).filter((a) => a.conversations.chatId === phone);
    expect(counted.map((a) => [a.kb_answers.articleId, a.kb_answers.outcome, a.conversations.channel])).toEqual([['printer_not_printing', 'helped', 'sms']]);
  });
});
