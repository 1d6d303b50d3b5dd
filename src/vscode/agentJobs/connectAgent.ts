// "Seedance: Connect an Agent...": puts the MCP server into an agent's configuration for this workspace
// (.mcp.json for Claude Code and Copilot CLI, .cursor/mcp.json for Cursor). The server the entry points at is
// a copy of dist/mcp.js in the extension's global storage, a path that survives extension updates (each run
// refreshes the copy). The file is edited as a document (undoable, the person's other entries kept) and the
// key is only referred to: the agent passes its own COMETAPI_KEY environment variable.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { AGENT_CLIENTS, mergeServerEntry, serverEntry, type AgentClient } from '../../core/agentJobs/mcpConfig';
import type { CommandTable } from '../commands/commandTypes';
import type { SeedanceSettings } from '../settings';

const DEFAULT_BASE = 'https://api.cometapi.com';

export function connectAgentCommands(context: vscode.ExtensionContext, settings: SeedanceSettings, log: (line: string) => void): CommandTable<'seedance.connectAgent'> {
  return {
    // An argument {client: 'claude' | 'cursor'} skips the question (tasks, tests).
    'seedance.connectAgent': { run: (arg) => connectAgent(context, settings, log, arg) },
  };
}

async function pickClient(arg: unknown): Promise<AgentClient | undefined> {
  const given = (arg as { client?: unknown } | undefined)?.client;
  if (given === 'claude' || given === 'cursor') return given;
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Claude Code', description: '.mcp.json', detail: vscode.l10n.t('Also read by GitHub Copilot CLI.'), client: 'claude' as const },
      { label: 'Cursor', description: '.cursor/mcp.json', client: 'cursor' as const },
    ],
    { title: vscode.l10n.t('Connect an Agent to Seedance Studio'), placeHolder: vscode.l10n.t('Which agent should use the Seedance tools in this folder?') },
  );
  return picked?.client;
}

/** Resolves with the configuration file written, or undefined when nothing was written. */
async function connectAgent(
  context: vscode.ExtensionContext,
  settings: SeedanceSettings,
  log: (line: string) => void,
  arg: unknown,
): Promise<string | undefined> {
  const root = homeWorkspaceFolder()?.uri;
  if (!root) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder first: an agent uses Seedance Studio in one workspace folder.'));
    return undefined;
  }
  const client = await pickClient(arg);
  if (!client) return undefined;

  // The copy in global storage: the agent keeps working when the extension updates (and its folder changes).
  const folder = vscode.Uri.joinPath(context.globalStorageUri, 'mcp');
  await vscode.workspace.fs.createDirectory(folder);
  const server = vscode.Uri.joinPath(folder, 'seedance-mcp.js');
  await vscode.workspace.fs.copy(vscode.Uri.file(path.join(context.extensionPath, 'dist', 'mcp.js')), server, { overwrite: true });

  const base = settings.apiBase();
  const entry = serverEntry(client, server.fsPath, root.fsPath, base.ok && base.url !== DEFAULT_BASE ? base.url : undefined);
  const file = vscode.Uri.joinPath(root, AGENT_CLIENTS[client].file);
  let exists = true;
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    exists = false;
  }
  if (!exists) {
    const merged = mergeServerEntry('', entry);
    if (!merged.ok) return undefined;
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
    await vscode.workspace.fs.writeFile(file, Buffer.from(merged.text, 'utf8'));
  } else {
    const document = await vscode.workspace.openTextDocument(file);
    const merged = mergeServerEntry(document.getText(), entry);
    if (!merged.ok) {
      const open = vscode.l10n.t('Open File');
      const answer = await vscode.window.showErrorMessage(vscode.l10n.t('{0} was not changed: {1}. Fix it and try again.', AGENT_CLIENTS[client].file, merged.problem), open);
      if (answer === open) await vscode.window.showTextDocument(document);
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of merged.edits) {
      edit.replace(file, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    }
    await vscode.workspace.applyEdit(edit);
    await document.save();
  }
  log(`Connect an Agent: the Seedance MCP server is in ${AGENT_CLIENTS[client].file} (server copy in global storage).`);
  const open = vscode.l10n.t('Open File');
  const name = client === 'claude' ? 'Claude Code' : 'Cursor';
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Seedance Studio is in {0}. Start {1} in this folder with COMETAPI_KEY set in its environment (the key is not written into the file).', AGENT_CLIENTS[client].file, name),
    open,
  ).then(async (answer) => {
    if (answer === open) await vscode.window.showTextDocument(file);
  });
  return file.fsPath;
}
