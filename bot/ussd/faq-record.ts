import { listArticles, recordKbAnswer, setKbOutcomeByKey } from '../../db/queries/articles.ts';
import type { Tx } from '../../db/store.ts';
import type { Article } from '../kb/articles.ts';
import { articlesOf } from '../kb/library.ts';
import type { FaqEffect } from './faq.ts';

/** The articles offered now, for "Maswali ya kawaida". */
export async function faqArticles(tx: Tx): Promise<readonly Article[]> {
  return articlesOf(await listArticles(tx));
}

/**
 * Counts a common question answered on USSD, once a session and article
 * however often the gateway posts the same answers: shown, then what came of
 * it (the first answer counts).
 */
export async function recordFaq(tx: Tx, effect: FaqEffect, p: { readonly conversationId: number; readonly sessionId: string; readonly now: Date }): Promise<void> {
  const key = `ussd:${p.sessionId}:${effect.article}`;
  await recordKbAnswer(tx, { articleId: effect.article, conversationId: p.conversationId, at: p.now, key });
  if (effect.outcome !== 'shown') await setKbOutcomeByKey(tx, key, effect.outcome, p.now);
}
