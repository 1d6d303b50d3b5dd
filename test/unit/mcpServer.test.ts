// The MCP server (dist/mcp.js) as an agent meets it: a separate process, driven by the official SDK's own
// client over stdio, against the simulator on loopback. Nothing here calls the server's code in-process.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../simulator/server';
import { dataOf, ensureMcpBundle, startServer, textOf, type RunningServer } from '../mcp/mcpHarness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require('../../../package.json') as { contributes: { languageModelTools: { name: string; inputSchema: unknown }[] } };

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
]);

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('MCP server over stdio (SDK client, simulator)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let workspace: string;
  let outside: string;
  const servers: RunningServer[] = [];

  const creates = () => sim.requests.filter((r) => r.server === 'api' && r.method === 'POST' && r.path.startsWith('/v1/videos')).length;
  const env = () => ({ COMETAPI_KEY: sim.apiKey, SEEDANCE_API_BASE_URL: sim.baseUrl });
  const start = async (args: string[] = [], extraEnv: Record<string, string> = {}) => {
    const s = await startServer(workspace, { ...env(), ...extraEnv }, args);
    servers.push(s);
    return s;
  };
  const jobDirs = () => (existsSync(path.join(workspace, '.seedance', 'jobs')) ? readdirSync(path.join(workspace, '.seedance', 'jobs')) : []);
  const videos = () => (existsSync(path.join(workspace, 'videos')) ? readdirSync(path.join(workspace, 'videos')).filter((f) => f.endsWith('.mp4')) : []);

  before(async function () {
    this.timeout(120_000);
    ensureMcpBundle();
    sim = await startSimulator({ timeScale: 0.01, deterministic: true });
  });

  beforeEach(async () => {
    sim.reset();
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-mcp-ws-'));
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-mcp-outside-'));
    await fs.writeFile(path.join(workspace, 'ref.png'), PNG);
    await fs.writeFile(path.join(outside, 'secret.png'), PNG);
  });

  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close().catch(() => undefined);
    await fs.rm(workspace, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  after(async () => {
    await sim?.close();
  });

  it('lists the five tools with the language model tools\' own input schemas', async () => {
    const { client } = await start();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['seedance_estimate_cost', 'seedance_generate_video', 'seedance_wait_for_video', 'seedance_get_video', 'seedance_list_videos']);
    for (const tool of tools.filter((t) => t.name !== 'seedance_wait_for_video')) {
      const contributed = manifest.contributes.languageModelTools.find((t) => t.name === tool.name);
      assert.deepEqual(tool.inputSchema, contributed?.inputSchema, tool.name);
    }
    const wait = tools.find((t) => t.name === 'seedance_wait_for_video');
    assert.deepEqual(wait?.inputSchema.required, ['taskId']);
  });

  it('estimates without sending anything', async () => {
    const { client } = await start();
    const result = await client.callTool({ name: 'seedance_estimate_cost', arguments: { prompt: 'A red fox in snow', model: 'doubao-seedance-2-0-fast', seconds: 5, resolution: '720p' } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.match(textOf(result), /Estimated cost: about \$[\d.]+ \(5 s at/);
    assert.match(textOf(result), /Nothing was sent\./);
    assert.equal(typeof dataOf(result).usd, 'number');
    assert.equal(creates(), 0);
  });

  it('invalid input: the rule and the valid values, and nothing is sent', async () => {
    const { client } = await start();
    const result = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox', model: 'doubao-seedance-2-0', seconds: 99, size: '5:4' } });
    assert.equal(result.isError, true);
    const text = textOf(result);
    assert.match(text, /^Nothing was sent: the input is invalid\./);
    assert.match(text, /4 to 15 seconds/);
    assert.match(text, /5:4/);
    assert.match(text, /doubao-seedance-2-0-fast \(Seedance 2\.0 Fast\): 4-15 s/);
    assert.equal(creates(), 0);
    assert.deepEqual(jobDirs(), []);
  });

  it('follows CometAPI\'s live model list as the editor does: a model it does not name is refused, nothing sent', async () => {
    // The simulator's revision A lists no 2.0 Mini (GET /api/models): the shipped table knows it, the service would answer model_not_found.
    const { client } = await start();
    const result = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A kite over a beach', model: 'doubao-seedance-2-0-mini' } });
    assert.equal(result.isError, true, textOf(result));
    assert.match(textOf(result), /^Nothing was sent: the input is invalid\./);
    assert.match(textOf(result), /Seedance 2\.0 Mini is unavailable: CometAPI's model list for this API host does not include it now/);
    assert.ok(sim.requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/models')), 'the live list was read');
    assert.equal(creates(), 0);
    assert.deepEqual(jobDirs(), []);
    // A listed model still goes through.
    const listed = await client.callTool({ name: 'seedance_estimate_cost', arguments: { prompt: 'A kite over a beach', model: 'doubao-seedance-2-0-fast' } });
    assert.equal(listed.isError, undefined, textOf(listed));
  });

  it('refuses a reference image outside the workspace, sending nothing', async () => {
    const { client } = await start();
    const result = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox', model: 'doubao-seedance-2-0-fast', inputReference: path.join(outside, 'secret.png') } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /outside the workspace folder/);
    assert.match(textOf(result), /Nothing was sent/);
    const dotdot = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox', model: 'doubao-seedance-2-0-fast', inputReference: `../${path.basename(outside)}/secret.png` } });
    assert.equal(dotdot.isError, true);
    assert.match(textOf(dotdot), /outside the workspace folder/);
    assert.equal(creates(), 0);
  });

  it('generates (image from the workspace), waits with progress, and get reports the saved file', async () => {
    const { client } = await start();
    const generated = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A red fox in snow', model: 'doubao-seedance-2-0-fast', seconds: 5, inputReference: 'ref.png' } });
    assert.equal(generated.isError, undefined, textOf(generated));
    const data = dataOf(generated);
    const taskId = String(data.taskId);
    assert.match(taskId, /^task_/);
    assert.match(textOf(generated), /Submitted\. CometAPI accepted the request as task task_/);
    assert.match(textOf(generated), /Estimated cost: about \$/);
    assert.equal(data.outputFolder, 'videos');
    // The job is in the workspace, in the form the extension reads.
    const jobFile = JSON.parse(await fs.readFile(path.join(workspace, '.seedance', 'jobs', jobDirs()[0], 'job.json'), 'utf8')) as { schema: string; task: { remoteId: string } };
    assert.equal(jobFile.schema, 'seedance-studio.agent-job');
    assert.equal(jobFile.task.remoteId, taskId);

    const progress: { progress: number; total?: number; message?: string }[] = [];
    const waited = await client.callTool({ name: 'seedance_wait_for_video', arguments: { taskId } }, undefined, {
      onprogress: (p) => progress.push(p),
      timeout: 60_000,
    });
    assert.equal(waited.isError, undefined, textOf(waited));
    assert.equal(dataOf(waited).done, true, textOf(waited));
    assert.ok(progress.length >= 1, 'progress notifications were sent');
    assert.ok(progress.every((p) => p.total === 45));

    const got = await client.callTool({ name: 'seedance_get_video', arguments: { taskId } });
    const task = dataOf(got).task as { status: string; file: string };
    assert.equal(task.status, 'succeeded');
    assert.match(task.file, /^videos\/.+\.mp4$/);
    assert.ok(existsSync(path.join(workspace, task.file)), 'the MP4 is in the workspace');
    assert.ok(existsSync(path.join(workspace, task.file.replace(/\.mp4$/, '.json'))), 'its record is beside it');
    assert.match(textOf(got), /finished and downloaded/);
    assert.equal(creates(), 1);

    const listed = await client.callTool({ name: 'seedance_list_videos', arguments: { status: 'succeeded' } });
    assert.equal(dataOf(listed).total, 1);
  });

  it('a wait without a progress token still answers, at most after its timeout', async () => {
    sim.setConfig({ timeScale: 10 });
    const { client } = await start();
    const generated = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A slow fox', seconds: 5 } });
    const taskId = String(dataOf(generated).taskId);
    const t0 = Date.now();
    const waited = await client.callTool({ name: 'seedance_wait_for_video', arguments: { taskId, timeoutSeconds: 2 } });
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(dataOf(waited).done, false);
    assert.match(textOf(waited), /Not finished after waiting \d+ s\. Call seedance_wait_for_video again/);
  });

  it('the money policy as an agent: the daily cap counts today\'s creates and refuses, sending nothing', async () => {
    const estimate = async (s: RunningServer) => Number(dataOf(await s.client.callTool({ name: 'seedance_estimate_cost', arguments: { prompt: 'x', model: 'doubao-seedance-2-0-fast', seconds: 5, resolution: '480p' } })).usd);
    const probe = await start(['--agent-daily-limit', '0']);
    const usd = await estimate(probe);
    await probe.close();
    // Room for one request, not two.
    const { client } = await start(['--agent-daily-limit', String(usd * 1.5)]);
    const args = { prompt: 'A fox', model: 'doubao-seedance-2-0-fast', seconds: 5, resolution: '480p' };
    const first = await client.callTool({ name: 'seedance_generate_video', arguments: args });
    assert.equal(first.isError, undefined, textOf(first));
    const second = await client.callTool({ name: 'seedance_generate_video', arguments: args });
    assert.equal(second.isError, true);
    assert.match(textOf(second), /daily agent limit of \$/);
    assert.match(textOf(second), /--agent-daily-limit/);
    assert.equal(dataOf(second).reason, 'agentDailyLimit');
    assert.equal(creates(), 1);
    // The environment variable sets it too.
    const viaEnv = await start([], { SEEDANCE_AGENT_DAILY_LIMIT: '0.0001' });
    const refused = await viaEnv.client.callTool({ name: 'seedance_generate_video', arguments: args });
    assert.equal(refused.isError, true);
    assert.equal(dataOf(refused).reason, 'agentDailyLimit');
    // 0: agents may only estimate and list.
    const disabled = await probe.client.callTool({ name: 'seedance_generate_video', arguments: args }).catch(() => undefined);
    assert.equal(disabled, undefined, 'the probe server was closed');
    const off = await start(['--agent-daily-limit', '0']);
    assert.equal(dataOf(await off.client.callTool({ name: 'seedance_generate_video', arguments: args })).reason, 'agentDisabled');
    // The monthly limit counts the same jobs.
    const monthly = await start(['--monthly-limit', String(usd * 1.5)]);
    assert.equal(dataOf(await monthly.client.callTool({ name: 'seedance_generate_video', arguments: args })).reason, 'monthlyLimit');
    assert.equal(creates(), 1);
  });

  it('killed between persisting the job and the create\'s answer: an uncertain job, never sent again', async () => {
    // The create takes 3 s at the service, which makes the task even though the client is gone by then.
    sim.setFaults({ slowCreate: { ms: 3_000, times: 1 } });
    const first = await start();
    const pending = first.client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox that is never answered', seconds: 5 } }).catch((e: unknown) => e);
    const jobFile = await until('job.json', async () => {
      const dir = jobDirs()[0];
      const file = dir && path.join(workspace, '.seedance', 'jobs', dir, 'job.json');
      if (!file || !existsSync(file)) return undefined;
      return creates() === 1 ? file : undefined;
    });
    const persisted = JSON.parse(await fs.readFile(jobFile, 'utf8')) as { task: { status: string } };
    assert.equal(persisted.task.status, 'submitting', 'written before the create left');
    process.kill(first.pid, 'SIGKILL');
    await pending;
    await new Promise((r) => setTimeout(r, 3_500));
    assert.equal(sim.tasks().length, 1, 'the service made the video');

    const next = await start();
    const listed = await next.client.callTool({ name: 'seedance_list_videos', arguments: {} });
    const tasks = dataOf(listed).tasks as { id: string; status: string; error?: string }[];
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].status, 'failed');
    assert.match(tasks[0].error ?? '', /may have reached CometAPI/);
    // The new server's sweep runs at start and every few seconds: it must never send the create again.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(creates(), 1);
  });

  it('exactly one process saves a video: a server killed after the create, the next one finishes the job', async () => {
    sim.setConfig({ timeScale: 0.05 });
    const first = await start();
    const generated = await first.client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox handed over', seconds: 5 } });
    const taskId = String(dataOf(generated).taskId);
    process.kill(first.pid, 'SIGKILL');
    // Two servers start at once on the same workspace: both see the dead claim, one takes it.
    const [a, b] = await Promise.all([start(), start()]);
    const waited = await a.client.callTool({ name: 'seedance_wait_for_video', arguments: { taskId } }, undefined, { timeout: 60_000 });
    assert.equal(dataOf(waited).done, true, textOf(waited));
    const got = await b.client.callTool({ name: 'seedance_get_video', arguments: { taskId } });
    assert.match(String((dataOf(got).task as { file?: string }).file), /^videos\//);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(videos().length, 1, `one video: ${videos().join(', ')}`);
    const downloads = sim.requests.filter((r) => r.server === 'video' && r.method === 'GET').length;
    assert.equal(downloads, 1, 'downloaded once');
    assert.equal(creates(), 1);
  });

  it('leaves checking and saving to the editor when it has the workspace open', async () => {
    await fs.mkdir(path.join(workspace, '.seedance'), { recursive: true });
    // The editor's presence lease, held by this (live) test process.
    await fs.writeFile(path.join(workspace, '.seedance', 'editor.json'), JSON.stringify({ owner: { pid: process.pid, host: os.hostname(), instance: 'test-editor', kind: 'editor' }, renewedAt: Date.now() }));
    const { client } = await start();
    const generated = await client.callTool({ name: 'seedance_generate_video', arguments: { prompt: 'A fox for the editor', seconds: 5 } });
    const taskId = String(dataOf(generated).taskId);
    const dir = path.join(workspace, '.seedance', 'jobs', jobDirs()[0]);
    const claims = readdirSync(dir).filter((f) => f.startsWith('claim-'));
    assert.deepEqual(claims, ['claim-1.json']);
    const claim = JSON.parse(await fs.readFile(path.join(dir, 'claim-1.json'), 'utf8')) as { released?: boolean };
    assert.equal(claim.released, true, 'the server let go of the job');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(videos().length, 0, 'the server did not save it');
    const got = await client.callTool({ name: 'seedance_get_video', arguments: { taskId } });
    assert.equal((dataOf(got).task as { file?: string }).file, undefined);
  });
});
