// The words and fixes for an error: the one place where core's typed errors (kind, reason, status, vendor
// code and message, host) become sentences. Pure (the translator is passed in, `vscode.l10n` at run
// time), so the mapping runs under plain mocha; errorBoundary.ts turns the fixes into actions.
// Type-only (erased): it tells the string export of @vscode/l10n-dev that the l10n calls below are VS Code's,
// while the module stays loadable under plain mocha.
import type { l10n } from 'vscode';
import { isApiError, type ApiError } from '../core/api/errors';
import { PathGuardError } from '../core/files/pathGuard';
import { GenerationInputError } from '../core/generationArgs';
import { BudgetExceededError } from '../core/pricing/budget';
import { GateRefusedError, type Refusal } from '../core/gate/policy';
import { formatUsd } from '../core/pricing/estimate';

/** vscode.l10n.t: English text with {0}-style placeholders. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** vscode.l10n at run time (a parameter named like the import above, so `l10n.t('...')` is what the export scans). */
export interface L10n {
  readonly t: Translate;
}
export type VscodeL10n = typeof l10n;

/** What the person can do about it; the boundary makes each one a button. */
export type ErrorFix =
  | { readonly kind: 'setApiKey' }
  | { readonly kind: 'openSettings'; readonly query: string }
  | { readonly kind: 'showLog' }
  | { readonly kind: 'showSpending' }
  /** "Retry", when the caller can retry. */
  | { readonly kind: 'retry' }
  /** The caller's own extra actions (e.g. "Regenerate"), in this position. */
  | { readonly kind: 'extra' };

export interface ErrorWords {
  readonly message: string;
  readonly fixes: readonly ErrorFix[];
  /** Warnings for things the person can fix or wait out; errors for the rest. */
  readonly severity: 'error' | 'warning';
}

const setApiKey: ErrorFix = { kind: 'setApiKey' };
const showLog: ErrorFix = { kind: 'showLog' };
const retry: ErrorFix = { kind: 'retry' };
const extra: ErrorFix = { kind: 'extra' };
const settings = (query: string): ErrorFix => ({ kind: 'openSettings', query });
const baseUrlSetting = settings('seedance.apiBaseUrl');
const proxySettings = settings('http.proxy');

/**
 * The client reports a failure of our own key getter as "configuration: could not be read" with the real
 * reason as its cause; that cause is what the person needs.
 */
export function unwrapError(error: unknown): unknown {
  return isApiError(error) && error.kind === 'configuration' && isApiError(error.cause) ? error.cause : error;
}

export function errorWords(input: unknown, l10n: L10n): ErrorWords {
  const error = unwrapError(input);
  if (error instanceof GenerationInputError) return { message: error.message, fixes: [extra], severity: 'warning' };
  if (error instanceof BudgetExceededError) {
    return { message: error.message, fixes: [extra, { kind: 'showSpending' }, settings(error.reason === 'over' ? 'seedance.budget.monthlyLimit' : 'seedance.pricing')], severity: 'warning' };
  }
  if (error instanceof GateRefusedError) {
    const setting = error.reason === 'monthlyLimit' ? 'seedance.budget.monthlyLimit' : error.reason === 'unknownPrice' ? 'seedance.pricing' : 'seedance.budget.agentDailyLimit';
    return { message: refusalWords(error.refusal, l10n), fixes: [extra, { kind: 'showSpending' }, settings(setting)], severity: 'warning' };
  }
  if (error instanceof PathGuardError) return { message: error.message, fixes: [extra, settings('seedance.outputFolder')], severity: 'warning' };
  if (error instanceof Error && error.name === 'UncertainSubmissionError') {
    return {
      message: l10n.t('The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed): check your tasks and your CometAPI usage before sending it again.'),
      fixes: [extra],
      severity: 'warning',
    };
  }
  if (!isApiError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { message: l10n.t('Seedance: {0}', message), fixes: [extra, showLog], severity: 'error' };
  }
  return apiErrorWords(error, l10n);
}

