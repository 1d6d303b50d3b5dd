// Builds and registers the language model tools contributed in package.json (`languageModelTools`), so
// Copilot's agent mode and any chat participant can generate, follow and price videos through the same
// paths a person uses. test/integration/agentTools.test.ts checks both sides stay in step.
import * as vscode from 'vscode';
import type { AgentToolDeps } from './agentToolDeps';
import { EstimateCostTool, GenerateVideoTool } from './generateVideoTool';
import { GenerateStoryboardTool } from './storyboardTool';
import { GetVideoTool, ListVideosTool } from './taskTools';

export type AgentTools = ReadonlyMap<string, vscode.LanguageModelTool<object>>;

export function createAgentTools(deps: AgentToolDeps): AgentTools {
  const tools = new Map<string, vscode.LanguageModelTool<object>>([
    ['seedance_generate_video', new GenerateVideoTool(deps)],
    ['seedance_get_video', new GetVideoTool(deps) as vscode.LanguageModelTool<object>],
    ['seedance_list_videos', new ListVideosTool(deps)],
    ['seedance_estimate_cost', new EstimateCostTool(deps)],
  ]);
  if (deps.storyboards) {
    tools.set('seedance_generate_storyboard', new GenerateStoryboardTool({ ...deps, storyboards: deps.storyboards }) as vscode.LanguageModelTool<object>);
  }
  return tools;
}

export function registerAgentTools(tools: AgentTools): vscode.Disposable {
  // vscode.lm is there from VS Code 1.95 (our floor is 1.100), but a host that leaves chat out may lack it.
  if (typeof vscode.lm?.registerTool !== 'function') return new vscode.Disposable(() => undefined);
  return vscode.Disposable.from(...[...tools].map(([name, tool]) => vscode.lm.registerTool(name, tool)));
}
