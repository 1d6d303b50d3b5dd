// The extension's manifest (package.json) as the MCP server reads it: the language model tools' names,
// descriptions and input schemas, and the settings' defaults. Read from the one file, never copied, so the
// MCP tools and the language model tools cannot drift apart. esbuild inlines the JSON into dist/mcp.js.

interface ManifestTool {
  readonly name: string;
  readonly modelDescription: string;
  readonly inputSchema: Record<string, unknown>;
}

interface Manifest {
  readonly version: string;
  readonly contributes: {
    readonly languageModelTools: readonly ManifestTool[];
    readonly configuration: { readonly properties: Record<string, { readonly default?: unknown }> };
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require('../../package.json') as Manifest;

export function extensionVersion(): string {
  return manifest.version;
}

/** One language model tool's name, description and input schema, as contributed. */
export function manifestTool(name: string): ManifestTool {
  const tool = manifest.contributes.languageModelTools.find((t) => t.name === name);
  if (!tool) throw new Error(`package.json contributes no language model tool named ${name}.`);
  return tool;
}

/** A setting's default as contributed (e.g. seedance.defaultModel). */
export function settingDefault(key: string): unknown {
  return manifest.contributes.configuration.properties[key]?.default;
}
