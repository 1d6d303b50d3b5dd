// A progress notification while a large reference image uploads: over a slow uplink a 20 MB image takes
// more than a minute, and without it the submit looks hung. Small images go without (they take a moment).
import * as vscode from 'vscode';
import type { UploadProgress } from '../core/api/transport';

/** Images from this size up get a progress notification. */
export const LARGE_IMAGE_BYTES = 2 * 1024 * 1024;

const MB = 1024 * 1024;

export function withUploadProgress<T>(imageBytes: number, send: (onUploadProgress?: UploadProgress) => Promise<T>): Promise<T> {
  if (imageBytes < LARGE_IMAGE_BYTES) return send(undefined);
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Seedance: uploading the reference image'), cancellable: false },
      (progress) => {
        let shown = 0;
        return send((sent, total) => {
          const percent = Math.floor((sent / Math.max(1, total)) * 100);
          if (percent <= shown) return;
          const message = sent >= total
            ? vscode.l10n.t('Sent; waiting for CometAPI to answer...')
            : vscode.l10n.t('{0} of {1} MB', (sent / MB).toFixed(1), (total / MB).toFixed(1));
          progress.report({ increment: percent - shown, message });
          shown = percent;
        });
      },
    ),
  );
}