function apiErrorWords(e: ApiError, l10n: L10n): ErrorWords {
  const video = e.host === 'video';
  const origin = e.origin ?? (video ? l10n.t('the video host') : 'CometAPI');
  const said = e.vendorMessage ? ` ${l10n.t('CometAPI said: "{0}"', e.vendorMessage)}` : '';
  const mayExist = e.mayHaveReachedServer ? ` ${l10n.t('The video may still have been created: check your tasks before submitting again.')}` : '';
  const status = e.status ?? 0;
  const seconds = e.detail?.seconds ?? 0;
  const words = (message: string, fixes: ErrorFix[], severity: 'error' | 'warning' = 'error'): ErrorWords => ({ message, fixes, severity });

  switch (e.reason) {
    case 'noKey':
      return words(l10n.t('No CometAPI API key is set. Set your key to start generating videos.'), [setApiKey, extra]);
    case 'keyOtherOrigin':
      return words(l10n.t('Your API key was entered for another address, so it was not sent to {0}. Set a key for {0}, or change seedance.apiBaseUrl back.', origin), [setApiKey, extra, baseUrlSetting]);
    case 'keyUnreadable':
      return words(l10n.t("The API key could not be read from VS Code's secret storage."), [setApiKey, extra, showLog]);
    case 'keyUnsendable':
      return words(l10n.t('The API key contains spaces or characters that cannot be sent. Paste the key again.'), [setApiKey, extra]);
    case 'keyRejected':
      return words(l10n.t('CometAPI did not accept the API key (401).') + said, [setApiKey, extra]);
    case 'quota':
      return words(l10n.t('Your CometAPI account is out of balance or quota ({0}). Top it up, or use a key that has quota left.', e.code ?? String(status)) + said, [extra, showLog]);
    case 'forbidden':
      return words(l10n.t('CometAPI refused the request (403): the account may be out of balance or quota, or the key may not be allowed to use this model.') + said, [extra, showLog]);
    case 'blocked':
      return words(l10n.t('Access to {0} was blocked (403) by a firewall in front of the service. Check your network or proxy.', origin), [extra, proxySettings, showLog]);
    case 'badBaseUrl':
      return words(l10n.t('The API address cannot be used: {0}', e.message), [extra, baseUrlSetting]);
    case 'badProxySetting':
      return words(l10n.t('The proxy setting cannot be used: {0}', e.message), [extra, proxySettings]);
    case 'wrongService':
      return video
        ? words(l10n.t('The video host {0} did not send the video (HTTP {1}).', origin, status), [retry, extra, showLog], 'warning')
        : words(l10n.t('The server at {0} did not answer like CometAPI (HTTP {1}). Check the seedance.apiBaseUrl setting; it should look like https://api.cometapi.com.', origin, status), [extra, baseUrlSetting, showLog]);
    case 'modelUnavailable':
      return words(l10n.t('CometAPI has no available channel for this model right now. Choose another model, or check that your account can use it.') + said, [extra, showLog]);
    case 'tooLarge':
      return words(l10n.t('CometAPI refused the request because it is too large (413). Use a smaller reference image.'), [extra]);
    case 'uploadStalled':
      return words(
        l10n.t('The upload to CometAPI stalled: nothing was accepted for {0} s ({1} of {2} MB sent). Nothing was created; check the connection and try again.', seconds, mb(e.detail?.sentBytes), mb(e.detail?.totalBytes)),
        [retry, extra, proxySettings],
        'warning',
      );
    case 'noAnswer':
      return video
        ? words(l10n.t('The video host {0} did not answer within {1} s.', origin, seconds), [retry, extra], 'warning')
        : words(l10n.t('CometAPI did not answer within {0} s.', seconds) + mayExist, [retry, extra], 'warning');
    case 'tls':
      return words(l10n.t('Could not make a secure connection to {0}. A proxy or firewall may be intercepting HTTPS; check the proxy settings.', origin), [retry, extra, proxySettings], 'warning');
    case 'proxy':
      return words(l10n.t('The proxy refused the connection to {0}. Check the proxy settings.', origin), [retry, extra, proxySettings], 'warning');
    case 'connect':
      return video
        ? words(l10n.t('Could not connect to the video host {0}. Check your connection and the proxy settings.', origin), [retry, extra, proxySettings], 'warning')
        : words(l10n.t('Could not connect to CometAPI at {0}. Check your connection, the proxy settings and seedance.apiBaseUrl.', origin), [retry, extra, proxySettings], 'warning');
    case 'connectionLost':
      return video
        ? words(l10n.t('The connection to the video host {0} was lost.', origin), [retry, extra], 'warning')
        : words(l10n.t('The connection to CometAPI was lost.') + mayExist, [retry, extra], 'warning');
    default:
      break;
  }

  switch (e.kind) {
    case 'auth':
      return words(l10n.t('CometAPI refused the request (HTTP {0}).', status) + said, [setApiKey, extra]);
    case 'configuration':
      return words(l10n.t('Seedance cannot send requests as configured: {0}', e.message), [extra, baseUrlSetting]);
    case 'invalidRequest':
      return words(l10n.t('CometAPI refused the request ({0}).', e.code ? `${status} ${e.code}` : String(status)) + (said || ` ${l10n.t('No reason was given.')}`), [extra, showLog]);
    case 'notFound':
      return words(l10n.t('CometAPI does not know this task. It may have been made with another API key, or it is too old.'), [extra], 'warning');
    case 'rateLimited':
      return words(l10n.t('CometAPI is busy right now (too many requests). Wait a moment, then retry.') + said, [retry, extra], 'warning');
    case 'server':
      return video
        ? words(l10n.t('The video host had a problem (HTTP {0}). Retry in a moment.', status), [retry, extra, showLog], 'warning')
        : words(l10n.t('CometAPI had a problem on its side (HTTP {0}). Retry in a moment.', status) + said + mayExist, [retry, extra, showLog], 'warning');
    case 'timeout':
      return video
        ? words(l10n.t('The download from the video host took too long.'), [retry, extra], 'warning')
        : words(l10n.t('CometAPI did not answer in time.') + mayExist, [retry, extra], 'warning');
    case 'network':
      return video
        ? words(l10n.t('The download from the video host failed: {0}', e.message), [retry, extra, proxySettings], 'warning')
        : words(l10n.t('Could not reach CometAPI. Check your connection and the proxy settings.') + mayExist, [retry, extra, proxySettings], 'warning');
    case 'expired':
      return words(l10n.t('The download link for this video is no longer valid, and CometAPI did not give a new one.'), [extra], 'warning');
    case 'invalidResponse':
      return video
        ? words(l10n.t('The video host did not send a complete video: {0}', e.message), [retry, extra, showLog], 'warning')
        : words(l10n.t('The server at {0} did not answer like CometAPI. Check the seedance.apiBaseUrl setting.', origin), [extra, baseUrlSetting, showLog]);
    case 'aborted':
      return words(l10n.t('Cancelled.'), [], 'warning');
    case 'file':
      return words(l10n.t('Could not save the video: {0}', e.message), [extra, showLog]);
    default:
      return words(l10n.t('Seedance: {0}', e.message), [extra, showLog]);
  }
}

