// The storyboard commands: new, generate one shot, generate all, preview. Each checks its own arguments
// (they come from CodeLens, the palette, the preview and other extensions).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exampleStoryboard } from '../../core/storyboard/example';
import type { CommandSpec } from '../commands/register';
import type { StoryboardPreviews } from './previewPanel';
import { ShotGeneration } from './shotGeneration';

export function storyboardCommands(generation: ShotGeneration, previews: StoryboardPreviews): Record<string, CommandSpec> {
  return {
    'seedance.storyboard.new': { run: () => newStoryboard() },
    'seedance.storyboard.generateShot': {
      run: (uri?: unknown, shotId?: unknown) => generation.generateShot(uri, shotId),
      // Another extension that named the shot gets the rejection, not a notification; the CodeLens and the
      // preview (which pass 'interactive') get the notification.
      options: { rethrowWhen: (_uri?: unknown, shotId?: unknown, how?: unknown) => typeof shotId === 'string' && how !== 'interactive' },
    },
    'seedance.storyboard.generateAll': { run: (uri?: unknown) => generation.generateAll(uri) },
    'seedance.storyboard.preview': {
      run: (uri?: unknown, shotId?: unknown) => {
        const target = ShotGeneration.storyboardUri(uri ?? previewFallback());
        previews.show(target, typeof shotId === 'string' ? shotId : undefined);
      },
    },
  };
}

/** The active storyboard editor, or the only storyboard open in any editor. */
function previewFallback(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.fsPath.endsWith('.storyboard.md')) return active;
  return vscode.window.visibleTextEditors.map((e) => e.document.uri).find((u) => u.fsPath.endsWith('.storyboard.md'));
}

/** Creates `storyboard.storyboard.md` (or -2, -3, ...) in the workspace folder, or asks where. */
async function newStoryboard(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  let target: vscode.Uri | undefined;
  if (folder) {
    for (let n = 1; n < 1000 && !target; n++) {
      const candidate = vscode.Uri.joinPath(folder.uri, n === 1 ? 'storyboard.storyboard.md' : `storyboard-${n}.storyboard.md`);
      try {
        await vscode.workspace.fs.stat(candidate);
      } catch {
        target = candidate;
      }
    }
  } else {
    target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('New Storyboard'),
      saveLabel: vscode.l10n.t('Create Storyboard'),
      filters: { [vscode.l10n.t('Storyboard')]: ['storyboard.md'] },
    });
    if (target && !target.path.endsWith('.storyboard.md')) target = target.with({ path: target.path.replace(/(\.md)?$/, '.storyboard.md') });
  }
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exampleStoryboard()));
  await vscode.window.showTextDocument(target);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Created {0}', path.basename(target.fsPath)), 5_000);
  return target;
}
