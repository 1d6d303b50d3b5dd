// dist/mcp.js: Seedance Studio's MCP server over stdio, for agents outside VS Code (Claude Code, Cursor,
// Codex, Copilot CLI) and for VS Code's own MCP support. Its own bundle: the extension never loads it.
//
//   node dist/mcp.js [--workspace DIR] [--agent-daily-limit USD] [--monthly-limit USD]
//   COMETAPI_KEY              the key (never written anywhere by the server)
//   SEEDANCE_API_BASE_URL     the API host (default CometAPI), as for the extension
//   SEEDANCE_AGENT_DAILY_LIMIT  the agents' daily cap in USD (default 5; 0 = agents may only estimate and list)
//   SEEDANCE_MONTHLY_LIMIT    a monthly limit in USD over this workspace's agent jobs (default 0 = none)
//
// stdout carries the protocol only; every log line goes to stderr.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CometClient } from '../core/api/client';
import { checkBaseUrl } from '../core/baseUrl';
import { DEFAULT_AGENT_DAILY_LIMIT } from '../core/gate/policy';
import { liveListOf } from '../core/availability';
import { CatalogueSource } from '../core/pricing/catalogue';
import { estimateCost } from '../core/pricing/estimate';
import { fetchCatalogueJson } from '../core/pricing/fetchCatalogue';
import { TABLE_PRICES } from '../core/pricing/prices';
import { MemoryStorage } from '../core/pricing/storage';
import { redactSecrets } from '../core/redact';
import { JobRunner } from './jobRunner';
import { extensionVersion } from './manifest';
import { SeedanceTools, toolList } from './tools';
import { readServerSettings } from './workspaceSettings';

const DEFAULT_BASE_URL = 'https://api.cometapi.com';

function log(line: string): void {
  process.stderr.write(`[seedance-mcp] ${redactSecrets(line)}\n`);
}

function fail(message: string): never {
  process.stderr.write(`seedance-mcp: ${message}\n`);
  process.exit(2);
}

function usd(raw: string | undefined, fallback: number, what: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) fail(`${what} must be a number of USD, got "${raw}".`);
  return value;
}

function options(): { workspace: string; dailyLimit: number; monthlyLimit: number } {
  const { values } = parseArgs({
    options: { workspace: { type: 'string' }, 'agent-daily-limit': { type: 'string' }, 'monthly-limit': { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write('Usage: node dist/mcp.js [--workspace DIR] [--agent-daily-limit USD] [--monthly-limit USD]\nEnvironment: COMETAPI_KEY, SEEDANCE_API_BASE_URL, SEEDANCE_AGENT_DAILY_LIMIT, SEEDANCE_MONTHLY_LIMIT\n');
    process.exit(0);
  }
  return {
    workspace: path.resolve(values.workspace ?? process.cwd()),
    dailyLimit: usd(values['agent-daily-limit'] ?? process.env.SEEDANCE_AGENT_DAILY_LIMIT, DEFAULT_AGENT_DAILY_LIMIT, "The agents' daily limit"),
    monthlyLimit: usd(values['monthly-limit'] ?? process.env.SEEDANCE_MONTHLY_LIMIT, 0, 'The monthly limit'),
  };
}

async function main(): Promise<void> {
  const { workspace, dailyLimit, monthlyLimit } = options();
  const envBase = process.env.SEEDANCE_API_BASE_URL?.trim();
  const base = checkBaseUrl(envBase || DEFAULT_BASE_URL, envBase ? 'SEEDANCE_API_BASE_URL' : 'the API base URL');
  if (!base.ok) fail(base.problem);
  const key = () => process.env.COMETAPI_KEY?.trim() || undefined;

  let client: CometClient | undefined;
  // The HTTP stack (undici) is evaluated on the first request, not at startup: an agent's client waits for
  // the first answer (bench:mcp).
  const getClient = (): CometClient =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (client ??= new (require('../core/api/client') as typeof import('../core/api/client')).CometClient({ baseUrl: base.url, getApiKey: async () => key(), requestShape: () => readServerSettings(workspace).requestShape, log }));
  const catalogue = new CatalogueSource({ storage: new MemoryStorage(), origin: () => base.origin, fetchJson: fetchCatalogueJson, log });
  const prices = () => ({ catalogue: catalogue.prices(), table: TABLE_PRICES });
  // Before a request is judged: CometAPI's live prices and model list when a read is due, a few seconds at most.
  const readCatalogueWhenDue = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([catalogue.refreshIfStale(), new Promise<void>((r) => (timer = setTimeout(r, 5_000)))]);
    clearTimeout(timer);
  };

  const runner = new JobRunner({
    workspace,
    client: getClient,
    outputFolder: () => readServerSettings(workspace).outputFolder,
    extensionVersion: extensionVersion(),
    log,
  });
  const tools = new SeedanceTools({
    workspace,
    runner,
    settings: () => readServerSettings(workspace),
    hasApiKey: () => key() !== undefined,
    dailyLimit,
    monthlyLimit,
    log,
    estimate: async (args, beforeSend) => {
      if (beforeSend) await readCatalogueWhenDue();
      else void catalogue.refreshIfStale();
      return estimateCost(args, prices());
    },
    listed: async () => {
      await readCatalogueWhenDue();
      return liveListOf(catalogue.listed());
    },
  });

  const server = new Server({ name: 'seedance-studio', version: extensionVersion() }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolList() }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const token = request.params._meta?.progressToken;
    const progress = token === undefined ? undefined : (done: number, total: number, message: string) =>
      extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message } });
    try {
      return await tools.call(request.params.name, request.params.arguments ?? {}, extra.signal, progress);
    } catch (error) {
      log(`${request.params.name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { content: [{ type: 'text', text: `The Seedance server failed: ${error instanceof Error ? error.message : String(error)}` }], isError: true };
    }
  });

  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    await runner.dispose();
    client?.close();
    process.exit(code);
  };
  server.onclose = () => void shutdown(0);
  process.stdin.on('end', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(143));

  await server.connect(new StdioServerTransport());
  runner.start();
  log(`ready: workspace ${workspace}; API ${base.url}; key ${key() ? 'from COMETAPI_KEY' : 'not set'}; agents' daily limit ${dailyLimit > 0 ? `$${dailyLimit}` : '0 (agents may only estimate and list)'}; monthly limit ${monthlyLimit > 0 ? `$${monthlyLimit}` : 'none'}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
