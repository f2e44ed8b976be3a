import type { TestServer } from './app.ts';

// A monitoring system as it reaches Huduma: Prometheus Alertmanager posting
// its webhook notification (version 4) with the bearer token of its
// webhook_config, over the server's socket.

export const ALERTS_TOKEN = 'alertmanager-test-token-7Qx2Lr9Vd4Kp';
export const ALERTS_ENV = { ALERTS_TOKEN };

export interface AlertSpec {
  readonly fingerprint: string;
  readonly status?: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string;
}

/** Go's zero time: a firing alert's endsAt, as Alertmanager writes it. */
const ZERO = '0001-01-01T00:00:00Z';

const common = (maps: readonly Readonly<Record<string, string>>[]): Record<string, string> => Object.fromEntries(Object.entries(maps[0] ?? {}).filter(([k, v]) => maps.every((m) => m[k] === v)));

/** The body Alertmanager posts for a group of alerts (each alert's status given, else the group's). */
export function notification(status: 'firing' | 'resolved', alerts: readonly AlertSpec[], receiver = 'huduma-ict') {
  const full = alerts.map((a) => ({
    status: a.status ?? status,
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt,
    endsAt: a.endsAt ?? ZERO,
    generatorURL: `http://prometheus.ict.example.go.tz:9090/graph?g0.expr=up%3D%3D0&g0.tab=1#${a.fingerprint}`,
    fingerprint: a.fingerprint,
  }));
  const commonLabels = common(full.map((a) => a.labels));
  return {
    receiver,
    status,
    alerts: full,
    groupLabels: commonLabels.alertname ? { alertname: commonLabels.alertname } : {},
    commonLabels,
    commonAnnotations: common(full.map((a) => a.annotations)),
    externalURL: 'http://alertmanager.ict.example.go.tz:9093',
    version: '4',
    groupKey: `{}:{alertname="${commonLabels.alertname ?? ''}"}`,
    truncatedAlerts: 0,
  };
}

export interface Posted {
  readonly status: number;
  readonly body: { readonly alerts?: readonly Record<string, unknown>[]; readonly error?: string; readonly code?: string; readonly receiver?: string };
}

/** POST /api/alerts as Alertmanager sends it; `token` null sends no Authorization header. */
export async function postAlerts(server: TestServer, body: unknown, token: string | null = ALERTS_TOKEN): Promise<Posted> {
  const res = await fetch(`${server.url}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.28.1', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Posted['body'] };
}
