// What the language model tools need from the rest of the extension, as narrow interfaces, so each tool
// is a thin translation between a tool call and the same code paths a person uses (validation, budget,
// persistence, the task list), never a second implementation of them.
import * as vscode from 'vscode';
import { homeWorkspaceRoot } from '../workspaceFolder';
import type { AgentTaskView, EstimateView } from '../../core/agentTools/resultText';
import type { PreparedGeneration } from '../../core/generationArgs';
import { agentTaskView, pathForAgent } from '../../core/agentTools/taskView';
import type { TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';

/** One shot of a storyboard run, as the storyboard code plans it. */
export interface StoryboardShotPlan {
  readonly id: string;
  readonly title: string;
  readonly estimate: EstimateView;
  /** Why this shot cannot be sent as written (empty when it can). */
  readonly problems: readonly string[];
}

export interface StoryboardPlan {
  readonly title: string;
  readonly shots: readonly StoryboardShotPlan[];
  /** Requested shot ids/titles that are not in the file. */
  readonly unknownShots: readonly string[];
  /** Every shot of the file, to name them when a requested one is not there. */
  readonly available: readonly { readonly id: string; readonly title: string }[];
}

export interface StoryboardRunResult {
  readonly submitted: readonly { readonly shotId: string; readonly title: string; readonly taskId: string }[];
  readonly skipped: readonly { readonly shotId: string; readonly title: string; readonly reason: string }[];
  /** Set when the run stopped early (the budget): why, and the shots that were not sent. */
  readonly stopped?: { readonly reason: string; readonly remaining: readonly string[] };
}

/** The storyboard runner (Generate All), as the storyboard tool uses it. */
export interface StoryboardRunner {
  plan(file: vscode.Uri, shots?: readonly string[]): Promise<StoryboardPlan>;
  /**
   * Starts the shots like Generate All, as an agent's batch: no dialog (the tool's confirmation stands in for
   * it), the total checked against the agent daily cap, every shot's images inside the workspace.
   */
  run(file: vscode.Uri, shots?: readonly string[]): Promise<StoryboardRunResult>;
}

export interface AgentToolDeps {
  readonly store: TaskStore;
  /** Validation with defaults and the reference image, sending nothing (GenerationController.prepareOnly). */
  prepare(args: unknown): Promise<PreparedGeneration>;
  /** The agent's submit path (GenerationController.generateForAgent): resolves to the service's id. */
  generate(args: unknown): Promise<string>;
  /** What agents may start per day and have started today (seedance.budget.agentDailyLimit). */
  agentAllowance(): { readonly limit: number; readonly spentToday: number };
  /** Whether any API key is available; the tools never ask for one themselves. */
  hasApiKey(): Promise<boolean>;
  /** Where requests go, as the sentence confirmations start with (CometAPI, this machine, another host). */
  destination(): string;
  estimate(args: unknown): EstimateView;
  outputFolder(): string | undefined;
  readonly storyboards?: StoryboardRunner;
}


/** A path for the model: relative to the workspace folder when inside it, absolute otherwise. */
export function displayPath(file: string | undefined): string | undefined {
  return pathForAgent(homeWorkspaceRoot(), file);
}

export { imageLabel } from '../workspaceImages';

export function taskView(task: TrackedTask): AgentTaskView {
  return agentTaskView(task, displayPath);
}

/** A tool result: the sentences first, then the same facts as JSON for programs. */
export function toolResult(text: string, data?: unknown): vscode.LanguageModelToolResult {
  const parts = [new vscode.LanguageModelTextPart(text)];
  if (data !== undefined) parts.push(new vscode.LanguageModelTextPart(`\n\nJSON: ${JSON.stringify(data)}`));
  return new vscode.LanguageModelToolResult(parts);
}
