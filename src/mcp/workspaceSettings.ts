// The settings the MCP server honours, as the extension would read them in this workspace: the
// seedance.* defaults contributed in package.json, overridden by the workspace's .vscode/settings.json
// (read tolerantly: comments and trailing commas allowed, anything odd ignored). User-level settings live
// in the editor's profile, which the server does not read; flags and environment variables cover the rest.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RequestShape } from '../core/catalog';
import type { GenerationDefaults } from '../core/generationArgs';
import { settingDefault } from './manifest';

export interface ServerSettings {
  readonly defaults: GenerationDefaults;
  readonly outputFolder: string;
  readonly requestShape: RequestShape;
}

/** JSON with comments (VS Code's settings files) -> JSON: comments and trailing commas removed, strings kept. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function workspaceValues(workspace: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(stripJsonComments(readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8'))) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Read on each call (cheap), so a changed settings file counts from the next request. */
export function readServerSettings(workspace: string): ServerSettings {
  const values = workspaceValues(workspace);
  const pick = <T>(key: string, ok: (v: unknown) => v is T): T => {
    const own = values[key];
    return ok(own) ? own : (settingDefault(key) as T);
  };
  const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const isShape = (v: unknown): v is RequestShape => v === 'ratio' || v === 'wxh';
  return {
    defaults: {
      model: pick('seedance.defaultModel', isString),
      seconds: pick('seedance.defaultSeconds', isSeconds),
      size: pick('seedance.defaultSize', isString),
      resolution: pick('seedance.defaultResolution', isString),
    },
    outputFolder: pick('seedance.outputFolder', (v): v is string => typeof v === 'string'),
    requestShape: pick('seedance.requestShape', isShape),
  };
}
