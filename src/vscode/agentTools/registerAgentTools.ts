// Builds the language model tools contributed in package.json (`languageModelTools`), so Copilot's agent
// mode and any chat participant can generate, follow and price videos through the same paths a person
// uses. Activation registers each contributed name with VS Code (../deferred.ts) and hands calls to these
// objects; test/integration/agentTools.test.ts checks both sides stay in step.
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
