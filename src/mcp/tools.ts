// The five MCP tools. Names, descriptions and input schemas are the language model tools' own (read from
// package.json through manifest.ts) plus seedance_wait_for_video (src/core/agentTools/waitForVideo.ts); the
// input parsing, validation and the words a model reads are core's (src/core/agentTools/*, generationArgs,
// the catalogue), so an agent in Claude Code or Cursor gets exactly what Copilot gets in VS Code.
import * as path from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../core/api/errors';
import type { LiveList } from '../core/availability';
import { authorize, refusalText } from '../core/gate/policy';
import { spendingState } from '../core/gate/spending';
import {
  describeEstimate, describeInvalidInput, describeSubmitted, describeTask, describeTaskList, describeUncertain, type AgentTaskView,
} from '../core/agentTools/resultText';
import { agentTaskView, pathForAgent } from '../core/agentTools/taskView';
import { parseGetVideoInput, parseListVideosInput } from '../core/agentTools/toolInputs';
import { describeStillWaiting, parseWaitForVideoInput, WAIT_FOR_VIDEO_TOOL, waitIsOver } from '../core/agentTools/waitForVideo';
import { assertInsideRoot } from '../core/files/pathGuard';
import { GenerationInputError, prepareGeneration, type PreparedGeneration } from '../core/generationArgs';
import { settingsOf } from '../core/generationRequest';
import { imagesOf } from '../core/requestImages';
import type { CostEstimate, EstimateArgs } from '../core/pricing/estimate';
import type { TrackedTask } from '../core/tasks/task';
import type { JobRunner } from './jobRunner';
import { manifestTool } from './manifest';
import type { ServerSettings } from './workspaceSettings';

export const NO_KEY_TEXT_MCP =
  'Nothing was sent: no CometAPI API key is set for the Seedance MCP server. Ask the user to set the COMETAPI_KEY environment variable for the server (in the MCP client\'s configuration or the shell that starts it) and restart it.';

/** What the tools need from the server around them. */
export interface ToolDeps {
  readonly workspace: string;
  readonly runner: JobRunner;
  settings(): ServerSettings;
  hasApiKey(): boolean;
  /** The estimate now; `beforeSend` waits briefly for CometAPI's live price list when it is due. */
  estimate(args: EstimateArgs, beforeSend?: boolean): Promise<CostEstimate>;
  /**
   * CometAPI's live model list for this API host, read (briefly awaited when due) before a request is
   * judged: a model it does not name is refused before sending, as in the editor (availability.ts).
   */
  listed(): Promise<LiveList>;
  /** The agents' daily cap in USD (0: agents may only estimate and list). */
  readonly dailyLimit: number;
  /** The monthly limit in USD for what this server counts (0: none). */
  readonly monthlyLimit: number;
  readonly log: (line: string) => void;
}

/** How a long call reports that it is still working (MCP progress notifications, when the client asked). */
export type ProgressReporter = (progress: number, total: number, message: string) => Promise<void>;

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

function fromManifest(name: string, annotations?: Tool['annotations']): Tool {
  const tool = manifestTool(name);
  return { name, description: tool.modelDescription, inputSchema: tool.inputSchema as Tool['inputSchema'], ...(annotations ? { annotations } : {}) };
}

/** The tool list, in the order an agent meets them. */
export function toolList(): Tool[] {
  return [
    fromManifest('seedance_estimate_cost', READ_ONLY),
    fromManifest('seedance_generate_video', { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true }),
    { ...WAIT_FOR_VIDEO_TOOL, inputSchema: WAIT_FOR_VIDEO_TOOL.inputSchema as unknown as Tool['inputSchema'], annotations: READ_ONLY },
    fromManifest('seedance_get_video', READ_ONLY),
    fromManifest('seedance_list_videos', READ_ONLY),
  ];
}

/** The sentences first, then the same facts as JSON, as the language model tools answer. */
function result(text: string, data: { ok: boolean } & Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }, { type: 'text', text: `JSON: ${JSON.stringify(data)}` }], ...(data.ok ? {} : { isError: true }) };
}