function mb(bytes: number | undefined): string {
  return ((bytes ?? 0) / (1024 * 1024)).toFixed(1);
}

/** A task's failure as stored (core/tasks/task.ts TrackedFailure), the parts the words depend on. */
export interface FailureFacts {
  readonly kind?: string;
  readonly code?: string;
  readonly message: string;
}

/**
 * Why a generation failed, followed by what to do next. The service's own words ("The service encountered an
 * unexpected internal error.") say what went wrong but not whether to retry or whether it cost anything: a
 * refused prompt or image needs a change first, anything else is worth another try later. Failed generations
 * are not charged upstream (the spending view says the same and leaves them out of the budget).
 */
export function failureWords(failure: FailureFacts, l10n: L10n): string {
  const reason = storedReasonWords(failure.message, l10n);
  if (failure.kind !== 'service') return reason;
  const moderated = /sensitive|moderation|policy|violation/i.test(`${failure.code ?? ''} ${failure.message}`);
  const next = moderated
    ? l10n.t('Change the prompt or reference image, then Regenerate. Failed generations are not charged.')
    : l10n.t('Try again later with Regenerate. Failed generations are not charged.');
  return `${reason} ${next}`;
}

/**
 * A reason the task layer stored (a task's failure, a download's error), in the display language. Core
 * stores its own reasons in English, the language of records, logs and the public snapshot, and they must
 * follow the display language even for a task stored before it changed: so they are translated here, when
 * shown, not when stored. The service's own words and an error's message are not ours, and stay as stored.
 * Every sentence below is one of core's (test/unit/errorWords.test.ts makes them the way core does).
 */
