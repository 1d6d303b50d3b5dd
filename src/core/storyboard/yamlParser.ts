// The YAML parser, loaded on the first storyboard that is read rather than at activation: the `yaml`
// package is about 40% of the extension bundle and most sessions never open a storyboard. In the shipped
// extension esbuild.js turns the require below into one of the sibling bundle dist/yaml.js; under mocha
// it is the package itself. The wrappers keep the package's own signatures, so callers read as usual.
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}

/** Whether the YAML parser has been loaded yet (for the activation benchmark and tests). */
export function yamlLoaded(): boolean {
  return loaded !== undefined;
}

export const parseDocument = ((source: string, options?: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions) =>
  yaml().parseDocument(source, options)) as typeof Yaml.parseDocument;
export const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
