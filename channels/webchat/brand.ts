import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Charter } from '../../bot/charter/charter.ts';
import type { Locale } from '../../locales/index.ts';

// Who the page belongs to, from the charter bundle: the institution's name,
// emblem and colours. Checked once at start-up, so a bundle whose colours a
// person could not read stops the server with a clear message instead.

export interface Colours {
  /** The header, the send button, option text. */
  readonly primary: string;
  /** Text on primary. */
  readonly onPrimary: string;
  /** Officers' messages and the focus ring. */
  readonly accent: string;
}

/** A bundle without colours gets these (the shipped charter's). */
export const DEFAULT_COLOURS: Colours = { primary: '#0b6e4f', onPrimary: '#ffffff', accent: '#1f5fa8' };

/** The lightest and darkest backgrounds primary text sits on (page.ts's white bubbles and page background). */
export const PAGE_BACKGROUND = '#eef2ee';

/** A bundle without an emblem: a plain speech bubble, so the page still has an icon. */
const PLAIN_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="14" fill="#0b6e4f"/><path d="M16 16h32a5 5 0 0 1 5 5v16a5 5 0 0 1-5 5H30l-10 8v-8h-4a5 5 0 0 1-5-5V21a5 5 0 0 1 5-5z" fill="#fff"/></svg>`;

export interface Brand {
  readonly institution: Readonly<Record<Locale, string>>;
  readonly colours: Colours;
  /** The emblem, served at `path` for a year (the path changes with its content) and as the favicon. */
  readonly icon: { readonly path: string; readonly svg: string };
}

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** What a person could not read with these colours (WCAG 2.1 AA: 4.5:1 for text, 3:1 for borders and controls). */
export function unreadable(c: Colours): string[] {
  const need = (what: string, fg: string, bg: string, ratio: number) => {
    const got = contrast(fg, bg);
    return got >= ratio ? [] : [`${what} is ${got.toFixed(2)}:1, needs ${ratio}:1`];
  };
  return [
    ...need('onPrimary on primary', c.onPrimary, c.primary, 4.5),
    ...need(`primary on the page background ${PAGE_BACKGROUND}`, c.primary, PAGE_BACKGROUND, 4.5),
    ...need('accent on white', c.accent, '#ffffff', 3),
  ];
}

/** The page's brand from a loaded charter; `charterPath` is where the bundle lies (its emblem is beside it). */
export function brandOf(charter: Charter, charterPath: string): Brand {
  const colours = charter.data.colours ?? DEFAULT_COLOURS;
  const problems = unreadable(colours);
  if (problems.length > 0) throw new Error(`The charter ${charterPath}: its colours would be hard to read on the web chat page: ${problems.join('; ')}`);
  const emblem = charter.data.emblem;
  let svg = PLAIN_ICON;
  if (emblem !== undefined) {
    const file = join(dirname(charterPath), emblem);
    try {
      svg = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`The charter ${charterPath} names the emblem ${emblem}, but ${file} cannot be read`);
    }
    if (!/<svg[\s>]/.test(svg)) throw new Error(`The charter's emblem ${file} is not an SVG image`);
  }
  const hash = createHash('sha256').update(svg).digest('hex').slice(0, 12);
  return { institution: charter.data.institution, colours, icon: { path: `/webchat/emblem-${hash}.svg`, svg } };
}
