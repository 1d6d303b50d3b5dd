// The gate every paid request passes right before it is sent (prepare -> quote -> authorize -> persist ->
// send; GenerationController runs the steps, this is quote and authorize). The rule itself is pure and in
// core (src/core/gate/policy.ts); this adapter quotes the request, re-reads the spending record (other
// windows' spending counts at once), asks the person what the policy says to ask through the one seam for
// money questions (modal.ts ask), authorizes again after every answer, and counts an admitted request as
// spent until it is recorded, so two quick requests cannot both slip under a limit.
import * as vscode from 'vscode';
import { findModel } from '../../core/catalog';
import { authorize, GateRefusedError, starterOf, type Caller, type GateSettings, type Question, type Verdict } from '../../core/gate/policy';
import { formatUsd, type EstimateArgs } from '../../core/pricing/estimate';
import type { TrackedTask } from '../../core/tasks/task';
import { ask } from '../modal';
import type { PricingService } from './pricingService';
import { priceLabels, type PriceLabels } from './priceLabels';
import { openPricingSettings, readGateSettings } from './pricingSettings';

export { GateRefusedError } from '../../core/gate/policy';

/** What the gate quotes: the fields the price depends on. */
export type GateRequest = EstimateArgs;

export interface AdmitOptions {
  readonly caller: Caller;
  /** Questions the entry point's own UI already answered (the panel's Generate button, the quick input). */
  readonly answered?: readonly Question[];
  /** The review dialog's title and lines (what is sent), for callers whose review is the gate's dialog. */
  readonly review?: { readonly message: string; readonly detail: string };
}

/** Call when the create is over, whatever happened, with the task if one was made. */
export type Admission = (task?: TrackedTask) => void;

export interface BatchAuthorization {
  /** person: Generate All (asked once, with the total); agent: the storyboard tool (never asked, capped). */
  readonly caller: { readonly kind: 'person' } | { readonly kind: 'agent' };
  /** The total; undefined when any shot's price is unknown. */
  readonly usd: number | undefined;
  readonly count: number;
  /** The dialog: its title, lines (shots, total, skipped ones) and the button that says yes. */
  readonly message: string;
  readonly detail: string;
  readonly go: string;
}

export class PaymentGate {
  /** The estimate in words, for the quick-input flow and the confirmation. */
  readonly labels: PriceLabels;

  constructor(
    private readonly pricing: PricingService,
    private readonly settings: () => GateSettings = readGateSettings,
  ) {
    this.labels = priceLabels(pricing);
  }

  /**
   * Quote and authorize one create. Resolves with the admission once it may be sent; throws
   * GateRefusedError (nothing is sent) or CancellationError when the person said no.
   */
  async admit(request: GateRequest, options: AdmitOptions): Promise<Admission> {
    const by = starterOf(options.caller);
    // Reserved in the same turn as the policy's "allow": no other request can be decided in between.
    const release = await this.authorizeOne(request, options, [...(options.answered ?? [])], (usd) => this.pricing.reserve(usd, by === 'agent'));
    return (task) => {
      if (task?.remoteId) this.pricing.recordAccepted(task, { by });
      else if (task?.status === 'uncertain') this.pricing.recordUncertain(task, { by });
      release();
    };
  }

  /**
   * Asks the person now what admit would ask, without reserving anything, for a caller that must change
   * something before it sends (a storyboard shot gets its id written only after a yes, so a no leaves the
   * file as it was). Resolves with the questions answered, to hand to admit, which still quotes, checks the
   * limits and reserves; throws GateRefusedError or CancellationError like admit.
   */
  async askFirst(request: GateRequest, options: AdmitOptions): Promise<readonly Question[]> {
    const answered = [...(options.answered ?? [])];
    await this.authorizeOne(request, options, answered, () => undefined);
    return answered;
  }

  /**
   * A batch's one authorization, with its total: a person is asked once (whatever confirmAbove and
   * confirmBeforeSubmit say, the answer covers every shot inside it); an agent's batch is refused whole past
   * its daily cap. The monthly limit is checked shot by shot (what fits is sent, in order; the run stops at
   * the limit and names the shots left), so here the dialog only says how far it reaches. The shots are
   * then admitted as `{ kind: 'batch' }`, which is never asked again. Throws like admit.
   */
  async authorizeBatch(batch: BatchAuthorization): Promise<void> {
    const answered: Question[] = [];
    for (;;) {
      const settings = this.settings();
      const spending = this.pricing.spending({ reread: true });
      const verdict = authorize({
        caller: batch.caller,
        quote: { usd: batch.usd, count: batch.count },
        spending,
        settings: { ...settings, monthlyLimit: 0 },
        answered,
      });
      if (verdict.kind === 'refuse') throw new GateRefusedError(verdict);
      if (verdict.kind === 'allow') return;
      const notes = [batch.detail];
      if (verdict.questions.includes('unknownPrice')) notes.push(vscode.l10n.t('Some shots have no known price, so the total cannot be checked against your budget; they are recorded without a price.'));
      if (verdict.questions.includes('aboveThreshold')) notes.push(vscode.l10n.t('The total is above your confirmation threshold of {0} (seedance.budget.confirmAbove); this one confirmation covers every shot in it.', formatUsd(verdict.threshold)));
      const left = settings.monthlyLimit > 0 ? Math.max(0, settings.monthlyLimit - spending.spentThisMonth) : undefined;
      if (left !== undefined && batch.usd !== undefined && batch.usd > left) {
        notes.push(vscode.l10n.t('Your monthly limit leaves {0}: shots are sent in order until the limit is reached, and the rest are not sent.', formatUsd(left)));
      }
      const answer = await ask({ id: 'gate.batch', message: batch.message, detail: notes.join('\n'), choices: [batch.go] });
      if (answer !== batch.go) throw new vscode.CancellationError();
      answered.push(...verdict.questions);
    }
  }

