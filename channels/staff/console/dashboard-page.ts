import { html } from 'hono/html';
import { toLocal } from '../../../bot/sla/zoned.ts';
import { layout, type Html, type View } from './layout.ts';

export interface ServiceMonth {
  readonly service: string;
  readonly serviceName: string;
  readonly total: number;
  readonly open: number;
  readonly breached: number;
  readonly resolved: number;
  readonly onTime: number;
  readonly metPercent: number | null;
}

const WIDTH = 900;
const BAR = 360;
const ROW = 44;

const percent = (v: View, p: number | null) => (p === null ? v.t('console_staff.dashboard.no_resolved') : `${p}%`);

/** One bar a service: the share resolved on time, with its open and late counts beside it. Pure SVG, no script. */
function chart(v: View, rows: readonly ServiceMonth[]): Html {
  const height = rows.length * ROW + 8;
  return html`<svg class="chart" id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">${v.t('console_staff.dashboard.chart')}</title>
${rows.map((r, i) => {
  const y = i * ROW;
  const width = Math.round(((r.metPercent ?? 0) / 100) * BAR);
  const counts = { open: r.open, breached: r.breached };
  const label = r.metPercent === null ? v.t('console_staff.dashboard.bar_none', counts) : v.t('console_staff.dashboard.bar', { percent: r.metPercent, ...counts });
  return html`<g data-service="${r.service}">
  <text x="0" y="${y + 14}">${r.serviceName}</text>
  <rect class="track" x="0" y="${y + 20}" width="${BAR}" height="16" rx="3"></rect>
  <rect class="bar${r.metPercent !== null && r.metPercent < 80 ? ' low' : ''}" x="0" y="${y + 20}" width="${width}" height="16" rx="3"><title>${label}</title></rect>
  <text x="${BAR + 8}" y="${y + 33}">${label}</text>
</g>`;
})}
</svg>`;
}

/** GET /staff/dashboard: this month per service, as a table and a bar chart. */
export function dashboardPage(v: View, rows: readonly ServiceMonth[]): Html {
  const local = toLocal(v.now, v.timeZone);
  const title = v.t('console_staff.dashboard.title', { month: v.t(`time.month.${local.month}`), year: local.year });
  if (rows.length === 0) return layout(v, title, html`<p class="empty">${v.t('console_staff.dashboard.none')}</p>`);
  const head = ['service', 'total', 'open', 'breached', 'resolved', 'on_time', 'met'].map((k) => html`<th>${v.t(`console_staff.dashboard.${k}`)}</th>`);
  return layout(
    v,
    title,
    html`<table id="dashboard">
  <thead><tr>${head}</tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr data-service="${r.service}"${r.breached > 0 ? html` class="breached"` : ''}>
    <td>${r.serviceName}</td><td>${r.total}</td><td>${r.open}</td><td>${r.breached}</td><td>${r.resolved}</td><td>${r.onTime}</td><td>${percent(v, r.metPercent)}</td>
  </tr>`,
  )}</tbody>
</table>
<h2>${v.t('console_staff.dashboard.chart')}</h2>
${chart(v, rows)}`,
  );
}
