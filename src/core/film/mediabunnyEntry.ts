// The part of Mediabunny the film uses, in one module: esbuild.js bundles it as dist/film.js (only what is
// named here, from the package's tree-shakable build), which media.ts require()s the first time a film is
// assembled or a take is examined. Under mocha it is the package itself. (The package's types are ESM
// only; media.ts reads them with resolution-mode "import", and this CommonJS re-export is what runs.)
// @ts-expect-error TS1479: an ESM package's types re-exported from a CommonJS module (it works at run time)
export { EncodedAudioPacketSource, EncodedPacketSink, EncodedVideoPacketSource, FilePathSource, FilePathTarget, Input, MP4, QTFF, Mp4OutputFormat, Output, Target } from 'mediabunny';
