// The storyboard commands: new, generate one shot, generate all, preview. Their arguments come from CodeLens,
// the palette, the preview and other extensions (types: ../commands/commandTypes.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { exampleStoryboard } from '../../core/storyboard/example';
import { STORYBOARD_SUFFIX } from '../../core/storyboard/takes';
import { slugify } from '../../core/files/outputNaming';
import type { CommandTable } from '../commands/commandTypes';
import type { StoryboardPreviews } from './previewPanel';
import { ShotGeneration } from './shotGeneration';

export type StoryboardCommandId = 'seedance.storyboard.new' | 'seedance.storyboard.generateShot' | 'seedance.storyboard.generateAll' | 'seedance.storyboard.preview';

export function storyboardCommands(generation: ShotGeneration, previews: StoryboardPreviews): CommandTable<StoryboardCommandId> {
  return {
    'seedance.storyboard.new': { run: (title, fileName) => newStoryboard(title, fileName) },
    'seedance.storyboard.generateShot': {
      run: (uri, shotId) => generation.generateShot(uri, shotId),
      // Another extension that named the shot gets the rejection, not a notification; the CodeLens and the
      // preview (which pass 'interactive') get the notification.
      rethrowWhen: (_uri, shotId, how) => typeof shotId === 'string' && how !== 'interactive',
    },
    'seedance.storyboard.generateAll': { run: (uri) => generation.generateAll(uri) },
    'seedance.storyboard.preview': {
      run: (uri, shotId) => {
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

/**
 * Asks for the film's title and the file's name (suggested from the title), then writes the example under
 * that title in the workspace folder; without a folder, asks where. `title` and `fileName` may be passed
 * (tests, other extensions) to skip the questions.
 */
async function newStoryboard(titleArg?: unknown, fileNameArg?: unknown): Promise<vscode.Uri | undefined> {
  const folder = homeWorkspaceFolder();
  const title = typeof titleArg === 'string' && titleArg.trim() ? titleArg.trim() : await vscode.window.showInputBox({
    title: vscode.l10n.t('New Storyboard'),
    prompt: vscode.l10n.t('The film\'s title (it goes in the front matter and the heading)'),
    value: vscode.l10n.t('My Film'),
    // Two questions in a row, as in Generate Video's: a click elsewhere or a preview that opens to capture a
    // frame does not throw away what was typed (Escape does).
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give the film a title.')),
  });
  if (title === undefined) return undefined;
  let target: vscode.Uri | undefined;
  if (folder) {
    const suggested = await freeName(folder.uri, slugify(title.trim()) || 'storyboard');
    const name = typeof fileNameArg === 'string' && fileNameArg.trim() ? fileNameArg.trim() : await vscode.window.showInputBox({
      title: vscode.l10n.t('New Storyboard'),
      prompt: vscode.l10n.t('The file name, in {0} (its takes are saved in a folder of the same name)', folder.name),
      value: suggested,
      valueSelection: [0, suggested.length - STORYBOARD_SUFFIX.length],
      ignoreFocusOut: true,
      validateInput: async (v) => {
        const n = withSuffix(v.trim());
        if (!v.trim() || /[\\/:*?"<>|]/.test(n)) return vscode.l10n.t('Use a file name without slashes or any of : * ? " < > |');
        return (await exists(vscode.Uri.joinPath(folder.uri, n))) ? vscode.l10n.t('{0} already exists.', n) : undefined;
      },
    });
    if (name === undefined) return undefined;
    target = vscode.Uri.joinPath(folder.uri, withSuffix(name));
    if (await exists(target)) throw new Error(vscode.l10n.t('{0} already exists.', path.basename(target.fsPath)));
  } else {
    target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('New Storyboard'),
      saveLabel: vscode.l10n.t('Create Storyboard'),
      filters: { [vscode.l10n.t('Storyboard')]: ['storyboard.md'] },
    });
    if (target && !target.path.endsWith('.storyboard.md')) target = target.with({ path: target.path.replace(/(\.md)?$/, '.storyboard.md') });
  }
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exampleStoryboard(title.trim())));
  await vscode.window.showTextDocument(target);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Created {0}', path.basename(target.fsPath)), 5_000);
  return target;
}

function withSuffix(name: string): string {
  if (name.toLowerCase().endsWith(STORYBOARD_SUFFIX)) return name;
  return `${name.replace(/\.md$/i, '')}${STORYBOARD_SUFFIX}`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** "my-film.storyboard.md", or "my-film-2.storyboard.md" when that is taken. */
async function freeName(folder: vscode.Uri, base: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const name = `${n === 1 ? base : `${base}-${n}`}${STORYBOARD_SUFFIX}`;
    if (!(await exists(vscode.Uri.joinPath(folder, name)))) return name;
  }
  return `${base}-${Date.now()}${STORYBOARD_SUFFIX}`;
}
