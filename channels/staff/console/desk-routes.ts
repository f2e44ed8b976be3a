import type { Hono } from 'hono';
import { z } from 'zod';
import type { RequestView } from '../../../bot/staff/desk.ts';
import { fromLocal } from '../../../bot/sla/zoned.ts';
import { translator, type Locale, type Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { REFERENCE } from './forms.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import type { OwnerData } from './owner-parts.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The console's ownership and clock actions on a request: take it, assign it,
// give it back to the queue; record the event its clock waits for, or set its
// scheduled date. Each answers with the request page and a line saying what happened.

/** A datetime-local input's value: the institution's wall clock, as the officer sees it. */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function formsIn(t: Translate, timeZone: string) {
  const e = (key: string) => t(`console_staff.errors.${key}`);
  const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
  return {
    reference: z.string().regex(REFERENCE, e('reference')),
    event: z
      .object({
        _csrf: z.string(),
        event: z.string().regex(/^[a-z_]{2,40}$/, e('event')),
        at: z.preprocess(
          blank,
          z
            .string()
            .transform((s, ctx) => {
              const m = LOCAL.exec(s);
              if (!m) return (ctx.addIssue({ code: 'custom', message: e('clock_date') }), z.NEVER);
              const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
              return fromLocal({ year: y, month: mo, day: d }, h * 60 + mi, timeZone);
            })
            .optional(),
        ),
      })
      .strict(),
    assign: z
      .object({
        _csrf: z.string(),
        to: z.union([z.enum(['me', 'none']), z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)], { error: e('assign_to') }),
      })
      .strict(),
  };
}

type Forms = ReturnType<typeof formsIn>;
const made = new Map<string, Forms>();
function formsFor(locale: Locale, timeZone: string): Forms {
  const key = `${locale} ${timeZone}`;
  let forms = made.get(key);
  if (!forms) made.set(key, (forms = formsIn(translator(locale), timeZone)));
  return forms;
}

addFlashText((t, n) => {
  switch (n.key) {
    case 'clock':
      return { kind: 'ok', text: `${t('console_staff.clock.started', { reference: n.reference })}${n.notified ? ` ${t('console_staff.request.notified')}` : ''}` };
    case 'clock_refused':
      return { kind: 'error', text: t(`console_staff.clock.refused.${n.why}`) };
    case 'assigned':
      return { kind: 'ok', text: `${t(`console_staff.owner.done.${n.changed ? n.to : 'unchanged'}`, { reference: n.reference })}${n.outside ? ` ${t('console_staff.owner.outside_team')}` : ''}` };
    case 'assign_refused':
      return { kind: 'error', text: t(`console_staff.owner.refused.${n.why}`) };
    default:
      return undefined;
  }
});

/** The owner and clock sections' data for a request page, in the officer's language. */
export async function ownerData(kit: ConsoleKit, c: C, r: RequestView): Promise<OwnerData> {
  const locale = kit.locale(c);
  const charter = kit.desk.charter;
  return {
    assignable: (await kit.desk.staffAdmin.assignable(c.get('staff'))).map((s) => ({ id: s.id, name: s.name, team: s.team })),
    waitingFor: r.waitingFor ? (charter.eventName(r.waitingFor)?.[locale] ?? r.waitingFor) : null,
    teamNames: new Map(charter.teams.list.map((team) => [team.id, team.name[locale]])),
  };
}

export function deskRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, bad, badInput, actor } = kit;
  const forms = (c: C) => formsFor(kit.locale(c), kit.options.timeZone);
  const noRequest = (c: C, reference: string) => bad(c, t(c)('console_staff.errors.no_request', { reference }), 404);

  app.post('/staff/requests/:reference/events', async (c) => {
    const ref = forms(c).reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).event.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.startClock(actor(c), ref.data, { event: form.data.event, ...(form.data.at ? { at: form.data.at } : {}) });
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    if (outcome.status === 'refused') setFlash(c, { key: 'clock_refused', why: outcome.why });
    else setFlash(c, { key: 'clock', reference: ref.data, notified: outcome.notified });
    return c.redirect(`/staff/requests/${ref.data}`, 303);
  });

  app.post('/staff/requests/:reference/assign', async (c) => {
    const ref = forms(c).reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).assign.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const me = c.get('staff');
    const outcome = await desk.assign(me, ref.data, form.data.to);
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    if (outcome.status === 'no_staff') setFlash(c, { key: 'assign_refused', why: 'no_staff' });
    else if (outcome.status === 'forbidden') setFlash(c, { key: 'assign_refused', why: outcome.why });
    else {
      const to = outcome.assignee === null ? 'none' : outcome.assignee.id === me.id ? 'me' : 'other';
      setFlash(c, { key: 'assigned', reference: ref.data, to, changed: outcome.changed, outside: outcome.outsideTeam && outcome.changed });
    }
    return c.redirect(`/staff/requests/${ref.data}`, 303);
  });
}
