// The cost estimate next to Generate: recomputed on every form change with the extension's own
// estimateCost and the prices the extension sent, always labelled an estimate; "price unknown" with a
// "Set price…" action instead of $0; and this month's budget when a limit is set (a request that would
// cross it is flagged here, and refused by the extension before anything is sent).
import { estimateCost, formatPerSecond, formatUsd } from '../core/pricing/estimate';
import type { PanelPricing } from '../shared/protocol';
import { codicon, h, replaceChildren, setHidden } from './dom';
import type { Host } from './host';

const STRINGS = {
  estimate: (usd: string) => `Estimated cost: ${usd}`,
  rate: (perSecond: string, source: string) => `${perSecond}, ${source}`,
  sources: { catalogue: 'CometAPI price list', table: 'published price', setting: 'your seedance.pricing', unknown: '' } as Record<string, string>,
  unknown: 'Price unknown: no published price for this model.',
  setPrice: 'Set price…',
  month: (spent: string, limit: string) => `This month: ${spent} of your ${limit} limit.`,
  over: 'This would go past your monthly limit; it will not be sent.',
  unknownWithLimit: 'With a monthly limit set, you will be asked before a request with an unknown price is sent.',
  confirm: (threshold: string) => `Above ${threshold}: you will be asked to confirm.`,
};

export class EstimateView {
  readonly element: HTMLElement;
  private readonly main: HTMLElement;
  private readonly budget: HTMLElement;
  private pricing: PanelPricing | undefined;

  constructor(private readonly host: Host) {
    this.main = h('span', { id: 'estimate-text' });
    this.budget = h('p', { id: 'estimate-budget', class: 'estimate-budget muted' });
    this.element = h('div', { id: 'estimate', class: 'estimate', role: 'status', 'aria-live': 'polite', hidden: true }, this.main, this.budget);
  }

  setPricing(pricing: PanelPricing): void {
    this.pricing = pricing;
  }

  /** Redraws for the form's current values (cheap: a lookup and a multiplication). */
  update(values: { model: string; seconds: number; resolution: string }): void {
    const pricing = this.pricing;
    if (!pricing || !values.model) {
      setHidden(this.element, true);
      return;
    }
    setHidden(this.element, false);
    const e = estimateCost(values, pricing.sources);
    this.element.dataset.source = e.source;
    if (e.usd !== undefined && e.perSecond !== undefined) {
      this.element.dataset.usd = String(e.usd);
      replaceChildren(this.main,
        codicon('credit-card'), ' ',
        h('strong', {}, STRINGS.estimate(formatUsd(e.usd))), ' ',
        h('span', { class: 'muted' }, `(${STRINGS.rate(formatPerSecond(e.perSecond), STRINGS.sources[e.source])})`));
    } else {
      delete this.element.dataset.usd;
      const set = h('vscode-button', { id: 'set-price', secondary: true }, STRINGS.setPrice);
      set.addEventListener('click', () => this.host.post({ type: 'openPriceSettings' }));
      replaceChildren(this.main, codicon('question'), ' ', h('span', {}, STRINGS.unknown), ' ', set);
    }
    const lines: string[] = [];
    let warn = false;
    if (pricing.limit > 0) {
      lines.push(STRINGS.month(formatUsd(pricing.spent), formatUsd(pricing.limit)));
      if (e.usd === undefined) lines.push(STRINGS.unknownWithLimit);
      else if (Math.round((pricing.spent + e.usd) * 10_000) / 10_000 > pricing.limit) {
        lines.push(STRINGS.over);
        warn = true;
      }
    }
    if (!warn && e.usd !== undefined && e.usd > pricing.confirmAbove) lines.push(STRINGS.confirm(formatUsd(pricing.confirmAbove)));
    this.budget.textContent = lines.join(' ');
    this.budget.classList.toggle('over', warn);
    setHidden(this.budget, lines.length === 0);
  }
}
