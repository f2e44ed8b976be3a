import { describe, expect, it } from 'vitest';
import { loadCharter } from '../../../bot/charter/charter.ts';
import { loadConfig } from '../../../bot/config.ts';
import { SlaWords } from '../../../bot/sla/words.ts';
import { toLocal } from '../../../bot/sla/zoned.ts';
import { LOCALES, translator } from '../../../locales/index.ts';
import { deadlineWords, formatDeadline } from '../../../locales/time.ts';
import { seededRandom } from '../../../intents/model/random.ts';

const KEYS = ['sla.breach_customer', 'sms.breach', 'sla.staff_warning', 'sla.staff_breach', 'sla.staff_escalation'];
const TZ = 'Africa/Dar_es_Salaam';
const charter = loadCharter(loadConfig({}).CHARTER_PATH);

describe('the SLA watch words its notices as the translator does', () => {
  it.each(LOCALES.flatMap((l) => KEYS.map((k) => [l, k] as const)))('%s %s', (locale, key) => {
    const t = translator(locale);
    const words = new SlaWords(TZ, { warnAt: 0.8, escalateAt: 3 });
    const line = charter.lines[1];
    if (!line) throw new Error('no second charter line');
    // The same due time twice (remembered), then another, then the first again.
    for (const [i, dueAt] of [Date.UTC(2026, 10, 24, 8), Date.UTC(2026, 10, 24, 8), Date.UTC(2026, 10, 25, 12, 15, 30), Date.UTC(2026, 10, 24, 8)].entries()) {
      const status = i % 2 ? 'in_progress' : 'received';
      const d = { id: i, reference: `ICT-2026-00000${i}`, charterLine: line.line, status, createdAt: 0, dueAt, pausedMs: 0, slaStage: 'breach', locale } as const;
      const deadline = formatDeadline(t, toLocal(new Date(dueAt), TZ));
      expect(words.text(locale, key, d, line)).toBe(
        t(key, { reference: d.reference, service: line.name[locale], promise: line.promise[locale], deadline, status: t(`status.name.${status}`), percent: '80', multiple: '3' }),
      );
    }
  });

  it('remembers due times in words exactly as formatDeadline gives them', () => {
    const random = seededRandom(11);
    for (const locale of LOCALES) {
      const t = translator(locale);
      const words = deadlineWords(t);
      for (let i = 0; i < 3000; i++) {
        // A few hundred distinct minutes over a few days, with seconds and milliseconds, so most are asked again.
        const at = new Date(Date.UTC(2026, 10, 23, 5) + Math.floor(random() * 4) * 86_400_000 + Math.floor(random() * 120) * 60_000 + Math.floor(random() * 60_000));
        const w = toLocal(at, 'Africa/Dar_es_Salaam');
        expect(words(w)).toBe(formatDeadline(t, w));
      }
    }
  });
});
