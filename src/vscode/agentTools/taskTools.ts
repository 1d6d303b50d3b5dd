// seedance_get_video and seedance_list_videos: read-only views of the task list, the same one the Seedance
// view shows. Ids are the service's task ids (what seedance_generate_video returns); a request that never got
// one is found under the extension's local id, as the public API lists it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeInvalidInput, describeTask, describeTaskList } from '../../core/agentTools/resultText';
import { parseGetVideoInput, parseListVideosInput } from '../../core/agentTools/toolInputs';
import { displayPath, taskView, toolResult, type AgentToolDeps } from './agentToolDeps';
import { homeWorkspaceRoot } from '../workspaceFolder';

export class GetVideoTool implements vscode.LanguageModelTool<{ taskId: string }> {
  constructor(private readonly deps: Pick<AgentToolDeps, 'store'>) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Checking a Seedance video') };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<{ taskId: string }>): vscode.LanguageModelToolResult {
    const input = parseGetVideoInput(options.input);
    if (!input.ok) return toolResult(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const { taskId } = input.value;
    const task = this.deps.store.findByRemoteId(taskId) ?? this.deps.store.get(taskId);
    if (!task) {
      return toolResult(`There is no video with id ${taskId} in this workspace. Call seedance_list_videos to see the ids.`, { ok: false, reason: 'notFound' });
    }
    const view = taskView(task);
    return toolResult(describeTask(view), { ok: true, task: view });
  }
}

export class ListVideosTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(private readonly deps: Pick<AgentToolDeps, 'store'>) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Listing Seedance videos') };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>): vscode.LanguageModelToolResult {
    const input = parseListVideosInput(options.input);
    if (!input.ok) return toolResult(describeInvalidInput(input.problems), { ok: false, problems: input.problems });
    const { status, storyboard, limit } = input.value;
    const wanted = storyboard ? storyboardKey(storyboard) : undefined;
    const all = this.deps.store.list().map(taskView).filter((t) =>
      (!status || t.status === status) && (!wanted || (t.storyboard !== undefined && storyboardKey(t.storyboard.file) === wanted)));
    const shown = all.slice(0, limit);
    const filter = [status ? `with status ${status}` : '', storyboard ? `of storyboard ${storyboard}` : ''].filter(Boolean).join(' ');
    return toolResult(describeTaskList(shown, all.length, filter), { ok: true, total: all.length, tasks: shown });
  }
}

/** Storyboard paths compared the same way whether given relative, absolute or with backslashes. */
function storyboardKey(file: string): string {
  const root = homeWorkspaceRoot();
  const absolute = root && !path.isAbsolute(file) ? path.resolve(root, file) : file;
  return (displayPath(path.normalize(absolute)) ?? file).replace(/\\/g, '/').toLowerCase();
}
