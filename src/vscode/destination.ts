// Where a paid request goes, in words for a confirmation: CometAPI itself, this machine (the local simulator:
// nothing is billed), or another host the user configured. The decision is core's (destination.ts).
import * as vscode from 'vscode';
import { destinationOf, type Destination } from '../core/destination';
import type { SeedanceSettings } from './settings';

/** The sentence for the configured base URL (an unusable one is reported elsewhere: say CometAPI). */
export function describeDestination(settings: Pick<SeedanceSettings, 'apiBase'>): string {
  const base = settings.apiBase();
  return destinationText(base.ok ? destinationOf(base.url) : { kind: 'cometapi', host: 'api.cometapi.com' });
}

export function destinationText(destination: Destination): string {
  switch (destination.kind) {
    case 'cometapi':
      return vscode.l10n.t('Sends a paid request to CometAPI ({0}).', destination.host);
    case 'thisMachine':
      return vscode.l10n.t('Sends the request to {0} on this machine (such as the local simulator); CometAPI is not involved and nothing is billed.', destination.host);
    case 'otherHost':
      return vscode.l10n.t('Sends the request to {0} (from seedance.apiBaseUrl), which may bill it.', destination.host);
  }
}