  /** The person dismissed an uncertain create (not billed): it stops counting. */
  dismissUncertain(localId: string): Promise<void> {
    return this.pricing.dismissUncertain(localId);
  }

  /** What agents may still start today (for the agent tools' confirmation and answers). */
  agentAllowance(): { readonly limit: number; readonly spentToday: number } {
    return { limit: this.settings().agentDailyLimit, spentToday: this.pricing.spending({ reread: true }).agentSpentToday };
  }

  /**
   * Quotes the request and runs the policy until it allows (asking the person in between); `answered`
   * collects the answers. `allowed` runs synchronously with the "allow", so what it reserves is counted by
   * the next decision.
   */
  private async authorizeOne<T>(
    request: GateRequest,
    options: AdmitOptions,
    answered: Question[],
    allowed: (usd: number | undefined) => T,
  ): Promise<T> {
    const estimate = await this.pricing.estimateBeforeSend(request);
    for (;;) {
      const verdict = this.decide(options.caller, estimate.usd, answered);
      if (verdict.kind === 'refuse') throw new GateRefusedError(verdict);
      if (verdict.kind === 'allow') return allowed(estimate.usd);
      if (!(await this.askOne(verdict, request, options.review))) throw new vscode.CancellationError();
      answered.push(...verdict.questions);
    }
  }

  /** The policy on fresh figures: the stored ledger is read again every time. */
  private decide(caller: Caller, usd: number | undefined, answered: readonly Question[], count = 1): Verdict {
    return authorize({
      caller,
      quote: { usd, count },
      spending: this.pricing.spending({ reread: true }),
      settings: this.settings(),
      answered,
    });
  }

  /** One dialog for every open question of one request; true when the person said yes. */
  private async askOne(verdict: Extract<Verdict, { kind: 'ask' }>, request: GateRequest, review: AdmitOptions['review']): Promise<boolean> {
    const reviewLines = verdict.questions.includes('review') && review ? [review.detail] : [];
    if (verdict.questions.includes('unknownPrice')) {
      const send = vscode.l10n.t('Send Anyway');
      const setPrice = vscode.l10n.t('Set Price…');
      const { monthlyLimit } = this.settings();
      const spent = this.pricing.spentThisMonth();
      const answer = await ask({
        id: 'gate.unknownPrice',
        message: vscode.l10n.t('The price of {0} is unknown.', findModel(request.model)?.label ?? request.model),
        detail: [
          ...reviewLines,
          monthlyLimit > 0
            ? vscode.l10n.t('Your monthly limit is {0} and {1} is spent so far, so this request cannot be checked against it. Set the price in seedance.pricing, or send it anyway (it is recorded without a price).', formatUsd(monthlyLimit), formatUsd(spent))
            : vscode.l10n.t('Its cost cannot be estimated. Set the price in seedance.pricing, or send it anyway (it is recorded without a price).'),
        ].join('\n'),
        choices: [send, setPrice],
      });
      if (answer === setPrice) void openPricingSettings('pricing');
      return answer === send;
    }
    const go = vscode.l10n.t('Generate');
    if (verdict.questions.includes('aboveThreshold')) {
      const answer = await ask({
        id: 'gate.aboveThreshold',
        message: vscode.l10n.t('This video is estimated at {0}. Generate it?', formatUsd(verdict.usd ?? 0)),
        detail: [...reviewLines, vscode.l10n.t('That is above your confirmation threshold of {0} per request (seedance.budget.confirmAbove). The figure is an estimate; CometAPI bills the actual amount.', formatUsd(verdict.threshold))].join('\n'),
        choices: [go],
      });
      return answer === go;
    }
    const answer = await ask({
      id: 'gate.review',
      message: review?.message ?? vscode.l10n.t('Generate this video?'),
      detail: [review?.detail ?? '', verdict.usd !== undefined ? vscode.l10n.t('Estimated cost: {0}.', formatUsd(verdict.usd)) : ''].filter(Boolean).join('\n'),
      choices: [go],
    });
    return answer === go;
  }
}
