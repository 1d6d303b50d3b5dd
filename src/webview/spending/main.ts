// The spending view's browser code: draws what the extension sends (`data`), as a bar chart of months with
// the limit marked and, beside it, a table with the same figures (the chart is for the eye; the table is
// what a screen reader and the keyboard read). Only textContent and the CSSOM are used, never innerHTML
// or style attributes, so the strict CSP holds. Words come from @vscode/l10n (the extension's bundle for VS
// Code's language, embedded in the page) and numbers, months and money from Intl in the same language.
import '../l10nSetup'; // first: configures the strings before any module builds text
import '@vscode-elements/elements/dist/vscode-button/index.js';

import * as l10n from '@vscode/l10n';
import type { MonthSpending, SpendingGroup } from '../../core/pricing/summary';
import type { PriceNote, SpendingData, SpendingExtensionMessage, SpendingWebviewMessage } from '../../shared/spendingProtocol';
import { h, replaceChildren } from '../dom';
import { formatCount, formatDateTime, formatMoney, formatMonth } from '../locale';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('app')!;
let data: SpendingData | undefined;
let selectedMonth: string | undefined = (api.getState() as { month?: string } | undefined)?.month;
let exportStatus = '';

function post(message: SpendingWebviewMessage): void {
  api.postMessage(message);
}

/** "(2 without a price)", after an amount some of whose generations had no known price. */
function unpriced(n: number): string {
  return n === 1 ? l10n.t('(1 without a price)') : l10n.t('({0} without a price)', formatCount(n));
}

function failedNote(n: number, usd: string): string {
  return n === 1
    ? l10n.t('1 failed generation ({0} estimated) is not counted: failed generations are not charged.', usd)
    : l10n.t('{0} failed generations ({1} estimated) are not counted: failed generations are not charged.', formatCount(n), usd);
}

/** Where a price came from, in words. */
function sourceName(source: PriceNote['source']): string {
  switch (source) {
    case 'catalogue': return l10n.t('CometAPI catalogue (live)');
    case 'table': return l10n.t('Shipped table');
    case 'setting': return l10n.t('Your seedance.pricing setting');
    default: return l10n.t('Unknown');
  }
}

function button(id: string, text: string, onClick: () => void, secondary = true): HTMLElement {
  const b = h('vscode-button', { id, ...(secondary ? { secondary: true } : {}) }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** One horizontal bar, its length set through the CSSOM (allowed by the CSP, unlike style attributes). */
function bar(fraction: number, over: boolean): HTMLElement {
  const fill = h('div', { class: over ? 'bar-fill over' : 'bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return fill;
}

function headline(month: MonthSpending, limit: number): HTMLElement {
  const spent = formatMoney(month.spent);
  const text = limit > 0 ? l10n.t('{0} of your {1} monthly limit', spent, formatMoney(limit)) : l10n.t('{0} — no monthly limit set', spent);
  const status = limit > 0
    ? (month.spent <= limit ? l10n.t('{0} left', formatMoney(limit - month.spent)) : l10n.t('{0} over the limit', formatMoney(month.spent - limit)))
    : '';
  const meter = h('div', { class: 'meter', role: 'presentation' });
  if (limit > 0) meter.appendChild(bar(month.spent / limit, month.spent > limit));
  return h('section', { class: 'headline', 'aria-labelledby': 'this-month-title' },
    h('h2', { id: 'this-month-title' }, l10n.t('This month · {0}', formatMonth(month.month))),
    h('p', { class: 'big', id: 'this-month-total' }, text),
    status ? h('p', { class: month.spent > limit ? 'status over-text' : 'status' }, status) : null,
    limit > 0 ? meter : null,
    h('div', { class: 'row-actions' },
      button('set-limit', limit > 0 ? l10n.t('Change Limit…') : l10n.t('Set a Monthly Limit…'), () => post({ type: 'openSetting', key: 'budget.monthlyLimit' })),
      button('export', l10n.t('Export CSV…'), () => post({ type: 'exportCsv' }), false)),
    h('p', { class: 'muted', id: 'export-status', role: 'status' }, exportStatus));
}

function monthsSection(d: SpendingData): HTMLElement {
  const { months, limit } = d.summary;
  const shown = months.slice(0, 12);
  const scale = Math.max(limit, ...shown.map((m) => m.spent), 0.01);
  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': shown.length === 1
    ? l10n.t('Bar chart of estimated spending over 1 month; the table beside it has the same figures.')
    : l10n.t('Bar chart of estimated spending over {0} months; the table beside it has the same figures.', formatCount(shown.length)), id: 'month-chart' });
  for (const m of shown) {
    const track = h('div', { class: 'bar-track' }, bar(m.spent / scale, limit > 0 && m.spent > limit));
    if (limit > 0) {
      const marker = h('div', { class: 'limit-marker', title: l10n.t('Monthly limit') });
      marker.style.left = `${(limit / scale) * 100}%`;
      track.appendChild(marker);
    }
    chart.appendChild(h('div', { class: 'chart-row', 'aria-hidden': 'true' },
      h('span', { class: 'chart-label' }, formatMonth(m.month)), track, h('span', { class: 'chart-value' }, formatMoney(m.spent))));
  }
  const table = h('table', { id: 'month-table' },
    h('caption', { class: 'visually-hidden' }, l10n.t('By month')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, l10n.t('Month')), h('th', { scope: 'col', class: 'num' }, l10n.t('Spent (est.)')),
      h('th', { scope: 'col', class: 'num' }, l10n.t('Generations')), h('th', { scope: 'col', class: 'num' }, l10n.t('Failed (not charged)')))),
    h('tbody', {}, ...shown.map((m) => h('tr', { 'data-month': m.month },
      h('th', { scope: 'row' }, formatMonth(m.month)),
      h('td', { class: 'num' }, formatMoney(m.spent), m.unpriced ? h('span', { class: 'muted' }, ` ${unpriced(m.unpriced)}`) : null),
      h('td', { class: 'num' }, formatCount(m.count)),
      h('td', { class: 'num' }, formatCount(m.failed.count))))));
  return h('section', { class: 'months', 'aria-labelledby': 'months-title' },
    h('h2', { id: 'months-title' }, l10n.t('By month')),
    h('div', { class: 'side-by-side' }, chart, h('div', { class: 'table-wrap' }, table)));
}

