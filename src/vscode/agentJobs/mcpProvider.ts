// VS Code 1.101 and later: the extension offers its MCP server (dist/mcp.js) to VS Code's own MCP support,
// so agent mode there reaches the same tools and the same job list as other agents. Feature-detected: the
// engine floor is 1.100, where neither the API nor its types exist. The server runs on VS Code's own Node
// (process.execPath, as Node through ELECTRON_RUN_AS_NODE) with the stored key in its environment only.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { homeWorkspaceRoot } from '../workspaceFolder';
import type { ApiKeyStore } from '../apiKey';
import type { SeedanceSettings } from '../settings';

/** Must equal contributes.mcpServerDefinitionProviders[0].id: VS Code says nothing when they differ. */
export const MCP_PROVIDER_ID = 'seedance.mcpServer';

/** The part of the 1.101 API used here (absent from @types/vscode 1.100). */
interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: {
    provideMcpServerDefinitions(): unknown[];
    resolveMcpServerDefinition?(definition: unknown): Promise<unknown>;
  }): vscode.Disposable;
}
type StdioDefinitionCtor = new (
  label: string,
  command: string,
  args?: string[],
  env?: Record<string, string | number | null>,
  version?: string,
) => { env: Record<string, string | number | null> };

/**
 * Whether this VS Code offers extension-provided MCP servers the way 1.101 finalized them. VS Code 1.100 has a
 * function of the same name that wants another contribution point (modelContextServerCollections) and throws
 * for ours, so the version is checked too, not only the function's presence.
 */
export function mcpProvidersSupported(version = vscode.version): boolean {
  const [major, minor] = version.split('.').map((n) => Number.parseInt(n, 10));
  if (!(major > 1 || (major === 1 && minor >= 101))) return false;
  const lm = (vscode as unknown as { lm?: Partial<McpApi> }).lm;
  return typeof lm?.registerMcpServerDefinitionProvider === 'function' && typeof (vscode as unknown as { McpStdioServerDefinition?: unknown }).McpStdioServerDefinition === 'function';
}

export function registerMcpProvider(
  extensionPath: string,
  version: string,
  settings: SeedanceSettings,
  keys: ApiKeyStore,
  log: (line: string) => void,
): vscode.Disposable {
  const nothing = { dispose: () => undefined };
  if (!mcpProvidersSupported()) return nothing;
  try {
    return register(extensionPath, version, settings, keys);
  } catch (error) {
    // Never let an API that changed shape stop activation: the server still works through Connect an Agent.
    log(`The MCP server could not be offered to VS Code: ${error instanceof Error ? error.message : String(error)}`);
    return nothing;
  }
}

function register(extensionPath: string, version: string, settings: SeedanceSettings, keys: ApiKeyStore): vscode.Disposable {
  const api = (vscode as unknown as { lm: McpApi }).lm;
  const Definition = (vscode as unknown as { McpStdioServerDefinition: StdioDefinitionCtor }).McpStdioServerDefinition;
  return api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
    provideMcpServerDefinitions: () => {
      const root = homeWorkspaceRoot();
      if (!root) return [];
      const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1' };
      const base = settings.apiBase();
      if (base.ok) env.SEEDANCE_API_BASE_URL = base.url;
      const budget = vscode.workspace.getConfiguration('seedance.budget');
      const daily = budget.get<number>('agentDailyLimit');
      if (typeof daily === 'number') env.SEEDANCE_AGENT_DAILY_LIMIT = String(daily);
      const monthly = budget.get<number>('monthlyLimit');
      if (typeof monthly === 'number' && monthly > 0) env.SEEDANCE_MONTHLY_LIMIT = String(monthly);
      return [new Definition('Seedance Studio', process.execPath, [path.join(extensionPath, 'dist', 'mcp.js'), '--workspace', root], env, version)];
    },
    // The key is added when VS Code starts the server, never kept in the definition it lists.
    resolveMcpServerDefinition: async (definition) => {
      const base = settings.apiBase();
      if (!base.ok) return definition;
      try {
        const key = await keys.keyFor(base.origin);
        (definition as { env: Record<string, string | number | null> }).env = {
          ...(definition as { env: Record<string, string | number | null> }).env,
          COMETAPI_KEY: key,
        };
      } catch {
        // No key: the server starts and its tools say how to set one.
      }
      return definition;
    },
  });
}
