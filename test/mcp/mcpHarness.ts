// Runs the real MCP server bundle (dist/mcp.js, built from src/mcp/main.ts with esbuild.js's options) as a
// separate process and talks to it with the official SDK's own client over stdio, as Claude Code or Cursor
// would. Used by the unit tests and the startup benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MCP_BUNDLE = path.join(REPO_ROOT, 'dist', 'mcp.js');

/** Builds dist/mcp.js when it is missing or older than a source file of the server (npm run test:unit does not build). */
export function ensureMcpBundle(): string {
  const newest = ['src/mcp', 'src/core'].flatMap((dir) => listTs(path.join(REPO_ROOT, dir))).reduce((m, f) => Math.max(m, statSync(f).mtimeMs), 0);
  if (!existsSync(MCP_BUNDLE) || statSync(MCP_BUNDLE).mtimeMs < newest) {
    const built = spawnSync(process.execPath, ['esbuild.js', '--only', 'mcp'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`Building dist/mcp.js failed:\n${built.stdout}\n${built.stderr}`);
  }
  return MCP_BUNDLE;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(
      (d as unknown as { parentPath?: string; path?: string }).parentPath ?? (d as unknown as { path: string }).path,
      d.name,
    ));
}

export interface RunningServer {
  readonly client: Client;
  readonly transport: StdioClientTransport;
  /** The server's process id (to SIGKILL it). */
  readonly pid: number;
  readonly stderr: () => string;
  close(): Promise<void>;
}

/** Starts `node dist/mcp.js --workspace <workspace> ...args` and connects the SDK client to it. */
export async function startServer(
  workspace: string,
  env: Record<string, string>,
  args: string[] = [],
  bundle = MCP_BUNDLE,
): Promise<RunningServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bundle, '--workspace', workspace, ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const client = new Client({ name: 'seedance-test', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error('The server process has no pid.');
  return { client, transport, pid, stderr: () => err, close: () => client.close() };
}

/** The text parts of a tool result, joined. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.filter((c) => c.type === 'text').map((c) => c.text ?? '').join('\n');
}

/** The JSON part of a tool result (the facts after the sentences). */
export function dataOf(result: unknown): Record<string, unknown> {
  const json = textOf(result).split('\nJSON: ').pop() ?? '{}';
  return JSON.parse(json.replace(/^JSON: /, '')) as Record<string, unknown>;
}
