import type { SlaDue } from '../../db/queries/sla.ts';
import { translator, type Locale, type Translate } from '../../locales/index.ts';
import { deadlineWords } from '../../locales/time.ts';
import type { CharterLine } from '../charter/charter.ts';
import type { SlaPolicy } from './stages.ts';
import { toLocal } from './zoned.ts';

interface LocaleWords {
  readonly t: Translate;
  readonly deadline: ReturnType<typeof deadlineWords>;
  readonly statuses: Map<string, string>;
  /** The last due time worded, as an instant: requests due together come one after another. */
  last?: { readonly dueAt: number; readonly words: string };
}

/**
 * The words of one sweep's notices and staff alerts. What many requests share
 * (a due time in words, a status's name) is worded once per sweep; the memory
 * goes with the sweep.
 */
export class SlaWords {
  private readonly locales = new Map<Locale, LocaleWords>();
  private readonly percent: string;
  private readonly multiple: string;

  constructor(
    private readonly timeZone: string,
    policy: SlaPolicy,
  ) {
    this.percent = String(Math.round(policy.warnAt * 100));
    this.multiple = String(policy.escalateAt);
  }

  private words(locale: Locale): LocaleWords {
    let w = this.locales.get(locale);
    if (!w) {
      const t = translator(locale);
      this.locales.set(locale, (w = { t, deadline: deadlineWords(t), statuses: new Map() }));
    }
    return w;
  }

  private deadline(w: LocaleWords, dueAt: number): string {
    if (w.last?.dueAt !== dueAt) w.last = { dueAt, words: w.deadline(toLocal(new Date(dueAt), this.timeZone)) };
    return w.last.words;
  }

  /** The sentence `key` about request `d` (which has a due time) on charter line `line`. */
  text(locale: Locale, key: string, d: SlaDue & { readonly dueAt: number }, line: CharterLine): string {
    const w = this.words(locale);
    let status = w.statuses.get(d.status);
    if (status === undefined) w.statuses.set(d.status, (status = w.t(`status.name.${d.status}`)));
    return w.t(key, {
      reference: d.reference,
      service: line.name[locale],
      promise: line.promise[locale],
      deadline: this.deadline(w, d.dueAt),
      status,
      percent: this.percent,
      multiple: this.multiple,
    });
  }
}
