// The entry "Seedance: Connect an Agent..." writes into an agent's MCP configuration: `.mcp.json` (Claude
// Code, Copilot CLI) or `.cursor/mcp.json` (Cursor), both `{"mcpServers": {name: {command, args, env}}}`.
// The file is the person's: only our entry is added or replaced, through jsonc-parser's edits, so their
// other servers, comments and formatting stay as they were. The key is never written: the entry refers to
// the COMETAPI_KEY environment variable in the syntax each client expands.
import { applyEdits, modify, parseTree, type ParseError, type Edit } from 'jsonc-parser';

export type AgentClient = 'claude' | 'cursor';

export const MCP_SERVER_NAME = 'seedance';

export interface AgentClientInfo {
  readonly id: AgentClient;
  /** Relative to the workspace folder. */
  readonly file: string;
  /** How the client expands an environment variable in `env` values. */
  readonly envReference: (name: string) => string;
}

export const AGENT_CLIENTS: Readonly<Record<AgentClient, AgentClientInfo>> = {
  claude: { id: 'claude', file: '.mcp.json', envReference: (name) => `\${${name}}` },
  cursor: { id: 'cursor', file: '.cursor/mcp.json', envReference: (name) => `\${env:${name}}` },
};

export interface McpServerEntry {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** The server's entry: node, the copy of dist/mcp.js, this workspace, and the key by reference only. */
export function serverEntry(client: AgentClient, serverPath: string, workspace: string, apiBaseUrl?: string): McpServerEntry {
  const info = AGENT_CLIENTS[client];
  return {
    command: 'node',
    args: [serverPath, '--workspace', workspace],
    env: { COMETAPI_KEY: info.envReference('COMETAPI_KEY'), ...(apiBaseUrl ? { SEEDANCE_API_BASE_URL: apiBaseUrl } : {}) },
  };
}

export type ConfigEdit =
  | { readonly ok: true; readonly edits: Edit[]; readonly text: string }
  | { readonly ok: false; readonly problem: string };

/** The edits that put `entry` under mcpServers.seedance in `text` (empty text: a new file). */
export function mergeServerEntry(text: string, entry: McpServerEntry): ConfigEdit {
  const source = text.trim() === '' ? '{}\n' : text;
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || !root) return { ok: false, problem: 'it is not valid JSON' };
  if (root.type !== 'object') return { ok: false, problem: 'it is not a JSON object' };
  const servers = root.children?.find((p) => p.children?.[0]?.value === 'mcpServers')?.children?.[1];
  if (servers && servers.type !== 'object') return { ok: false, problem: '"mcpServers" is not an object' };
  const edits = modify(source, ['mcpServers', MCP_SERVER_NAME], entry, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  const base = source === text ? [] : [{ offset: 0, length: text.length, content: source }];
  return { ok: true, edits: [...base, ...edits], text: applyEdits(source, edits) };
}
