// The spending view's browser code: draws what the extension sends (`data`), as a bar chart of months with
// the limit marked and, beside it, a table with the same figures (the chart is for the eye; the table is
// what a screen reader and the keyboard read). Only textContent and the CSSOM are used, never innerHTML
// or style attributes, so the strict CSP holds.
import '@vscode-elements/elements/dist/vscode-button/index.js';

import { formatPerSecond, formatUsd } from '../../core/pricing/estimate';
import type { MonthSpending, SpendingGroup } from '../../core/pricing/summary';
import type { SpendingData, SpendingExtensionMessage, SpendingWebviewMessage } from '../../shared/spendingProtocol';
import { h, replaceChildren } from '../dom';
import { S } from './strings';

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

function monthName(key: string): string {
  const [y, m] = key.split('-').map(Number);
  return new Date(y, m - 1, 1).toLocaleDateString(undefined, { year: 'numeric', month: 'long' });
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
  const spent = formatUsd(month.spent);
  const text = limit > 0 ? S.ofLimit(spent, formatUsd(limit)) : S.noLimit(spent);
  const status = limit > 0
    ? (month.spent <= limit ? S.left(formatUsd(limit - month.spent)) : S.over(formatUsd(month.spent - limit)))
    : '';
  const meter = h('div', { class: 'meter', role: 'presentation' });
  if (limit > 0) meter.appendChild(bar(month.spent / limit, month.spent > limit));
  return h('section', { class: 'headline', 'aria-labelledby': 'this-month-title' },
    h('h2', { id: 'this-month-title' }, `${S.thisMonth} · ${monthName(month.month)}`),
    h('p', { class: 'big', id: 'this-month-total' }, text),
    status ? h('p', { class: month.spent > limit ? 'status over-text' : 'status' }, status) : null,
    limit > 0 ? meter : null,
    h('div', { class: 'row-actions' },
      button('set-limit', limit > 0 ? S.changeLimit : S.setLimit, () => post({ type: 'openSetting', key: 'budget.monthlyLimit' })),
      button('export', S.exportCsv, () => post({ type: 'exportCsv' }), false)),
    h('p', { class: 'muted', id: 'export-status', role: 'status' }, exportStatus));
}

function monthsSection(d: SpendingData): HTMLElement {
  const { months, limit } = d.summary;
  const shown = months.slice(0, 12);
  const scale = Math.max(limit, ...shown.map((m) => m.spent), 0.01);
  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': S.chartLabel(shown.length), id: 'month-chart' });
  for (const m of shown) {
    const track = h('div', { class: 'bar-track' }, bar(m.spent / scale, limit > 0 && m.spent > limit));
    if (limit > 0) {
      const marker = h('div', { class: 'limit-marker', title: S.limitMarker });
      marker.style.left = `${(limit / scale) * 100}%`;
      track.appendChild(marker);
    }
    chart.appendChild(h('div', { class: 'chart-row', 'aria-hidden': 'true' },
      h('span', { class: 'chart-label' }, monthName(m.month)), track, h('span', { class: 'chart-value' }, formatUsd(m.spent))));
  }
  const table = h('table', { id: 'month-table' },
    h('caption', { class: 'visually-hidden' }, S.months),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, S.month), h('th', { scope: 'col', class: 'num' }, S.spent),
      h('th', { scope: 'col', class: 'num' }, S.generations), h('th', { scope: 'col', class: 'num' }, S.failed))),
    h('tbody', {}, ...shown.map((m) => h('tr', { 'data-month': m.month },
      h('th', { scope: 'row' }, monthName(m.month)),
      h('td', { class: 'num' }, formatUsd(m.spent), m.unpriced ? h('span', { class: 'muted' }, ` (${S.unpriced(m.unpriced)})`) : null),
      h('td', { class: 'num' }, String(m.count)),
      h('td', { class: 'num' }, String(m.failed.count))))));
  return h('section', { class: 'months', 'aria-labelledby': 'months-title' },
    h('h2', { id: 'months-title' }, S.months),
    h('div', { class: 'side-by-side' }, chart, h('div', { class: 'table-wrap' }, table)));
}

function groupTable(id: string, title: string, keyHeader: string, groups: readonly SpendingGroup[], label: (key: string) => string): HTMLElement {
  const max = Math.max(...groups.map((g) => g.spent), 0.01);
  return h('section', { class: 'group', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('table', { id },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, keyHeader), h('th', { scope: 'col', class: 'num' }, S.spent), h('th', { scope: 'col', class: 'num' }, S.generations), h('th', { scope: 'col', class: 'bar-col', 'aria-hidden': 'true' }))),
      h('tbody', {}, ...groups.map((g) => h('tr', {},
        h('th', { scope: 'row' }, label(g.key)),
        h('td', { class: 'num' }, formatUsd(g.spent), g.unpriced ? h('span', { class: 'muted' }, ` (${S.unpriced(g.unpriced)})`) : null),
        h('td', { class: 'num' }, String(g.count)),
        h('td', { class: 'bar-col', 'aria-hidden': 'true' }, h('div', { class: 'bar-track small' }, bar(g.spent / max, false))))))));
}

function detailSection(d: SpendingData): HTMLElement {
  const months = d.summary.months;
  const month = months.find((m) => m.month === selectedMonth) ?? months[0];
  const picker = h('select', { id: 'month-picker', 'aria-label': S.monthPicker });
  for (const m of months) {
    const option = h('option', { value: m.month }, monthName(m.month));
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
    ? [h('p', { class: 'muted' }, S.nothing)]
    : [
        h('div', { class: 'groups' },
          groupTable('model-table', S.byModel, S.model, month.byModel, (k) => d.modelLabels[k] ?? k),
          groupTable('storyboard-table', S.byStoryboard, S.storyboard, month.byStoryboard, (k) => k || S.noStoryboard)),
        month.failed.count ? h('p', { class: 'muted', id: 'failed-note' }, S.failedNote(month.failed.count, formatUsd(month.failed.estimated))) : null,
      ];
  return h('section', { class: 'detail', 'aria-labelledby': 'detail-title' },
    h('div', { class: 'detail-head' }, h('h2', { id: 'detail-title' }, monthName(month.month)), h('label', { class: 'picker' }, S.monthPicker, ' ', picker)),
    ...body);
}

function pricesSection(d: SpendingData): HTMLElement {
  return h('section', { class: 'prices', 'aria-labelledby': 'prices-title' },
    h('h2', { id: 'prices-title' }, S.prices),
    h('table', { id: 'price-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, S.model), h('th', { scope: 'col', class: 'num' }, S.perSecond), h('th', { scope: 'col' }, S.source))),
      h('tbody', {}, ...d.prices.map((p) => h('tr', {},
        h('th', { scope: 'row' }, p.label),
        h('td', { class: 'num' }, p.perSecond !== undefined ? formatPerSecond(p.perSecond) : S.unknownPrice),
        h('td', {}, S.sources[p.source] ?? p.source))))),
    d.catalogueReadAt ? h('p', { class: 'muted' }, S.catalogueRead(new Date(d.catalogueReadAt).toLocaleString())) : null,
    h('div', { class: 'row-actions' }, button('set-prices', S.setPrices, () => post({ type: 'openSetting', key: 'pricing' }))));
}

function render(): void {
  if (!data) return;
  const current = data.summary.months.find((m) => m.month === data!.summary.currentMonth) ?? data.summary.months[0];
  replaceChildren(root,
    h('h1', {}, S.title),
    h('p', { class: 'muted' }, S.estimateNote),
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
