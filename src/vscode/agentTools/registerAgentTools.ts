// Registers the language model tools contributed in package.json (`languageModelTools`), so Copilot's agent
// mode and any chat participant can generate, follow and price videos through the same paths a person uses.
// `commands-registered.test.ts`-style checks live in test/integration/agentTools.test.ts.
import * as vscode from 'vscode';
import type { AgentToolDeps } from './agentToolDeps';
import { EstimateCostTool, GenerateVideoTool } from './generateVideoTool';
import { GenerateStoryboardTool } from './storyboardTool';
import { GetVideoTool, ListVideosTool } from './taskTools';

export const AGENT_TOOL_NAMES = [
  'seedance_generate_video',
  'seedance_get_video',
  'seedance_list_videos',
  'seedance_generate_storyboard',
  'seedance_estimate_cost',
] as const;

export function registerAgentTools(deps: AgentToolDeps): vscode.Disposable {
  // vscode.lm is there from VS Code 1.95 (our floor is 1.100), but hosts that leave chat out may not have it.
  if (typeof vscode.lm?.registerTool !== 'function') return new vscode.Disposable(() => undefined);
  const registrations = [
    vscode.lm.registerTool('seedance_generate_video', new GenerateVideoTool(deps)),
    vscode.lm.registerTool('seedance_get_video', new GetVideoTool(deps)),
    vscode.lm.registerTool('seedance_list_videos', new ListVideosTool(deps)),
    vscode.lm.registerTool('seedance_estimate_cost', new EstimateCostTool(deps)),
  ];
  if (deps.storyboards) {
    registrations.push(vscode.lm.registerTool('seedance_generate_storyboard', new GenerateStoryboardTool({ ...deps, storyboards: deps.storyboards })));
  }
  return vscode.Disposable.from(...registrations);
}
