// Seedance: Show Spending: one webview with this month and the previous ones against the limit (a bar
// chart and the same figures as a table), this month by model and by storyboard, failed generations apart,
// and an export to CSV. It follows the pricing service, so a generation accepted while it is open shows.
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { ALL_MODELS, MODELS } from '../../core/catalog';
import { formatUsd } from '../../core/pricing/estimate';
import { summarize, toCsv } from '../../core/pricing/summary';
import { parseSpendingMessage, SPENDING_VIEW_TYPE, type PriceNote, type SpendingData, type SpendingExtensionMessage } from '../../shared/spendingProtocol';
import type { RegisterSerializer } from '../deferred';
import type { PricingService } from './pricingService';
import { openPricingSettings } from './pricingSettings';
import { renderSpendingHtml, spendingWebviewOptions } from './spendingHtml';
import { WebviewHost } from '../webviewHost';
import { HostRegistry } from '../webviewHostParts';

/** How long the export's answer waits for a page that is loading again. */
const EXPORTED_TIMEOUT_MS = 15_000;

export interface SpendingViewController extends vscode.Disposable {
  /** Opens the view (or brings it forward). */
  open(): void;
  /** Writes the whole record as CSV to `target`, or asks where; resolves with the file written. */
  exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined>;
}

export function registerSpendingView(
  context: vscode.ExtensionContext,
  pricing: PricingService,
  log: (line: string) => void,
  registerSerializer: RegisterSerializer,
): SpendingViewController {
  // One spending view (webviewHost.ts: single instance, ready handshake, disposal).
  const hosts = new HostRegistry<WebviewHost<SpendingExtensionMessage>>();
  const KEY = 'spending';

  const data = (): SpendingData => {
    const prices: PriceNote[] = MODELS.map((m) => {
      // Each resolution priced on its own (a price known for one resolution is never shown for another).
      const resolutions = m.resolutions.map((resolution) => {
        const e = pricing.estimateRequest({ model: m.id, seconds: 1, resolution });
        return { resolution, source: e.source, ...(e.perSecond !== undefined ? { perSecond: e.perSecond } : {}) };
      });
      const top = resolutions[resolutions.length - 1];
      return {
        model: m.id,
        label: m.label,
        source: top.source,
        ...(top.perSecond !== undefined ? { perSecond: top.perSecond } : {}),
        resolutions,
      };
    });
    const readAt = pricing.catalogueReadAt();
    return {
      summary: summarize(pricing.ledger.list(), Date.now(), pricing.budget().monthlyLimit),
      // Retired models too: spending recorded with them (or with one CometAPI still lists) reads by name.
      modelLabels: Object.fromEntries(ALL_MODELS.map((m) => [m.id, m.label])),
      prices,
      ...(readAt !== undefined ? { catalogueReadAt: readAt } : {}),
      confirmAbove: pricing.budget().confirmAbove,
    };
  };

  const post = (message: SpendingExtensionMessage) => {
    hosts.get(KEY)?.post(message);
  };

  const exportCsv = async (target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    let uri = target;
    if (!uri) {
      const folder = homeWorkspaceFolder()?.uri;
      const name = `seedance-spending-${new Date().toISOString().slice(0, 10)}.csv`;
      uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Seedance Spending'),
        saveLabel: vscode.l10n.t('Export'),
        filters: { [vscode.l10n.t('CSV files')]: ['csv'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      });
      if (!uri) return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(toCsv(pricing.ledger.list())));
    log(`Spending exported to ${uri.fsPath || uri.toString()}.`);
    return uri;
  };

  const adopt = (panel: vscode.WebviewPanel): WebviewHost<SpendingExtensionMessage> => {
    const host: WebviewHost<SpendingExtensionMessage> = new WebviewHost<SpendingExtensionMessage>(panel, {
      name: 'Spending view',
      log,
      closedMessage: () => vscode.l10n.t('The spending view was closed.'),
      receive: async (raw: unknown) => {
        const message = parseSpendingMessage(raw);
        if (!message) {
          log('Spending view: refused a message from the webview.');
          return;
        }
        switch (message.type) {
          case 'ready':
            host.markReady();
            post({ type: 'data', data: data() });
            // The first look at prices may start a catalogue read; its answer updates the view.
            void pricing.refreshCatalogue();
            return;
          case 'openSetting':
            void openPricingSettings(message.key);
            return;
          case 'exportCsv':
            try {
              const uri = await exportCsv();
              // An answer, not state: it waits (briefly) for a page that reloads while the save dialog was open.
              if (uri) void host.postWhenReady({ type: 'exported', ok: true, message: vscode.l10n.t('Exported to {0}.', vscode.workspace.asRelativePath(uri)) }, EXPORTED_TIMEOUT_MS);
            } catch (error) {
              void host.postWhenReady({ type: 'exported', ok: false, message: vscode.l10n.t('Export failed: {0}', error instanceof Error ? error.message : String(error)) }, EXPORTED_TIMEOUT_MS);
            }
            return;
        }
      },
    });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'seedance.svg');
    panel.webview.options = spendingWebviewOptions(context.extensionUri);
    panel.webview.html = renderSpendingHtml(panel.webview, context.extensionUri);
    host.disposables.add(pricing.onDidChange(() => post({ type: 'data', data: data() })));
    return host;
  };

  const registrations: vscode.Disposable[] = [
    registerSerializer(SPENDING_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        hosts.restore(KEY, () => adopt(panel), () => panel.dispose());
      },
    }),
  ];

  return {
    open() {
      const existing = hosts.get(KEY);
      if (existing) {
        existing.panel.reveal(undefined, false);
        return;
      }
      hosts.open(KEY, () => adopt(vscode.window.createWebviewPanel(SPENDING_VIEW_TYPE, vscode.l10n.t('Seedance Spending'), vscode.ViewColumn.Active, {})));
    },
    exportCsv,
    dispose() {
      hosts.dispose();
      for (const r of registrations.splice(0)) r.dispose();
    },
  };
}

/** "This month: $1.20 of $5.00" (or without a limit), for the status bar tooltip. */
export function spendingLine(pricing: PricingService): string {
  const spent = pricing.spentThisMonth();
  const { monthlyLimit } = pricing.budget();
  const usd = formatUsd;
  return monthlyLimit > 0
    ? vscode.l10n.t('Seedance spending this month (estimated): {0} of your {1} limit', usd(spent), usd(monthlyLimit))
    : vscode.l10n.t('Seedance spending this month (estimated): {0} (no monthly limit set)', usd(spent));
}


