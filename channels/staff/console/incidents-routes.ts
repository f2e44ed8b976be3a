import type { Hono } from 'hono';
import { z } from 'zod';
import type { IncidentRefusal } from '../../../bot/incidents/incidents.ts';
import { leads } from '../../../bot/staff/actor.ts';
import type { Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { incidentPage, incidentsPage, type MessageForm, type NewIncidentForm } from './incidents-page.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The console's incidents (/staff/incidents), over the desk's Incidents
// (bot/incidents): a form that does not pass, or a refusal, shows the page
// again with the reason and what was typed.

const message = z.string().trim().min(1).max(1000);
const messageForm = z.object({ _csrf: z.string(), messageSw: message, messageEn: message }).strict();
const newForm = z.object({ _csrf: z.string(), service: z.string().max(60), area: z.string().trim().min(1).max(200), messageSw: message, messageEn: message }).strict();
const incidentId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** How many closed incidents the list shows. */
const CLOSED_SHOWN = 20;

/** A form's problems in the officer's words, one a field. */
function formProblems(t: Translate, issues: readonly z.core.$ZodIssue[]): string[] {
  const fields = new Set(issues.map((i) => String(i.path[0] ?? '')));
  const said: string[] = [];
  for (const f of ['service', 'area', 'messageSw', 'messageEn']) if (fields.has(f)) said.push(t(`incident.console.errors.${f}`));
  return said.length > 0 ? said : [t('incident.console.errors.form')];
}

/** A refusal in the officer's words. */
function refusalText(t: Translate, r: IncidentRefusal, id?: number): string {
  switch (r.status) {
    case 'ambiguous_area':
      return t('incident.console.errors.ambiguous_area', { candidates: r.candidates.map((a) => `${a.label} (${a.key})`).join('; ') });
    case 'already_open':
      return t('incident.console.errors.already_open', { id: r.incident.id, status: t(`incident.console.status.${r.incident.status}`) });
    case 'wrong_status':
      return t('incident.console.errors.wrong_status', { id: r.incident.id, status: t(`incident.console.status.${r.incident.status}`) });
    case 'not_found':
      return t('incident.console.errors.not_found', { id: id ?? 0 });
    default:
      return t(`incident.console.errors.${r.status}`);
  }
}

/** The answer's code of a refusal shown on its page (an incident not found is answered apart, 404). */
const codeOf = (r: IncidentRefusal): 400 | 403 | 409 => (r.status === 'forbidden' ? 403 : r.status === 'already_open' || r.status === 'wrong_status' ? 409 : 400);

addFlashText((t, n) => (n.key === 'incident' ? { kind: 'ok', text: t(`incident.console.flash.${n.what}`, { told: n.told }) } : undefined));

export function incidentRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, page, view, bad } = kit;
  const { incidents } = desk;
  const services = (c: C) => desk.charter.services.map((id) => ({ id, name: desk.charter.serviceName(id, kit.locale(c)) ?? id }));
  const editor = (c: C) => leads(c.get('staff'));

  const listPage = async (c: C, extra: { form?: NewIncidentForm; problems?: readonly string[] } = {}, code: 200 | 400 | 403 | 409 = 200) => {
    const [live, closed] = await Promise.all([incidents.list(['proposed', 'open']), incidents.list(['resolved', 'dismissed'], CLOSED_SHOWN)]);
    return page(c, incidentsPage(await view(c), { live, closed, services: services(c), editable: editor(c), ...extra }), code);
  };
  const detailPage = async (c: C, id: number, extra: { form?: MessageForm & { for: string }; problems?: readonly string[] } = {}, code: 200 | 400 | 403 | 409 = 200) => {
    const detail = await incidents.detail(id);
    if (!detail) return bad(c, t(c)('incident.console.errors.not_found', { id }), 404);
    return page(c, incidentPage(await view(c), { detail, serviceName: incidents.serviceName(detail.incident.service, kit.locale(c)), editable: editor(c), ...extra }), code);
  };

  app.get('/staff/incidents', (c) => listPage(c));

  app.post('/staff/incidents', async (c) => {
    const raw = await readForm(c);
    const typed: NewIncidentForm = { service: raw.service ?? '', area: raw.area ?? '', messageSw: raw.messageSw ?? '', messageEn: raw.messageEn ?? '' };
    const form = newForm.safeParse(raw);
    if (!form.success) return listPage(c, { form: typed, problems: formProblems(t(c), form.error.issues) }, 400);
    const f = form.data;
    const outcome = await incidents.open(c.get('staff'), { service: f.service, area: f.area, message: { sw: f.messageSw, en: f.messageEn } });
    if (outcome.status !== 'opened') return listPage(c, { form: typed, problems: [refusalText(t(c), outcome)] }, codeOf(outcome));
    setFlash(c, { key: 'incident', what: outcome.confirmedProposal ? 'confirmed' : 'opened', told: outcome.told.requests });
    return c.redirect(`/staff/incidents/${outcome.incident.id}`, 303);
  });

  app.get('/staff/incidents/:id', async (c) => {
    const id = incidentId.safeParse(c.req.param('id'));
    if (!id.success) return bad(c, t(c)('incident.console.errors.not_found', { id: c.req.param('id').slice(0, 20) }), 404);
    return detailPage(c, id.data);
  });

  for (const what of ['updates', 'resolve', 'confirm'] as const) {
    app.post(`/staff/incidents/:id/${what}`, async (c) => {
      const id = incidentId.safeParse(c.req.param('id'));
      if (!id.success) return bad(c, t(c)('incident.console.errors.not_found', { id: c.req.param('id').slice(0, 20) }), 404);
      const raw = await readForm(c);
      const typed = { messageSw: raw.messageSw ?? '', messageEn: raw.messageEn ?? '', for: what };
      const form = messageForm.safeParse(raw);
      if (!form.success) return detailPage(c, id.data, { form: typed, problems: formProblems(t(c), form.error.issues) }, 400);
      const said = { sw: form.data.messageSw, en: form.data.messageEn };
      const staff = c.get('staff');
      const outcome =
        what === 'updates' ? await incidents.update(staff, id.data, said) : what === 'resolve' ? await incidents.resolve(staff, id.data, said) : await incidents.confirm(staff, id.data, said);
      if (outcome.status === 'not_found') return bad(c, refusalText(t(c), outcome, id.data), 404);
      if (outcome.status === 'updated' || outcome.status === 'resolved' || outcome.status === 'opened') {
        setFlash(c, { key: 'incident', what: outcome.status === 'opened' ? 'confirmed' : outcome.status, told: outcome.told.requests });
        return c.redirect(`/staff/incidents/${id.data}`, 303);
      }
      return detailPage(c, id.data, { form: typed, problems: [refusalText(t(c), outcome, id.data)] }, codeOf(outcome));
    });
  }

  app.post('/staff/incidents/:id/dismiss', async (c) => {
    const id = incidentId.safeParse(c.req.param('id'));
    if (!id.success) return bad(c, t(c)('incident.console.errors.not_found', { id: c.req.param('id').slice(0, 20) }), 404);
    const outcome = await incidents.dismiss(c.get('staff'), id.data);
    if (outcome.status === 'not_found') return bad(c, refusalText(t(c), outcome, id.data), 404);
    if (outcome.status !== 'dismissed') return detailPage(c, id.data, { problems: [refusalText(t(c), outcome, id.data)] }, codeOf(outcome));
    setFlash(c, { key: 'incident', what: 'dismissed', told: 0 });
    return c.redirect(`/staff/incidents/${id.data}`, 303);
  });
}