export class SeedanceTools {
  /** Creates one at a time, so two calls cannot both slip under the daily cap. */
  private creating: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ToolDeps) {}

  call(name: string, args: unknown, signal: AbortSignal, progress?: ProgressReporter): Promise<CallToolResult> {
    switch (name) {
      case 'seedance_estimate_cost':
        return this.estimateCost(args);
      case 'seedance_generate_video': {
        const run = this.creating.then(() => this.generate(args));
        this.creating = run.catch(() => undefined);
        return run;
      }
      case 'seedance_wait_for_video':
        return this.wait(args, signal, progress);
      case 'seedance_get_video':
        return this.get(args);
      case 'seedance_list_videos':
        return this.list(args);
      default:
        return Promise.resolve(result(`There is no tool named ${name}. The tools are ${toolList().map((t) => t.name).join(', ')}.`, { ok: false, reason: 'unknownTool' }));
    }
  }

  private view(task: TrackedTask): AgentTaskView {
    return agentTaskView(task, (file) => pathForAgent(this.deps.workspace, file));
  }

  /** Validation with the workspace's defaults; reference images must be files inside the workspace folder. */
  private async prepare(args: unknown): Promise<{ ok: true; value: PreparedGeneration } | { ok: false; problems: readonly string[] }> {
    const settings = this.deps.settings();
    try {
      const prepared = await prepareGeneration(args, settings.defaults, {
        baseDir: this.deps.workspace,
        context: { shape: settings.requestShape, listed: await this.deps.listed() },
      });
      const problems: string[] = [];
      for (const image of imagesOf(prepared.request)) {
        try {
          await assertInsideRoot(this.deps.workspace, image.path);
        } catch {
          problems.push(`The reference image "${image.name}" is outside the workspace folder (${this.deps.workspace}). Agents may only send images from inside it: copy the image into the workspace and give its relative path.`);
        }
      }
      return problems.length ? { ok: false, problems } : { ok: true, value: prepared };
    } catch (error) {
      if (error instanceof GenerationInputError) return { ok: false, problems: error.problems };
      throw error;
    }
  }

  private async estimateCost(args: unknown): Promise<CallToolResult> {
    const check = await this.prepare(args);
    if (!check.ok) return result(describeInvalidInput(check.problems), { ok: false, problems: check.problems });
    const r = check.value.request;
    const estimate = await this.deps.estimate(r, true);
    const text = [`For ${r.model}, ${r.seconds} s, ${r.size}, ${r.resolution}:`, describeEstimate(estimate, r.model, r.seconds), 'Nothing was sent.'].join('\n');
    return result(text, { ok: true, request: settingsOf(r), ...estimate });
  }

  private async generate(args: unknown): Promise<CallToolResult> {
    const check = await this.prepare(args);
    if (!check.ok) return result(describeInvalidInput(check.problems), { ok: false, problems: check.problems });
    if (!this.deps.hasApiKey()) return result(NO_KEY_TEXT_MCP, { ok: false, reason: 'noApiKey' });
    const request = check.value.request;
    const estimate = await this.deps.estimate(request, true);
    // The one money policy (src/core/gate/policy.ts), as an agent: never asked, only refused.
    const spending = spendingState(await this.deps.runner.ledgerEntries(), Date.now());
    const verdict = authorize({
      caller: { kind: 'agent' },
      quote: { usd: estimate.usd, count: 1 },
      spending,
      settings: {
        monthlyLimit: this.deps.monthlyLimit,
        confirmAbove: 0,
        agentDailyLimit: this.deps.dailyLimit,
        confirmBeforeSubmit: false,
      },
    });
    if (verdict.kind === 'refuse') {
      const text = refusalText(verdict)
        .replace('seedance.budget.agentDailyLimit', 'the Seedance MCP server\'s --agent-daily-limit (or SEEDANCE_AGENT_DAILY_LIMIT)')
        .replace('seedance.budget.monthlyLimit', 'the Seedance MCP server\'s --monthly-limit (or SEEDANCE_MONTHLY_LIMIT)');
      return result(`${text}\n${describeEstimate(estimate, request.model, request.seconds)}`, {
        ok: false, reason: verdict.reason, estimate, limit: verdict.limit, spent: verdict.spent,
      });
    }
    const outcome = await this.deps.runner.create(check.value, estimate);
    const view = this.view(outcome.task);
    const estimateText = describeEstimate(estimate, request.model, request.seconds);
    if (outcome.ok) {
      const folder = pathForAgent(this.deps.workspace, outputFolderOf(this.deps.workspace, this.deps.settings().outputFolder));
      return result(
        describeSubmitted(view, estimateText, folder),
        { ok: true, taskId: view.id, estimate, outputFolder: folder, task: view },
      );
    }
    if (outcome.uncertain) {
      return result(`${describeUncertain(outcome.task.localId)}\n${estimateText}`, { ok: false, reason: 'uncertain', localId: outcome.task.localId, estimate });
    }
    const error = outcome.error;
    if (error instanceof ApiError && error.kind === 'auth') {
      return result('Nothing was generated: CometAPI did not accept the API key. Ask the user to check COMETAPI_KEY in the Seedance MCP server\'s environment.', { ok: false, reason: 'auth' });
    }
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof ApiError ? error.kind : 'error';
    return result(`Nothing was generated: ${message}\nTell the user; do not retry by yourself unless the message says it is safe.`, { ok: false, reason: kind, message });
  }

  private async find(taskId: string): Promise<TrackedTask | undefined> {
    const jobs = await this.deps.runner.jobs();
    return jobs.find((t) => t.remoteId === taskId) ?? jobs.find((t) => t.localId === taskId);
  }

  private notFound(taskId: string): CallToolResult {
    return result(`There is no video with id ${taskId} in this workspace. Call seedance_list_videos to see the ids.`, { ok: false, reason: 'notFound' });
  }

  private async get(args: unknown): Promise<CallToolResult> {
    const input = parseGetVideoInput(args);
    if (!input.ok) return result(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const task = await this.find(input.value.taskId);
    if (!task) return this.notFound(input.value.taskId);
    const view = this.view(task);
    return result(describeTask(view), { ok: true, task: view });
  }

  private async list(args: unknown): Promise<CallToolResult> {
    const input = parseListVideosInput(args);
    if (!input.ok) return result(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const { status, storyboard, limit } = input.value;
    const wanted = storyboard?.replace(/\\/g, '/').toLowerCase();
    const all = (await this.deps.runner.jobs()).map((t) => this.view(t)).filter((t) =>
      (!status || t.status === status) && (!wanted || t.storyboard?.file.replace(/\\/g, '/').toLowerCase() === wanted));
    const shown = all.slice(0, limit);
    const filter = [status ? `with status ${status}` : '', storyboard ? `of storyboard ${storyboard}` : ''].filter(Boolean).join(' ');
    return result(describeTaskList(shown, all.length, filter), { ok: true, total: all.length, tasks: shown });
  }

  private async wait(args: unknown, signal: AbortSignal, progress?: ProgressReporter): Promise<CallToolResult> {
    const input = parseWaitForVideoInput(args);
    if (!input.ok) return result(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const { taskId, timeoutSeconds } = input.value;
    const started = Date.now();
    const deadline = started + timeoutSeconds * 1000;
    for (let round = 0; ; round++) {
      const task = await this.find(taskId);
      if (!task) return this.notFound(taskId);
      const view = this.view(task);
      const waited = Math.round((Date.now() - started) / 1000);
      if (waitIsOver(view)) return result(describeTask(view), { ok: true, done: true, waitedSeconds: waited, task: view });
      if (Date.now() >= deadline || signal.aborted) {
        return result(`${describeStillWaiting(waited)}\n${describeTask(view)}`, { ok: true, done: false, waitedSeconds: waited, task: view });
      }
      // This server follows the job: check it now rather than at the poller's cadence (never faster than every 3 s).
      if (round > 0) this.deps.runner.checkNow(task.localId);
      await progress?.(Math.min(waited, timeoutSeconds), timeoutSeconds, `${view.status}${view.progress ? ` ${view.progress}%` : ''}`).catch(() => undefined);
      await sleep(Math.min(round === 0 ? 1_000 : 3_000, Math.max(0, deadline - Date.now())), signal);
    }
  }
}

function outputFolderOf(workspace: string, setting: string): string {
  return path.resolve(workspace, setting.trim());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
