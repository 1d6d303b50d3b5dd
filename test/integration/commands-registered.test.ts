// package.json and the code agree: every contributed command and view is registered, and every registered
// `seedance.*` command is contributed. Generic over package.json, so it keeps up as commands are added.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, screenshot, waitFor } from './helpers';
import { seedance } from './seedanceKit';

interface ViewContribution { id: string; type?: string; name?: string }
interface Manifest {
  contributes?: {
    commands?: { command: string }[];
    views?: Record<string, ViewContribution[]>;
    viewsContainers?: Record<string, { id: string }[]>;
    menus?: Record<string, { command?: string; submenu?: string }[]>;
    keybindings?: { command: string }[];
  };
}
/** Commands VS Code itself registers for each contributed view (`<viewId>.focus` and friends). */
const VIEW_COMMAND_SUFFIXES = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];

describe('commands and views', () => {
  let manifest: Manifest;
  let contributed: string[];
  let views: ViewContribution[];

  before(async () => {
    const ext = await activeExtension();
    manifest = ext.packageJSON as Manifest;
    contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    views = Object.values(manifest.contributes?.views ?? {}).flat();
  });

  it('registers every command package.json contributes', async () => {
    // Registration happens during activate(); poll briefly in case it finishes on the next tick.
    const missing = await waitFor(async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      const m = contributed.filter((c) => !all.has(c));
      return m.length === 0 ? [] : undefined;
    }, 'every contributed command to be registered', 10_000).catch(async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      return contributed.filter((c) => !all.has(c));
    });
    assert.deepEqual(missing, [], 'contributed in package.json but not registered');
  });

  it('has a handler in the features bundle for every contributed command, and no other', async () => {
    // Activation registers the contributed ids and hands each call to the features (src/vscode/deferred.ts).
    const handled = (await seedance()).testHooks.featureCommandIds();
    assert.deepEqual([...handled].sort(), [...contributed].sort());
  });

  it('registers a serializer for every webview panel it activates on, so open panels come back after a reload', () => {
    const viewTypes = ((manifest as { activationEvents?: string[] }).activationEvents ?? [])
      .map((e) => /^onWebviewPanel:(.+)$/.exec(e)?.[1])
      .filter((t): t is string => !!t);
    assert.ok(viewTypes.length >= 3, `expected the panel, spending and preview webviews, got ${viewTypes.join(', ')}`);
    for (const viewType of viewTypes) {
      // A second serializer for the same type is refused only if the extension registered one.
      let probe: vscode.Disposable | undefined;
      try {
        probe = vscode.window.registerWebviewPanelSerializer(viewType, { async deserializeWebviewPanel() { /* probe only */ } });
      } catch (e) {
        assert.match(String(e), /already registered/);
        continue;
      }
      probe.dispose();
      assert.fail(`no webview panel serializer is registered for ${viewType}`);
    }
  });

  it('contributes every seedance.* command it registers', async () => {
    const viewIds = views.map((v) => v.id);
    const isViewCommand = (c: string) => viewIds.some((id) => VIEW_COMMAND_SUFFIXES.some((s) => c === `${id}.${s}`));
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('seedance.'));
    const undeclared = registered.filter((c) => !contributed.includes(c) && !isViewCommand(c));
    assert.deepEqual(undeclared, [], 'registered but not in package.json contributes.commands');
  });

  it('points menus and keybindings at commands that exist', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const referenced = [
      ...Object.values(manifest.contributes?.menus ?? {}).flat().map((m) => m.command),
      ...(manifest.contributes?.keybindings ?? []).map((k) => k.command),
    ].filter((c): c is string => !!c);
    const dangling = [...new Set(referenced)].filter((c) => !all.has(c) && !contributed.includes(c));
    assert.deepEqual(dangling, [], 'menus/keybindings name commands that are neither contributed nor registered');
  });

  it('registers every contributed view and can show it', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const container of Object.values(manifest.contributes?.viewsContainers ?? {}).flat()) {
      await vscode.commands.executeCommand(`workbench.view.extension.${container.id}`);
    }
    for (const view of views) {
      assert.ok(all.has(`${view.id}.focus`), `view ${view.id} is contributed but VS Code did not register it`);
      await vscode.commands.executeCommand(`${view.id}.focus`);
      if (view.type === 'webview') {
        // A second provider for the same id is refused only if the extension registered one.
        let registration: vscode.Disposable | undefined;
        try {
          registration = vscode.window.registerWebviewViewProvider(view.id, { resolveWebviewView() { /* probe only */ } });
        } catch (e) {
          assert.match(String(e), /already registered/);
          continue;
        }
        registration.dispose();
        assert.fail(`no webview view provider is registered for ${view.id}`);
      }
      // Tree views: VS Code offers no API to ask whether a data provider exists; the screenshot shows it, and
      // the view's own tests check its content.
    }
    if (views.length) await screenshot('views');
  });
});
