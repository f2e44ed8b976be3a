/** What counts (the Metrics below; tests may count elsewhere). */
export interface MetricsSink {
  count(name: string, labels?: Record<string, string>, by?: number): void;
  observeConfidence(value: number): void;
}

/** The few numbers an operator watches, in Prometheus' text format. */
export class Metrics implements MetricsSink {
  private readonly counters = new Map<string, number>();
  private readonly buckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  private readonly confidence = new Array<number>(this.buckets.length).fill(0);
  private confidenceSum = 0;
  private confidenceCount = 0;

  private readonly values = new Map<string, { help: string; value: number }>();

  /** A value that is set rather than counted (when a job last ran), shown as a gauge. */
  set(name: string, value: number, help: string): void {
    this.values.set(name, { help, value });
  }

  count(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  observeConfidence(value: number): void {
    this.buckets.forEach((b, i) => {
      if (value <= b) this.confidence[i] = (this.confidence[i] as number) + 1;
    });
    this.confidenceSum += value;
    this.confidenceCount++;
  }

  /** Renders the counters plus gauges read at scrape time (e.g. requests by service and status). */
  render(gauges: readonly { name: string; help: string; samples: readonly { labels: Record<string, string>; value: number }[] }[] = []): string {
    const lines: string[] = [];
    const names = [...new Set([...this.counters.keys()].map((k) => k.replace(/\{.*$/, '')))].sort();
    for (const name of names) {
      lines.push(`# TYPE ${name} counter`);
      for (const [key, value] of this.counters) if (key.replace(/\{.*$/, '') === name) lines.push(`${key} ${value}`);
    }
    lines.push('# HELP huduma_classifier_confidence Confidence of the intent classifier per inbound message.', '# TYPE huduma_classifier_confidence histogram');
    for (const [i, b] of this.buckets.entries()) lines.push(`huduma_classifier_confidence_bucket{le="${b}"} ${this.confidence[i]}`);
    lines.push(
      `huduma_classifier_confidence_bucket{le="+Inf"} ${this.confidenceCount}`,
      `huduma_classifier_confidence_sum ${this.confidenceSum}`,
      `huduma_classifier_confidence_count ${this.confidenceCount}`,
    );
    const set = [...this.values].map(([name, v]) => ({ name, help: v.help, samples: [{ labels: {}, value: v.value }] }));
    for (const g of [...set, ...gauges]) {
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      for (const s of g.samples) lines.push(`${g.name}${formatLabels(s.labels)} ${s.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`).join(',')}}`;
}