function groupTable(
  id: string,
  title: string,
  keyHeader: string,
  groups: readonly SpendingGroup[],
  label: (key: string) => string,
): HTMLElement {
  const max = Math.max(...groups.map((g) => g.spent), 0.01);
  return h('section', { class: 'group', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('table', { id },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, keyHeader), h('th', { scope: 'col', class: 'num' }, l10n.t('Spent (est.)')), h('th', { scope: 'col', class: 'num' }, l10n.t('Generations')), h('th', { scope: 'col', class: 'bar-col', 'aria-hidden': 'true' }))),
      h('tbody', {}, ...groups.map((g) => h('tr', {},
        h('th', { scope: 'row' }, label(g.key)),
        h('td', { class: 'num' }, formatMoney(g.spent), g.unpriced ? h('span', { class: 'muted' }, ` ${unpriced(g.unpriced)}`) : null),
        h('td', { class: 'num' }, formatCount(g.count)),
        h('td', { class: 'bar-col', 'aria-hidden': 'true' }, h('div', { class: 'bar-track small' }, bar(g.spent / max, false))))))));
}

function detailSection(d: SpendingData): HTMLElement {
  const months = d.summary.months;
  const month = months.find((m) => m.month === selectedMonth) ?? months[0];
  const picker = h('select', { id: 'month-picker', 'aria-label': l10n.t('Month shown below') });
  for (const m of months) {
    const option = h('option', { value: m.month }, formatMonth(m.month));
    if (m.month === month.month) option.selected = true;
    picker.appendChild(option);
  }
  picker.addEventListener('change', () => {
    selectedMonth = picker.value;
    api.setState({ month: selectedMonth });
    render();
    document.getElementById('month-picker')?.focus();
  });
  const body = month.count + month.failed.count === 0
    ? [h('p', { class: 'muted' }, l10n.t('Nothing generated in this month.'))]
    : [
        h('div', { class: 'groups' },
          groupTable('model-table', l10n.t('By model'), l10n.t('Model'), month.byModel, (k) => d.modelLabels[k] ?? k),
          groupTable('storyboard-table', l10n.t('By storyboard'), l10n.t('Storyboard'), month.byStoryboard, (k) => k || l10n.t('(not from a storyboard)'))),
        month.failed.count ? h('p', { class: 'muted', id: 'failed-note' }, failedNote(month.failed.count, formatMoney(month.failed.estimated))) : null,
      ];
  return h('section', { class: 'detail', 'aria-labelledby': 'detail-title' },
    h('div', { class: 'detail-head' }, h('h2', { id: 'detail-title' }, formatMonth(month.month)), h('label', { class: 'picker' }, l10n.t('Month shown below'), ' ', picker)),
    ...body);
}

function pricesSection(d: SpendingData): HTMLElement {
  return h('section', { class: 'prices', 'aria-labelledby': 'prices-title' },
    h('h2', { id: 'prices-title' }, l10n.t('Prices used')),
    h('table', { id: 'price-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, l10n.t('Model')),
        h('th', { scope: 'col' }, l10n.t('Resolution')),
        h('th', { scope: 'col', class: 'num' }, l10n.t('Per second')),
        h('th', { scope: 'col' }, l10n.t('Source')))),
      // One row per resolution the model offers: prices depend on resolution (Seedance 2.5: 2.2x at 720p).
      h('tbody', {}, ...d.prices.flatMap((p) => {
        const rows = p.resolutions?.length ? p.resolutions : [{ resolution: '', perSecond: p.perSecond, source: p.source }];
        return rows.map((r, i) => h('tr', { class: i === 0 ? 'model-first' : 'model-more' },
          i === 0 ? h('th', { scope: 'rowgroup', rowspan: String(rows.length) }, p.label) : null,
          h('td', { class: 'resolution' }, r.resolution),
          h('td', { class: 'num' }, r.perSecond !== undefined ? l10n.t('{0}/s', formatMoney(r.perSecond, 4)) : l10n.t('price unknown')),
          h('td', {}, sourceName(r.source))));
      }))),
    d.catalogueReadAt ? h('p', { class: 'muted' }, l10n.t('Live prices read {0}.', formatDateTime(d.catalogueReadAt))) : null,
    h('div', { class: 'row-actions' }, button('set-prices', l10n.t('Set Prices…'), () => post({ type: 'openSetting', key: 'pricing' }))));
}

function render(): void {
  if (!data) return;
  const current = data.summary.months.find((m) => m.month === data!.summary.currentMonth) ?? data.summary.months[0];
  replaceChildren(root,
    h('h1', {}, l10n.t('Seedance Spending')),
    h('p', { class: 'muted' }, l10n.t('All figures are estimates from the prices below; CometAPI bills the actual amount.')),
    headline(current, data.summary.limit),
    monthsSection(data),
    detailSection(data),
    pricesSection(data));
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as SpendingExtensionMessage;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'data') {
    data = message.data;
    render();
  } else if (message.type === 'exported') {
    exportStatus = message.message;
    const status = document.getElementById('export-status');
    if (status) status.textContent = exportStatus;
  }
});

post({ type: 'ready' });
