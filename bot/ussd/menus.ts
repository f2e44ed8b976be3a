import type { Locale } from '../../locales/index.ts';
import type { Node } from './types.ts';
import type { Flows } from '../flows/flows.ts';
import { hasAreaNotices } from '../announcements/areas.ts';

/** The main menu, in order: the number a person presses is the position here (of the entries this desk has: rootMenu). */
export const ROOT_MENU: readonly { readonly label: string; readonly to: Node; readonly only?: 'area_notices' }[] = [
  { label: 'ussd.menu.report', to: { at: 'services', page: 0 } },
  { label: 'ussd.menu.status', to: { at: 'status_ask' } },
  { label: 'ussd.menu.charter', to: { at: 'charter', page: 0 } },
  { label: 'ussd.menu.language', to: { at: 'language' } },
  { label: 'ussd.menu.privacy', to: { at: 'privacy' } },
  // The articles themselves are read when it is chosen (menu.ts).
  { label: 'kb.ussd.menu', to: { at: 'faq', page: 0, articles: [] } },
  // Only where the desk sends area notices (its forms ask where: bot/announcements/areas.ts).
  { label: 'announcement.ussd.menu', to: { at: 'notices' }, only: 'area_notices' },
];

/** The main menu's entries on this desk. */
export const rootMenu = (flows: Pick<Flows, 'fields'>) => ROOT_MENU.filter((m) => m.only !== 'area_notices' || hasAreaNotices(flows));

/** Under "Faragha/Privacy", after the notice, in order. */
export const PRIVACY_MENU = ['ussd.privacy_summary', 'ussd.privacy_erase'] as const;
/** The answers to "erase?", in order. */
export const ERASE_MENU = ['ussd.erase_yes', 'ussd.erase_no'] as const;

/** The languages offered under "Lugha/Language", in order. */
export const LANGUAGES: readonly Locale[] = ['sw', 'en'];

/** The answers of the confirm screen and of the offer to continue a draft, in order. */
export const CONFIRM_MENU = ['ussd.send', 'ussd.cancel'] as const;
export const RESUME_MENU = ['ussd.resume_yes', 'ussd.resume_no'] as const;

/** What "next page" and "back" are typed as. */
export const MORE = '0';
export const BACK = '00';

/** The shortest description accepted: a few letters, so an accidental key press is not filed. */
export const MIN_DESCRIPTION = 3;
