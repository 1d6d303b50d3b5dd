// The cost estimate next to Generate: recomputed on every form change with the extension's own
// estimateCost and the prices the extension sent, always labelled an estimate; "price unknown" with a
// "Set price…" action instead of $0; and this month's budget when a limit is set (a request that would
// cross it is flagged here, and refused by the extension before anything is sent). Words through
// @vscode/l10n, money through Intl in VS Code's language (./locale).
import * as l10n from '@vscode/l10n';
import { estimateCost, type EstimateArgs } from '../core/pricing/estimate';
import type { PanelPricing } from '../shared/protocol';
import { codicon, h, replaceChildren, setHidden } from './dom';
import type { Host } from './host';
import { formatMoney } from './locale';

/** "($0.06/s, CometAPI price list)": the rate and where it came from. */
function rate(perSecond: number, source: string): string {
  const price = l10n.t('{0}/s', formatMoney(perSecond, 4));
  switch (source) {
    case 'catalogue': return l10n.t('({0}, CometAPI price list)', price);
    case 'table': return l10n.t('({0}, published price)', price);
    case 'setting': return l10n.t('({0}, your seedance.pricing)', price);
    default: return `(${price})`;
  }
}

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
  update(values: EstimateArgs): void {
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
        h('strong', {}, l10n.t('Estimated cost: {0}', formatMoney(e.usd))), ' ',
        h('span', { class: 'muted' }, rate(e.perSecond, e.source)));
    } else {
      delete this.element.dataset.usd;
      const set = h('vscode-button', { id: 'set-price', secondary: true }, l10n.t('Set price…'));
      set.addEventListener('click', () => this.host.post({ type: 'openPriceSettings' }));
      replaceChildren(this.main, codicon('question'), ' ', h('span', {}, l10n.t('Price unknown: no published price for this model.')), ' ', set);
    }
    const lines: string[] = [];
    let warn = false;
    if (pricing.limit > 0) {
      lines.push(l10n.t('This month: {0} of your {1} limit.', formatMoney(pricing.spent), formatMoney(pricing.limit)));
      if (e.usd === undefined) lines.push(l10n.t('With a monthly limit set, you will be asked before a request with an unknown price is sent.'));
      else if (Math.round((pricing.spent + e.usd) * 10_000) / 10_000 > pricing.limit) {
        lines.push(l10n.t('This would go past your monthly limit; it will not be sent.'));
        warn = true;
      }
    }
    if (!warn && e.usd !== undefined && e.usd > pricing.confirmAbove) lines.push(l10n.t('Above {0}: you will be asked to confirm.', formatMoney(pricing.confirmAbove)));
    this.budget.textContent = lines.join(' ');
    this.budget.classList.toggle('over', warn);
    setHidden(this.budget, lines.length === 0);
  }
}
