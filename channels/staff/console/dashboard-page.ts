import { html } from 'hono/html';
import type { ComplianceRow, Month } from '../../../bot/staff/reports.ts';
import { layout, type Html, type View } from './layout.ts';

const WIDTH = 900;
const BAR = 420;
const ROW = 44;

const two = (n: number) => String(n).padStart(2, '0');
export const monthKey = (m: Month) => `${m.year}-${two(m.month)}`;

const percent = (v: View, p: number | null) => (p === null ? v.t('console_staff.dashboard.no_decided') : `${p}%`);

function barLabel(v: View, r: ComplianceRow): string {
  const counts = { on_time: r.onTime, late: r.late, open: r.open };
  return r.onTimePercent === null ? v.t('console_staff.dashboard.bar_none', counts) : v.t('console_staff.dashboard.bar', { percent: r.onTimePercent, ...counts });
}

/**
 * One stacked bar a charter line: on time, late and still open, as shares of
 * its requests (cancelled ones aside), with the counts written beside it.
 * Pure SVG, no script; the table above says the same for screen readers.
 */
function chart(v: View, rows: readonly ComplianceRow[]): Html {
  const height = rows.length * ROW + 8;
  return html`<svg class="chart" id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">${v.t('console_staff.dashboard.chart')}</title>
${rows.map((r, i) => {
  const y = i * ROW;
  const counted = r.onTime + r.late + r.open;
  const widths = [r.onTime, r.late, r.open].map((n) => (counted === 0 ? 0 : Math.round((n / counted) * BAR)));
  const [onTime = 0, late = 0] = widths;
  const open = counted === 0 ? 0 : BAR - onTime - late;
  const label = barLabel(v, r);
  return html`<g data-service="${r.service}" data-line="${r.line}">
  <text x="0" y="${y + 14}">${r.serviceName}</text>
  <rect class="bar" x="0" y="${y + 20}" width="${BAR}" height="16" rx="3"><title>${label}</title></rect>
  <rect class="seg on-time" x="0" y="${y + 20}" width="${onTime}" height="16"></rect>
  <rect class="seg late" x="${onTime}" y="${y + 20}" width="${late}" height="16"></rect>
  <rect class="seg open" x="${onTime + late}" y="${y + 20}" width="${open}" height="16"></rect>
  <text x="${BAR + 8}" y="${y + 33}">${label}</text>
</g>`;
})}
</svg>`;
}

function table(v: View, rows: readonly ComplianceRow[]): Html {
  const head = ['service', 'total', 'on_time', 'late', 'open', 'cancelled', 'met'].map((k) => html`<th>${v.t(`console_staff.dashboard.${k}`)}</th>`);
  return html`<table id="dashboard">
  <thead><tr>${head}</tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr data-service="${r.service}" data-line="${r.line}"${r.late > 0 ? html` class="breached"` : ''}>
    <td>${r.serviceName}</td><td>${r.total}</td><td>${r.onTime}</td><td>${r.late}</td><td>${r.open}</td><td>${r.cancelled}</td><td>${percent(v, r.onTimePercent)}</td>
  </tr>`,
  )}</tbody>
</table>
<p class="hint">${v.t('console_staff.dashboard.explain')}</p>`;
}

/** Which month the page shows. */
function monthForm(v: View, month: Month): Html {
  return html`<form method="get" action="/staff/dashboard" class="filters" id="month-form">
  <label>${v.t('console_staff.dashboard.month')} <input type="month" name="month" value="${monthKey(month)}" required></label>
  <button type="submit">${v.t('console_staff.dashboard.show')}</button>
</form>`;
}

/** The downloads: requests opened between two days (the month's, to start with), and the month's compliance. */
function downloads(v: View, month: Month): Html {
  const first = `${monthKey(month)}-01`;
  const last = `${monthKey(month)}-${two(new Date(Date.UTC(month.year, month.month, 0)).getUTCDate())}`;
  return html`<section id="downloads">
<h2>${v.t('console_staff.dashboard.downloads')}</h2>
<form method="get" action="/staff/reports/requests.csv" class="filters" id="export-form">
  <strong>${v.t('console_staff.dashboard.export_requests')}</strong>
  <label>${v.t('console_staff.dashboard.from')} <input type="date" name="from" value="${first}" required></label>
  <label>${v.t('console_staff.dashboard.to')} <input type="date" name="to" value="${last}" required></label>
  <button type="submit">${v.t('console_staff.dashboard.download')}</button>
</form>
<p><a href="/staff/reports/compliance.csv?month=${monthKey(month)}" id="export-compliance" download>${v.t('console_staff.dashboard.export_compliance')}</a></p>
</section>`;
}

/** GET /staff/dashboard: a month's charter compliance per line, as a table and a bar chart, and the downloads. */
export function dashboardPage(v: View, month: Month, rows: readonly ComplianceRow[], more: Html = html``): Html {
  const title = v.t('console_staff.dashboard.title', { month: v.t(`time.month.${month.month}`), year: month.year });
  const body = rows.length === 0 ? html`<p class="empty">${v.t('console_staff.dashboard.none')}</p>` : html`${table(v, rows)}<h2>${v.t('console_staff.dashboard.chart')}</h2>${chart(v, rows)}`;
  return layout(v, title, html`${monthForm(v, month)}${body}${more}${downloads(v, month)}`);
}
