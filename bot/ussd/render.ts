import { formatReference } from '../../db/references.ts';
import type { RequestRow } from '../../db/queries/requests.ts';
import { formatDeadline } from '../../locales/time.ts';
import { toLocal } from '../sla/zoned.ts';
import { CONFIRM_MENU, ERASE_MENU, LANGUAGES, PRIVACY_MENU, RESUME_MENU, rootMenu } from './menus.ts';
import { clip, numbered, pageText, paginate } from './pages.ts';
import { askFor, charterLinePages, charterPages, howPages, serviceLabel, servicePages, variantChoice } from './services.ts';
import { USSD_TEXT_LIMIT, type Node, type Note, type Rendering, type Screen } from './types.ts';
import { faqScreen } from './faq.ts';
import { noticesScreen } from '../announcements/ussd.ts';

const lines = (...parts: readonly (string | readonly string[])[]) => parts.flat().join('\n');

/**
 * A request's status in one screen, the longest that fits: with its service's
 * name and the charter's promise beside the due date; then without the
 * promise; then without the name.
 */
export function statusText(r: Rendering, request: RequestRow): string {
  const { t } = r;
  const line = r.charter.byNumber(request.charterLine);
  const promise = line ? line.promise[r.locale] : '';
  const open = request.status === 'received' || request.status === 'in_progress';
  const deadline = request.dueAt ? formatDeadline(t, toLocal(request.dueAt, r.calendar.timeZone)) : '';
  const dues = !request.dueAt
    ? [t('ussd.no_due', { promise })]
    : open && request.dueAt < r.now
      ? [t('ussd.overdue', { deadline })]
      : [...(line ? [t('status.due', { due: t('promise.by', { promise, deadline }) })] : []), t('ussd.due', { deadline })];
  const service = r.charter.requestName(request, r.locale);
  const params = { reference: request.reference, status: t(`status.name.${request.status}`) };
  const fits = [...dues.map((due) => t('ussd.status', { ...params, service, due })), ...dues.map((due) => t('ussd.status_short', { ...params, due }))];
  return clip(fits.find((text) => text.length <= USSD_TEXT_LIMIT) ?? (fits.at(-1) as string), USSD_TEXT_LIMIT);
}

function confirmText(r: Rendering, node: Extract<Node, { at: 'confirm' }>): string {
  const { t } = r;
  const service = serviceLabel(r, node.draft.intent, node.draft.variant);
  const rest = lines(
    numbered(
      t,
      CONFIRM_MENU.map((k) => t(k)),
    ),
    t('ussd.back'),
  );
  // The description is the one part of unknown length: it gets what the rest leaves.
  const room = USSD_TEXT_LIMIT - rest.length - 1 - t('ussd.confirm', { service, description: '' }).length;
  const said = node.draft.place ? `${node.draft.place}: ${node.draft.description}` : node.draft.description;
  return lines(t('ussd.confirm', { service, description: clip(said, Math.max(10, room)) }), rest);
}

const rootHeader = (r: Rendering) => (r.notice ? r.t('ussd.root_notice', { months: r.retentionMonths }) : r.t('ussd.root'));

/** The main menu's entries as screens: one when they fit with the header (as they do but on a first session with the privacy notice), else pages. */
export function rootPages(r: Rendering): string[][] {
  const header = rootHeader(r);
  const items = numbered(
    r.t,
    rootMenu(r.flows).map((m) => r.t(m.label)),
  );
  return lines(header, items).length <= USSD_TEXT_LIMIT ? [items] : paginate(items, header, r.t);
}

function body(r: Rendering, node: Node): Screen {
  const { t } = r;
  const back = t('ussd.back');
  const more = (text: string): Screen => ({ text, end: false });
  switch (node.at) {
    case 'root': {
      const pages = rootPages(r);
      const page = Math.min(node.page ?? 0, pages.length - 1);
      const paging = [...(page + 1 < pages.length ? [t('ussd.more')] : []), ...(page > 0 ? [back] : [])];
      return more(lines(rootHeader(r), pages[page] ?? [], paging));
    }
    case 'resume':
      return more(
        lines(
          t('ussd.resume', { service: serviceLabel(r, node.draft.intent, node.draft.variant) }),
          numbered(
            t,
            RESUME_MENU.map((k) => t(k)),
          ),
        ),
      );
    case 'services':
      return more(pageText(t('ussd.services'), servicePages(r), node.page, t));
    case 'variant': {
      const options = variantChoice(r, node.intent)?.options ?? [];
      return more(
        lines(
          askFor(t, node.field),
          numbered(
            t,
            options.map(([option]) => t(`choice.${option}`)),
          ),
          back,
        ),
      );
    }
    case 'describe':
      return more(lines(t('ussd.describe', { service: serviceLabel(r, node.intent, node.variant) }), back));
    case 'where':
      return more(lines(t('ussd.where'), back));
    case 'how':
      return more(pageText(serviceLabel(r, node.intent), howPages(r, node.intent), node.page, t));
    case 'confirm':
      return more(confirmText(r, node));
    case 'status_ask': {
      const example = formatReference(r.referencePrefix, toLocal(r.now, r.calendar.timeZone).year, 123);
      return more(lines(t('ussd.status_ask', { example }), back));
    }
    case 'status':
      return { text: statusText(r, node.request), end: true };
    case 'charter':
      return more(pageText(t('ussd.charter'), charterPages(r), node.page, t));
    case 'charter_line': {
      const { header, pages } = charterLinePages(r, node.group);
      return more(pageText(header, pages, node.page, t));
    }
    case 'language':
      return more(
        lines(
          t('ussd.language'),
          numbered(
            t,
            LANGUAGES.map((l) => t(`ussd.languages.${l}`)),
          ),
          back,
        ),
      );
    case 'privacy':
      return more(
        lines(
          t('privacy.notice_short', { months: r.retentionMonths }),
          numbered(
            t,
            PRIVACY_MENU.map((k) => t(k)),
          ),
          back,
        ),
      );
    case 'privacy_sent':
      return { text: t('ussd.summary_sent'), end: true };
    case 'erase_confirm':
      return more(
        lines(
          t('ussd.erase_confirm'),
          numbered(
            t,
            ERASE_MENU.map((k) => t(k)),
          ),
          back,
        ),
      );
    case 'erased':
      return { text: t('ussd.erased'), end: true };
    case 'erase_kept':
      return { text: t('ussd.erase_kept'), end: true };
    case 'cancelled':
      return { text: t('ussd.cancelled'), end: true };
    case 'faq':
    case 'faq_article':
    case 'faq_helped':
      return faqScreen(r, node);
    case 'notices':
    case 'notices_area':
    case 'notices_joined':
    case 'notices_stopped':
      return noticesScreen(r, node);
    case 'file':
      throw new Error('a filed report is answered by the filing, not rendered');
  }
}

/**
 * A remark above a screen; where both do not fit, the remark takes the place of
 * the screen's first line (its title), since the choices below must stay whole.
 */
function withNote(note: string, text: string): string {
  const full = `${note}\n${text}`;
  return full.length <= USSD_TEXT_LIMIT ? full : `${note}\n${text.slice(text.indexOf('\n') + 1)}`;
}

/** The screen a node shows, with the remark of the last answer above it; never longer than a USSD screen. */
export function render(r: Rendering, node: Node, note?: Note): Screen {
  const screen = body(r, node);
  const text = note ? withNote(r.t(note.key, note.params), screen.text) : screen.text;
  return { text: clip(text, USSD_TEXT_LIMIT), end: screen.end };
}
