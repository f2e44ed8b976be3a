import type { Calibration } from './classifier.ts';
import type { Report } from './metrics.ts';

const f3 = (x: number) => x.toFixed(3);

export interface ReportContext {
  readonly title: string;
  readonly calibration?: Calibration;
  readonly ece?: number;
  readonly confusions?: number;
}

/** The evaluation as a person reads it in a terminal. */
export function formatReport(report: Report, ctx: ReportContext): string {
  const lines = [ctx.title, ''];
  lines.push(`accuracy  ${f3(report.accuracy)}   macro-F1  ${f3(report.macroF1)}   examples  ${report.total}`);
  if (ctx.calibration) {
    const ece = ctx.ece === undefined ? '' : `   expected calibration error ${f3(ctx.ece)}`;
    lines.push(`calibration: temperature ${ctx.calibration.temperature.toFixed(2)}, out-of-scope threshold ${ctx.calibration.threshold.toFixed(2)}${ece}`);
  }
  lines.push('', `${'intent'.padEnd(24)}precision  recall      F1  support`);
  for (const s of report.perIntent) {
    lines.push(`${s.intent.padEnd(24)}${f3(s.precision).padStart(9)}${f3(s.recall).padStart(8)}${f3(s.f1).padStart(8)}${String(s.support).padStart(9)}`);
  }
  const top = report.confusions.slice(0, ctx.confusions ?? 12);
  lines.push('', top.length === 0 ? 'no confusions' : 'most confused (expected → predicted: count)');
  for (const c of top) lines.push(`  ${c.expected} → ${c.predicted}: ${c.count}`);
  return lines.join('\n');
}
