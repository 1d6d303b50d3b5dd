// Loads Mediabunny (through mediabunnyEntry.ts) on first use: assembling a film is rare, and the package is
// several times the size of what activation parses. In the shipped extension esbuild.js turns the require
// below into one of the sibling bundle dist/film.js; under mocha it is the TypeScript module itself.
import type * as Mb from 'mediabunny' with { 'resolution-mode': 'import' };

export type Mediabunny = Pick<typeof Mb, 'EncodedAudioPacketSource' | 'EncodedPacketSink' | 'EncodedVideoPacketSource' | 'FilePathSource'
  | 'FilePathTarget' | 'Input' | 'MP4' | 'QTFF' | 'Mp4OutputFormat' | 'Output' | 'Target'>;

let loaded: Mediabunny | undefined;

export function mediabunny(): Mediabunny {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./mediabunnyEntry') as Mediabunny;
  return loaded;
}

/** Whether Mediabunny has been loaded yet (tests: it must not be at activation). */
export function mediabunnyLoaded(): boolean {
  return loaded !== undefined;
}
