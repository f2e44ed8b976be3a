import { describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../../../bot/alerts/payload.ts';

// Prometheus Alertmanager's webhook body (version 4), as it really comes:
// nanosecond times with an offset, Go's zero time for a firing alert's end,
// and fields a newer Alertmanager (or a compatible sender) adds.

const sent = {
  receiver: 'huduma',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'ProbeFailure', instance: 'https://mail.example.go.tz', job: 'http_checks', severity: 'critical', charter_line: '2' },
      annotations: { description: 'Instance https://mail.example.go.tz has been down for over 5m.', summary: 'BlackBox Probe Failure' },
      startsAt: '2026-11-23T10:52:26.739266876+03:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.go.tz:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1',
      fingerprint: '1a30ba71cca2921f',
    },
  ],
  groupLabels: { alertname: 'ProbeFailure' },
  commonLabels: { alertname: 'ProbeFailure', severity: 'critical' },
  commonAnnotations: { summary: 'BlackBox Probe Failure' },
  externalURL: 'http://alertmanager.example.go.tz:9093',
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
  truncatedAlerts: 0,
};

describe("Alertmanager's webhook body", () => {
  it('is read as Alertmanager sends it, its times to the millisecond', () => {
    const parsed = alertmanagerPayload.parse(sent);
    expect(parsed.alerts[0]?.fingerprint).toBe('1a30ba71cca2921f');
    expect(new Date(parsed.alerts[0]?.startsAt ?? '').toISOString()).toBe('2026-11-23T07:52:26.739Z');
  });

  it('lets through fields it does not read (a newer Alertmanager, Grafana’s silenceURL), and an older one without truncatedAlerts', () => {
    const { truncatedAlerts: _old, ...older } = sent;
    const withMore = { ...older, orgId: 1, alerts: [{ ...sent.alerts[0], silenceURL: 'http://grafana/silence', values: { B: 44.2 } }] };
    expect(alertmanagerPayload.safeParse(withMore).success).toBe(true);
  });

  it('refuses what is not that body, saying where', () => {
    const problem = (body: unknown) => {
      const r = alertmanagerPayload.safeParse(body);
      return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    };
    expect(problem({ ...sent, version: '3' })).toMatch(/^version must be "4"/);
    expect(problem({ ...sent, receiver: ' ' })).toMatch(/^receiver must name the receiver/);
    expect(problem({ ...sent, alerts: [{ ...sent.alerts[0], fingerprint: undefined }] })).toMatch(/^alerts\.0\.fingerprint /);
    expect(problem({ ...sent, alerts: [{ ...sent.alerts[0], fingerprint: 'a b' }] })).toMatch(/^alerts\.0\.fingerprint must be the alert fingerprint/);
    expect(problem({ ...sent, alerts: [{ ...sent.alerts[0], startsAt: '23/11/2026' }] })).toMatch(/^alerts\.0\.startsAt must be an RFC 3339 time/);
    expect(problem({ ...sent, alerts: [{ ...sent.alerts[0], labels: { severity: 3 } }] })).toMatch(/^alerts\.0\.labels\.severity must be text/);
    expect(problem({ ...sent, alerts: [{ ...sent.alerts[0], status: 'pending' }] })).toMatch(/^alerts\.0\.status must be firing or resolved/);
    expect(problem({ ...sent, alerts: Array.from({ length: 1001 }, () => sent.alerts[0]) })).toMatch(/^alerts must hold at most 1000 alerts/);
  });
});
