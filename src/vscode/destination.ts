// Where a paid request goes, in words for a confirmation: CometAPI itself, the local simulator (nothing is
// billed), or another host the user configured.
import * as vscode from 'vscode';
import { isLoopbackHost } from '../core/baseUrl';
import type { SeedanceSettings } from './settings';

export function describeDestination(settings: Pick<SeedanceSettings, 'apiBase'>): string {
  const base = settings.apiBase();
  if (!base.ok) return vscode.l10n.t('CometAPI');
  const host = new URL(base.url).host;
  if (isLoopbackHost(new URL(base.url).hostname)) return vscode.l10n.t('a local server at {0} (not CometAPI: nothing is billed)', host);
  return host === 'api.cometapi.com' ? vscode.l10n.t('CometAPI (paid)') : vscode.l10n.t('{0} (paid)', host);
}