export function storedReasonWords(text: string, l10n: L10n): string {
  switch (text) {
    // core/polling/applyStatus.ts
    case 'CometAPI no longer knows this task (it may have expired or belong to another key).':
      return l10n.t('CometAPI no longer knows this task (it may have expired or belong to another key).');
    case 'CometAPI reported the video as finished but sent no download link.':
      return l10n.t('CometAPI reported the video as finished but sent no download link.');
    case 'CometAPI reported that the generation failed, without giving a reason.':
      return l10n.t('CometAPI reported that the generation failed, without giving a reason.');
    // core/submit.ts
    case 'The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed); check your CometAPI usage before sending it again.':
      return l10n.t('The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed); check your CometAPI usage before sending it again.');
    // core/tasks/task.ts (the public snapshot's words for an uncertain task)
    case 'The request may have reached CometAPI, but no task id came back, so it cannot be followed. Check your CometAPI usage before resubmitting.':
      return l10n.t('The request may have reached CometAPI, but no task id came back, so it cannot be followed. Check your CometAPI usage before resubmitting.');
    // core/tasks/persistence.ts
    case 'VS Code closed while this request was being sent; it may or may not have reached CometAPI.':
      return l10n.t('VS Code closed while this request was being sent; it may or may not have reached CometAPI.');
    // core/tasks/persistence.ts, core/download/videoSaver.ts
    case 'The download was interrupted when VS Code closed.':
      return l10n.t('The download was interrupted when VS Code closed.');
    case 'The download was cancelled.':
      return l10n.t('The download was cancelled.');
    default:
      break;
  }
  // core/download/videoSaver.ts: the download's overall deadline ("5 min", or "900 ms" in tests).
  const deadline = /^The download did not finish within (\d+) (min|ms); it was stopped\. Try "Download Again"\.$/.exec(text);
  if (deadline) {
    return deadline[2] === 'min'
      ? l10n.t('The download did not finish within {0} min; it was stopped. Try "Download Again".', Number(deadline[1]))
      : l10n.t('The download did not finish within {0} ms; it was stopped. Try "Download Again".', Number(deadline[1]));
  }
  return text;
}

/**
 * A refusal in the person's language, addressed to them (the error's own message is core's English text for
 * agents and other extensions, which speaks of "the user").
 */
function refusalWords(refusal: Refusal, l10n: L10n): string {
  const limit = formatUsd(refusal.limit);
  const spent = formatUsd(refusal.spent);
  const usd = refusal.usd === undefined ? undefined : formatUsd(refusal.usd);
  switch (refusal.reason) {
    case 'monthlyLimit':
      return usd === undefined
        ? l10n.t('Not sent: this request would take this month\'s Seedance spending past your limit of {0}; {1} is counted so far, requests that may have been billed included. Raise the monthly limit or wait for next month.', limit, spent)
        : l10n.t('Not sent: this request, estimated at {0}, would take this month\'s Seedance spending past your limit of {1}; {2} is counted so far, requests that may have been billed included. Raise the monthly limit or wait for next month.', usd, limit, spent);
    case 'unknownPrice':
      return refusal.limit > 0
        ? l10n.t('Not sent: the price of this request is unknown, so it cannot be checked against your limit of {0}. Set the model\'s price in the seedance.pricing setting, or send it from the Generate panel, which asks you first.', limit)
        : l10n.t('Not sent: the price of this request is unknown, so it cannot be checked against your budget. Set the model\'s price in the seedance.pricing setting, or send it from the Generate panel, which asks you first.');
    case 'agentDisabled':
      return l10n.t('Not sent: agents may only estimate costs and list videos (the agent daily limit is 0). Generate it yourself from the Generate panel, or raise the agent daily limit.');
    case 'agentDailyLimit':
      return usd === undefined
        ? l10n.t('Not sent: this request would take what agents started today past your daily agent limit of {0}; {1} is counted today. Generate it yourself from the Generate panel, or raise the agent daily limit.', limit, spent)
        : l10n.t('Not sent: this request, estimated at {0}, would take what agents started today past your daily agent limit of {1}; {2} is counted today. Generate it yourself from the Generate panel, or raise the agent daily limit.', usd, limit, spent);
  }
}
