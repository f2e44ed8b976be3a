import { Hono, type Context } from 'hono';
import type { AlertOutcome, Alerts } from '../../bot/alerts/alerts.ts';
import { alertmanagerPayload } from '../../bot/alerts/payload.ts';
import { raisableLines, TARGET_LABELS, type TargetRefusal } from '../../bot/alerts/target.ts';
import type { Charter } from '../../bot/charter/charter.ts';
import { sameSecret } from '../../bot/secrets.ts';
import { headerOf, readJson } from '../http.ts';
import { problem } from '../staff/api-kit.ts';

// POST /api/alerts: Prometheus Alertmanager's webhook (webhook_config with
// `authorization: { credentials: <ALERTS_TOKEN> }`), README "Monitoring
// alerts". A valid notification is answered 200 with each alert's outcome,
// a refused alert among them (Alertmanager retries anything else, which would
// not mend it); a body that is not one is 400, and nothing is raised.

export interface AlertRouteDeps {
  readonly alerts: Alerts;
  readonly charter: Charter;
  /** ALERTS_TOKEN; unset, the endpoint is off. */
  readonly token: string | undefined;
}

/** Why an alert raised nothing, in words for the monitoring team (`code` stable for programs). */
function refusalText(charter: Charter, r: TargetRefusal): string {
  const { line, service, area } = TARGET_LABELS;
  const lines = `lines a monitoring alert may raise: ${raisableLines(charter).join(', ')}`;
  switch (r.status) {
    case 'no_target':
      return `the alert names no charter line: give it the label ${line} (a line number, e.g. "${raisableLines(charter)[0] ?? 2}") or ${service} (a service id of the charter)`;
    case 'unknown_line':
      return `${line} "${r.value}" is not a line of the charter in use; ${lines}`;
    case 'unknown_service':
      return `${service} "${r.value}" is not a service of the charter in use; ${lines}`;
    case 'not_a_service':
      return `line ${r.line} (${r.intent}) is not a service a monitoring alert can raise a request on; ${lines}`;
    case 'conflicting_target':
      return `${line} ${r.line} is not a line of ${service} "${r.service}": give one of the two, or both naming the same line`;
    case 'unknown_area':
      return `${area} "${r.value}" is not a place Huduma knows: give a place key such as dar-es-salaam/ubungo/sinza, or a place's name`;
    case 'ambiguous_area':
      return `${area} "${r.value}" names several places: give one of their keys`;
  }
}

function outcomeJson(charter: Charter, o: AlertOutcome) {
  if (o.outcome !== 'refused') return o;
  const { refusal, ...rest } = o;
  return { ...rest, code: refusal.status, error: refusalText(charter, refusal), ...(refusal.status === 'ambiguous_area' ? { candidates: refusal.candidates } : {}) };
}

/** The bearer token Alertmanager sends, compared in constant time. */
function authorised(c: Context, token: string): boolean {
  const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headerOf(c, 'Authorization') ?? '')?.[1];
  return given !== undefined && sameSecret(given, token);
}

export function alertRoutes(deps: AlertRouteDeps): Hono {
  const app = new Hono();
  app.post('/api/alerts', async (c) => {
    if (!deps.token) return c.json({ error: 'monitoring alerts are off here: set ALERTS_TOKEN, and give Alertmanager the same token', code: 'alerts_off' }, 503);
    if (!authorised(c, deps.token))
      return c.json({ error: 'the monitoring token is needed: Authorization: Bearer <ALERTS_TOKEN>', code: 'unauthorized' }, 401, { 'WWW-Authenticate': 'Bearer realm="alerts"' });
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: 'the body must be JSON: the notification Alertmanager sends', code: 'not_json' }, 400);
    const parsed = alertmanagerPayload.safeParse(json.value);
    if (!parsed.success) return c.json({ ...problem(parsed.error.issues), code: 'bad_payload' }, 400);
    const outcomes = await deps.alerts.receive(parsed.data);
    return c.json({ receiver: parsed.data.receiver, alerts: outcomes.map((o) => outcomeJson(deps.charter, o)) });
  });
  return app;
}
