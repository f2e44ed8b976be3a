import type { ServiceIntent } from '../../intents/ids.ts';
import { stepsText, type Article } from '../kb/articles.ts';
import { replyToOffer } from '../kb/decide.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { beginForm } from './form-turn.ts';
import { IDLE } from './state.ts';

// Answers without a ticket: a message an article answers gets its steps and
// "Je, hili limesaidia?" (Ndiyo / Fungua ombi) before any form starts. "Ndiyo"
// counts as a question answered without a request; "Fungua ombi" starts the
// form of the article's service with the first message as its first words,
// so no detail it gave is asked again.

const options = (ctx: TurnContext) => [
  { id: 'kb_helped', label: ctx.t('kb.yes') },
  { id: 'kb_request', label: ctx.t('kb.open_request') },
];

/** The steps and the question, remembered as given (the dashboard counts what comes of it). */
export async function offerArticle(ctx: TurnContext, article: Article, text: string): Promise<TurnResult> {
  const answer = await ctx.store.kb.given(article.id);
  return {
    replies: [say(stepsText(article, ctx.locale)), say(ctx.t('kb.did_it_help'), options(ctx))],
    state: { mode: 'kb_offer', article: article.id, offer: article.offer, text, ...(answer === undefined ? {} : { answer }) },
  };
}

/** A fresh message an article answers: its steps; undefined when none does. */
export async function kbAnswer(ctx: TurnContext): Promise<TurnResult | undefined> {
  const article = await ctx.store.kb.answerFor(ctx.understanding, ctx.text);
  return article ? offerArticle(ctx, article, ctx.text) : undefined;
}

type Offered = { readonly article: string; readonly offer: ServiceIntent; readonly text: string; readonly answer?: number };

/**
 * The reply to "Did this help?": yes, thanks; no (or "Fungua ombi"), the
 * offered service's form, started from the first message; anything else is
 * a new message (`fresh`, the engine's understanding of one).
 */
export async function answerKbOffer(ctx: TurnContext, offered: Offered, fresh: (ctx: TurnContext) => Promise<TurnResult>): Promise<TurnResult> {
  const picked = pickOption(ctx.text, [ctx.t('kb.yes'), ctx.t('kb.open_request')]);
  const command = commandOf(ctx.text);
  const said = picked === 0 || command === 'yes' ? 'helped' : picked === 1 || command === 'no' ? 'not_helped' : replyToOffer(ctx.text);
  if (said === 'helped') {
    if (offered.answer !== undefined) await ctx.store.kb.outcome(offered.answer, 'helped');
    return { replies: [say(ctx.t('kb.thanks'))], state: IDLE };
  }
  if (said === 'not_helped') {
    if (offered.answer !== undefined) await ctx.store.kb.outcome(offered.answer, 'request');
    const form = beginForm({ ...ctx, text: offered.text, understanding: ctx.understand(offered.text) }, offered.offer);
    return { ...form, replies: [say(ctx.t('kb.opening')), ...form.replies] };
  }
  if (command === 'cancel') return { replies: [say(ctx.t('kb.left'))], state: IDLE };
  return fresh(ctx);
}
