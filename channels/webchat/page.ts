import { createHash } from 'node:crypto';
import { LOCALES, translator, type Locale, type Translate } from '../../locales/index.ts';
import type { Brand } from './brand.ts';
import { CHAT_SCRIPT } from './page-script.ts';
import { chatStyle } from './page-style.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The privacy notice (PDPA 2022) in each language, as bot/engine/notice.ts words it. */
export type Notices = Readonly<Record<Locale, string>>;

export interface ChatPageOptions {
  readonly lang: Locale;
  readonly notices: Notices;
  readonly brand: Brand;
  /** The longest message the server takes (routes.ts). */
  readonly maxChars: number;
  /** The capital letters that start a request reference (ICT-2026-000001). */
  readonly referencePrefix: string;
}

/** The page and the Content-Security-Policy that lets its own script and style, and nothing else, run. */
export interface ChatPage {
  readonly html: string;
  readonly csp: string;
}

/** The page's words in each language, for the script (the switch changes them in place). {max} is filled here; the rest by the script. */
const WORD_KEYS = [
  'title',
  'subtitle',
  'intro',
  'label',
  'placeholder',
  'send',
  'conversation',
  'language',
  'switch_to',
  'again',
  'again_title',
  'again_text',
  'again_yes',
  'again_no',
  'officer',
  'left',
  'left_one',
  'at_limit',
  'limit',
  'split',
  'next_part',
  'offline',
  'session_expired',
  'new_session',
  'too_many',
  'unavailable',
  'copy',
  'copied',
  'selected',
  'error.too_long',
  'error.empty',
  'error.bad_character',
  'error.other',
] as const;

function wordsOf(locale: Locale, options: ChatPageOptions): Record<string, string> {
  const t = translator(locale);
  const words: Record<string, string> = { institution: options.brand.institution[locale], privacy_line: privacyLabel(locale) };
  for (const key of WORD_KEYS) words[key] = t(`webchat.${key}`, { max: options.maxChars });
  return words;
}

/**
 * The privacy line under the title, in both languages (the page's first); opened, it shows the whole notice in
 * each. A native <details>: it works without the script, and a screen reader announces it as something to open.
 */
const inOrder = (lang: Locale): readonly Locale[] => (lang === 'en' ? ['en', 'sw'] : ['sw', 'en']);
const privacyLabel = (lang: Locale) =>
  inOrder(lang)
    .map((l) => translator(l)('webchat.privacy'))
    .join(' · ');

function privacyLine(lang: Locale, notices: Notices): string {
  const texts = inOrder(lang)
    .map((l) => `<p lang="${l}">${escapeHtml(notices[l])}</p>`)
    .join('');
  return `<details id="privacy"><summary data-w="privacy_line">${escapeHtml(privacyLabel(lang))}</summary>${texts}</details>`;
}

/** An element whose text the language switch changes: `key` under webchat.*, shown in `t`'s language first. */
const worded = (t: Translate, key: string, tag: string, attributes = '') => `<${tag} data-w="${key}"${attributes}>${escapeHtml(t(`webchat.${key}`))}</${tag}>`;

/** The header: the institution's emblem and name (charter bundle), the language switch, "start again". */
function header(t: Translate, options: ChatPageOptions): string {
  const { brand, lang } = options;
  const langButton = (l: Locale) => `<button type="button" data-lang="${l}" lang="${l}" aria-pressed="${l === lang}">${escapeHtml(translator(l)('webchat.switch_to'))}</button>`;
  return `<header>
<div class="brand"><img src="${escapeHtml(brand.icon.path)}" alt="" width="40" height="40"><div><h1 data-w="institution">${escapeHtml(brand.institution[lang])}</h1>${worded(t, 'subtitle', 'p')}</div></div>
<div class="bar"><div class="langs" role="group" aria-label="${escapeHtml(t('webchat.language'))}" data-w-label="language">${LOCALES.map(langButton).join('')}</div>${worded(t, 'again', 'button', ' type="button" id="again"')}</div>
</header>`;
}

/** The box: a label, the limit the server keeps (maxlength) and a counter that appears near it. */
function composer(t: Translate, options: ChatPageOptions): string {
  const placeholder = escapeHtml(t('webchat.placeholder'));
  return `<footer>
<form id="send">${worded(t, 'label', 'label', ' for="text" class="sr-only"')}<textarea id="text" name="text" rows="1" maxlength="${options.maxChars}" autocomplete="off" placeholder="${placeholder}" data-w-placeholder="placeholder" aria-describedby="limit counter"></textarea>${worded(t, 'send', 'button', ' type="submit"')}</form>
<p id="counter" class="counter" aria-hidden="true" hidden></p>
<p id="limit" class="sr-only" data-w="limit">${escapeHtml(t('webchat.limit', { max: options.maxChars }))}</p>
<p id="status" class="sr-only" role="status"></p>
</footer>`;
}

/** "Start again" asks first: the screen is cleared, and the person should mean it. */
function againDialog(t: Translate): string {
  return `<dialog id="again-dialog" aria-labelledby="again-title" aria-describedby="again-text">
${worded(t, 'again_title', 'h2', ' id="again-title"')}${worded(t, 'again_text', 'p', ' id="again-text"')}
<form method="dialog"><menu>${worded(t, 'again_no', 'button', ' value="no" autofocus')}${worded(t, 'again_yes', 'button', ' value="yes"')}</menu></form>
</dialog>`;
}

/** The phone-friendly chat page: plain HTML, one style sheet and one script, no build step. */
export function chatPage(options: ChatPageOptions): ChatPage {
  const { lang, brand } = options;
  const t = translator(lang);
  const style = chatStyle(brand.colours);
  const config = {
    lang,
    max: options.maxChars,
    reference: `${options.referencePrefix}-\\d{4}-\\d{6,}`,
    words: Object.fromEntries(LOCALES.map((l) => [l, wordsOf(l, options)])),
  };
  const html = `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="${escapeHtml(brand.colours.primary)}">
<title>${escapeHtml(t('webchat.title'))}</title>
<link rel="icon" type="image/svg+xml" href="${escapeHtml(brand.icon.path)}">
<style>${style}</style>
</head>
<body>
${header(t, options)}
<main>
${privacyLine(lang, options.notices)}
<div id="log" role="log" aria-live="polite" aria-label="${escapeHtml(t('webchat.conversation'))}" data-w-label="conversation" tabindex="0"></div>
</main>
${composer(t, options)}
${againDialog(t)}
<script type="application/json" id="config">${scriptJson(config)}</script>
<script>${CHAT_SCRIPT}</script>
</body>
</html>`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(CHAT_SCRIPT)}`,
    `style-src ${sha256(style)}`,
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return { html, csp };
}
