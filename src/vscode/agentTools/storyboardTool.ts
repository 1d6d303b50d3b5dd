// seedance_generate_storyboard: runs a storyboard's shots like Generate All (in order, its concurrency, the
// budget holding), after a confirmation that lists every shot with its estimated cost and the total.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeInvalidInput, describeTotal, formatUsd, NO_KEY_TEXT } from '../../core/agentTools/resultText';
import { parseGenerateStoryboardInput, type GenerateStoryboardInput } from '../../core/agentTools/toolInputs';
import { assertInsideRoot } from '../../core/files/pathGuard';
import { describeAllowance, describeEstimateForPerson, failure } from './generateVideoTool';
import { toolResult, type AgentToolDeps, type StoryboardPlan, type StoryboardRunner } from './agentToolDeps';
import { homeWorkspaceRoot } from '../workspaceFolder';

type Input = { path: string; shots?: string[] };

/** The storyboard file inside the workspace folder, or the reason it cannot be used. */
async function locate(input: GenerateStoryboardInput): Promise<{ ok: true; uri: vscode.Uri } | { ok: false; problems: string[] }> {
  const root = homeWorkspaceRoot();
  if (!root) return { ok: false, problems: ['No workspace folder is open, so there is no storyboard to run. Ask the user to open the folder that holds it.'] };
  const file = path.resolve(root, input.path);
  try {
    await assertInsideRoot(root, file);
  } catch {
    return { ok: false, problems: [`"${input.path}" is not a file inside the workspace folder.`] };
  }
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
  } catch {
    return { ok: false, problems: [`There is no file "${input.path}" in the workspace folder.`] };
  }
  return { ok: true, uri: vscode.Uri.file(file) };
}

function total(plan: StoryboardPlan): { usd?: number; known: boolean } {
  const sendable = plan.shots.filter((s) => s.problems.length === 0);
  const known = sendable.every((s) => s.estimate.usd !== undefined);
  return { usd: sendable.reduce((sum, s) => sum + (s.estimate.usd ?? 0), 0), known };
}

export class GenerateStoryboardTool implements vscode.LanguageModelTool<Input> {
  constructor(private readonly deps: Pick<AgentToolDeps, 'hasApiKey' | 'destination' | 'agentAllowance'> & { storyboards: StoryboardRunner }) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Input>): Promise<vscode.PreparedToolInvocation> {
    const input = parseGenerateStoryboardInput(options.input);
    const where = input.ok ? await locate(input.value) : undefined;
    if (!input.ok || !where?.ok) return { invocationMessage: vscode.l10n.t('Checking the storyboard') };
    const plan = await this.deps.storyboards.plan(where.uri, input.value.shots);
    const sendable = plan.shots.filter((s) => s.problems.length === 0);
    if (sendable.length === 0) return { invocationMessage: vscode.l10n.t('Checking the storyboard') };
    const sum = total(plan);
    const message = [
      this.deps.destination(),
      vscode.l10n.t('{0} shot(s) of "{1}":', sendable.length, plan.title || path.basename(where.uri.fsPath)),
      ...sendable.map((shot) => `- ${shot.title}: ${describeEstimateForPerson(shot.estimate)}`),
      '',
      sum.known
        ? vscode.l10n.t('Estimated total: {0}. An estimate, not a bill.', formatUsd(sum.usd ?? 0))
        : vscode.l10n.t('Estimated total: unknown (some shots have no known price).'),
      describeAllowance(this.deps.agentAllowance()),
    ].join('\n');
    return {
      invocationMessage: vscode.l10n.t('Generating storyboard shots'),
      confirmationMessages: { title: vscode.l10n.t('Generate {0} storyboard shot(s) with Seedance?', sendable.length), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Input>): Promise<vscode.LanguageModelToolResult> {
    const input = parseGenerateStoryboardInput(options.input);
    if (!input.ok) return toolResult(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const where = await locate(input.value);
    if (!where.ok) return toolResult(where.problems.join('\n'), { ok: false, problems: where.problems });
    const plan = await this.deps.storyboards.plan(where.uri, input.value.shots);
    if (plan.unknownShots.length) {
      const names = plan.available.map((s) => `"${s.title}" (${s.id})`).join(', ');
      const problems = [`No shot called ${plan.unknownShots.map((s) => `"${s}"`).join(', ')} in ${input.value.path}. Its shots are: ${names || 'none'}.`];
      return toolResult(`Nothing was sent.\n${problems[0]}`, { ok: false, problems });
    }
    if (!plan.shots.some((s) => s.problems.length === 0)) {
      const lines = plan.shots.map((s) => `- ${s.title}: ${s.problems.join(' ')}`);
      return toolResult(['Nothing was sent: no shot can be generated as written.', ...lines].join('\n'), { ok: false, shots: plan.shots });
    }
    if (!(await this.deps.hasApiKey())) return toolResult(NO_KEY_TEXT, { ok: false, reason: 'noApiKey' });
    try {
      const result = await this.deps.storyboards.run(where.uri, input.value.shots);
      const lines = [`Storyboard ${input.value.path}: ${result.submitted.length} shot(s) submitted.`];
      for (const s of result.submitted) lines.push(`- "${s.title}" (${s.shotId}): task ${s.taskId}`);
      for (const s of result.skipped) lines.push(`- "${s.title}" (${s.shotId}) skipped: ${s.reason}`);
      if (result.stopped) lines.push(`Stopped: ${result.stopped.reason} Not sent: ${result.stopped.remaining.join(', ')}.`);
      const sum = total(plan);
      lines.push(describeTotal(sum.known ? sum.usd : undefined));
      lines.push('Takes are downloaded into the storyboard\'s folder as they finish (minutes). Check with seedance_list_videos (storyboard filter) or seedance_get_video; do not submit again.');
      return toolResult(lines.join('\n'), { ok: true, ...result, estimatedTotalUsd: sum.known ? sum.usd : undefined });
    } catch (error) {
      return failure(error);
    }
  }
}
