import { z } from 'zod';

// Prometheus Alertmanager's webhook body (webhook_config, version "4"), as
// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
// gives it. Fields Alertmanager may add later (or compatible senders add) are
// let through unread; the documented ones are checked.

const map = (longest: number) =>
  z.record(z.string().max(200, 'names must be at most 200 characters'), z.string({ error: 'must be text' }).max(longest, `must be at most ${longest} characters`), {
    error: 'must be an object of text values',
  });
/** An alert's labels (what it is: short values) and annotations (what its rule says of it: sentences). */
const labels = map(1000);
const annotations = map(20_000);
/** Alertmanager's times: RFC 3339 with any fraction and offset ("2026-11-23T08:00:00.123456789+03:00"); a firing alert's endsAt is Go's zero time. */
const instant = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time such as 2026-11-23T08:00:00Z' });

const ALERT_STATUS = ['firing', 'resolved'] as const;

const alert = z.object({
  status: z.enum(ALERT_STATUS, { error: 'must be firing or resolved' }),
  labels,
  annotations,
  startsAt: instant,
  endsAt: instant,
  generatorURL: z.string({ error: 'must be text' }).max(2000, 'must be at most 2000 characters'),
  // What "once per alert" rests on: Alertmanager's hash of the alert's labels.
  fingerprint: z.string({ error: 'must be text' }).regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the alert fingerprint Alertmanager gives (letters and digits)'),
});

export const alertmanagerPayload = z.object({
  version: z.literal('4', { error: 'must be "4": Alertmanager\'s webhook format version 4' }),
  groupKey: z.string({ error: 'must be text' }),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(ALERT_STATUS, { error: 'must be firing or resolved' }),
  receiver: z.string({ error: 'must be text' }).trim().min(1, 'must name the receiver').max(200, 'must be at most 200 characters'),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: annotations,
  externalURL: z.string({ error: 'must be text' }),
  alerts: z.array(alert, { error: 'must be a list of alerts' }).max(1000, 'must hold at most 1000 alerts (set max_alerts in the webhook_config)'),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;
export type Alert = AlertmanagerPayload['alerts'][number];
