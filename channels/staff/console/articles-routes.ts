import type { Hono } from 'hono';
import { z } from 'zod';
import { ARTICLE_ID, MAX_QUESTIONS, MAX_STEPS, STEPS_MESSAGE_MAX } from '../../../bot/kb/articles.ts';
import { mayEditArticles, type ArticleInput } from '../../../bot/kb/staff.ts';
import { reportable } from '../../../bot/ussd/services.ts';
import type { Locale, Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { articlePage, articlesPage, newArticlePage, type ArticleForm, type Services } from './articles-page.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The knowledge base's console pages (/staff/articles): supervisors and
// administrators add, change, retire and bring back articles; everyone reads
// them. A change is in the database at once, so every instance's matcher
// picks it up on its next message (bot/kb/library.ts).

const text = z.string().max(8000);
const articleForm = z
  .object({
    _csrf: z.string(),
    id: z.string().trim().max(60).optional(),
    titleSw: text,
    titleEn: text,
    questionsSw: text,
    questionsEn: text,
    stepsSw: text,
    stepsEn: text,
    offer: z.string().max(60),
  })
  .strict();

/** One a line, blank lines dropped. */
const linesOf = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

const inputOf = (f: ArticleForm): ArticleInput => ({
  id: f.id,
  title: { sw: f.titleSw.trim(), en: f.titleEn.trim() },
  questions: { sw: linesOf(f.questionsSw), en: linesOf(f.questionsEn) },
  steps: { sw: linesOf(f.stepsSw), en: linesOf(f.stepsEn) },
  offer: f.offer,
});

/** The rules' problems in the officer's words, one a field and language. */
function problemTexts(t: Translate, problems: readonly { path: string }[]): string[] {
  const said = new Set<string>();
  for (const { path } of problems) {
    const [field, lang] = path.split('.');
    const language = lang === 'sw' || lang === 'en' ? t(`kb.console.language.${lang}`) : '';
    if (field === 'id') said.add(t('kb.console.errors.id'));
    else if (field === 'title') said.add(t('kb.console.errors.title', { language }));
    else if (field === 'questions') said.add(t('kb.console.errors.questions', { language, max: MAX_QUESTIONS }));
    else if (field === 'steps') said.add(t('kb.console.errors.steps', { language, max: MAX_STEPS, chars: STEPS_MESSAGE_MAX }));
    else said.add(t('kb.console.errors.offer'));
  }
  return [...said];
}

addFlashText((t, n) => (n.key === 'article' ? { kind: 'ok', text: t(`kb.console.flash.${n.what}`) } : undefined));

export function articleRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, bad, badInput, page, view } = kit;
  /** The services an article may offer: the charter's, by the names the charter gives them. */
  const services = (locale: Locale): Services => reportable(desk.charter).map((id) => ({ id, name: desk.charter.serviceName(id, locale) ?? id }));
  const forbidden = (c: C) => bad(c, t(c)('kb.console.errors.forbidden'), 403);
  const notFound = (c: C, id: string) => bad(c, t(c)('kb.console.errors.not_found', { id }), 404);
  const idOf = (c: C) => z.string().regex(ARTICLE_ID).safeParse(c.req.param('id'));
  const editor = (c: C) => mayEditArticles(c.get('staff'));

  app.get('/staff/articles', async (c) => page(c, articlesPage(await view(c), await desk.articles.list(), services(kit.locale(c)), editor(c))));

  app.get('/staff/articles/new', async (c) => {
    if (!editor(c)) return forbidden(c);
    return page(c, newArticlePage(await view(c), { services: services(kit.locale(c)) }));
  });

  app.post('/staff/articles', async (c) => {
    if (!editor(c)) return forbidden(c);
    const form = articleForm.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const typed: ArticleForm = { ...form.data, id: form.data.id ?? '' };
    const outcome = await desk.articles.create(c.get('staff'), inputOf(typed));
    const again = async (problems: string[]) => page(c, newArticlePage(await view(c), { form: typed, problems, services: services(kit.locale(c)) }), 400);
    if (outcome.status === 'invalid') return again(problemTexts(t(c), outcome.problems));
    if (outcome.status === 'taken') return again([t(c)('kb.console.errors.taken', { id: typed.id })]);
    if (outcome.status !== 'saved') return forbidden(c);
    setFlash(c, { key: 'article', what: 'created' });
    return c.redirect(`/staff/articles/${outcome.article.id}`, 303);
  });

  app.get('/staff/articles/:id', async (c) => {
    const id = idOf(c);
    if (!id.success) return notFound(c, c.req.param('id').slice(0, 60));
    const article = await desk.articles.get(id.data);
    if (!article) return notFound(c, id.data);
    return page(c, articlePage(await view(c), { article, services: services(kit.locale(c)), editable: editor(c) }));
  });

  app.post('/staff/articles/:id', async (c) => {
    if (!editor(c)) return forbidden(c);
    const id = idOf(c);
    if (!id.success) return notFound(c, c.req.param('id').slice(0, 60));
    const form = articleForm.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const typed: ArticleForm = { ...form.data, id: id.data };
    const outcome = await desk.articles.update(c.get('staff'), id.data, inputOf(typed));
    if (outcome.status === 'not_found') return notFound(c, id.data);
    if (outcome.status === 'invalid') {
      const article = await desk.articles.get(id.data);
      if (!article) return notFound(c, id.data);
      return page(c, articlePage(await view(c), { article, form: typed, problems: problemTexts(t(c), outcome.problems), services: services(kit.locale(c)), editable: true }), 400);
    }
    if (outcome.status !== 'saved') return forbidden(c);
    setFlash(c, { key: 'article', what: 'updated' });
    return c.redirect(`/staff/articles/${id.data}`, 303);
  });

  for (const [action, retired] of [
    ['retire', true],
    ['restore', false],
  ] as const) {
    app.post(`/staff/articles/:id/${action}`, async (c) => {
      if (!editor(c)) return forbidden(c);
      const id = idOf(c);
      if (!id.success) return notFound(c, c.req.param('id').slice(0, 60));
      const outcome = await desk.articles.setRetired(c.get('staff'), id.data, retired);
      if (outcome.status === 'not_found') return notFound(c, id.data);
      if (outcome.status !== 'saved') return forbidden(c);
      setFlash(c, { key: 'article', what: retired ? 'retired' : 'restored' });
      return c.redirect(`/staff/articles/${id.data}`, 303);
    });
  }
}
