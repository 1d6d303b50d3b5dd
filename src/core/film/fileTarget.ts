// Where the join writes the film: a Mediabunny output target straight onto a file handle. Mediabunny's own
// FilePathTarget copies every write three times (a copy per write, the sections merged into a new array at
// each flush, then copied again into 2 MiB chunks) and sends each through a WHATWG WritableStream; in a join
// that is much of the work besides reading (bench:film: 15-25 % less CPU for 720p and 1080p takes and a
// smaller cold memory rise; packet-dense films, where per-packet work dominates, cost the same). Here
// consecutive writes fill one 2 MiB buffer, handed to the file as it is (a fresh buffer takes its place: no
// copy); a write elsewhere (the muxer going back to the index it reserved at the front) starts a new piece.
// Pieces are written in order at each flush, which the muxer asks for after every chunk of samples, so at most
// a few MiB are held.
//
// This subclasses Mediabunny's Target through its internal methods (_start, _write, _flush, _finalize,
// _close: what its own targets implement and its Writer calls). They are not public API, so package.json
// pins the exact Mediabunny version, and the film's unit tests (ffprobe, a full ffmpeg decode) run through
// this target: an upgrade that changed them fails there, not in a user's film.
import { promises as fs } from 'node:fs';
import { mediabunny } from './media';

const PIECE_BYTES = 2 * 1024 * 1024;
/** Flushes before this much is gathered leave the piece growing (fewer, larger writes). */
const WRITE_AT_BYTES = 1024 * 1024;

interface Piece {
  readonly bytes: Uint8Array;
  readonly position: number;
}

type TargetClass = new (file: string) => InstanceType<ReturnType<typeof mediabunny>['Target']>;
let FileTarget: TargetClass | undefined;

/** A target writing to `file` (created or truncated when the output starts). */
export function fileTarget(file: string): InstanceType<ReturnType<typeof mediabunny>['Target']> {
  FileTarget ??= defineFileTarget();
  return new FileTarget(file);
}

function defineFileTarget(): TargetClass {
  // Defined on first use: Mediabunny itself is loaded only when a film is assembled (media.ts).
  return class extends mediabunny().Target {
    private handle: Promise<fs.FileHandle> | undefined;
    private piece = Buffer.allocUnsafe(PIECE_BYTES);
    private pieceStart = 0;
    private pieceLength = 0;
    private pending: Piece[] = [];

    constructor(private readonly file: string) {
      super();
    }

    _start(): void {
      this.handle = fs.open(this.file, 'w');
      this.handle.catch(() => undefined); // reported by the first flush that awaits it
    }

    _write(data: Uint8Array, position: number): void {
      if (position === this.pieceStart + this.pieceLength && this.pieceLength + data.byteLength <= this.piece.length) {
        this.piece.set(data, this.pieceLength);
        this.pieceLength += data.byteLength;
        return;
      }
      this.endPiece();
      if (data.byteLength > this.piece.length) {
        // Larger than a piece (rare: a huge index): a copy, since the caller may reuse its array.
        this.pending.push({ bytes: data.slice(), position });
        this.pieceStart = position + data.byteLength;
        return;
      }
      this.pieceStart = position;
      this.piece.set(data, 0);
      this.pieceLength = data.byteLength;
    }

    async _flush(): Promise<void> {
      if (this.pieceLength >= WRITE_AT_BYTES) this.endPiece();
      await this.writePending();
    }

    async _finalize(): Promise<void> {
      this.endPiece();
      await this.writePending();
      await this.closeFile();
    }

    async _close(): Promise<void> {
      this.pending = [];
      await this.closeFile();
    }

    private endPiece(): void {
      if (this.pieceLength > 0) {
        this.pending.push({ bytes: this.piece.subarray(0, this.pieceLength), position: this.pieceStart });
        this.piece = Buffer.allocUnsafe(PIECE_BYTES);
      }
      this.pieceStart += this.pieceLength;
      this.pieceLength = 0;
    }

    private async writePending(): Promise<void> {
      if (this.pending.length === 0) return;
      const handle = await this.handle!;
      const pieces = this.pending;
      this.pending = [];
      for (const { bytes, position } of pieces) {
        for (let at = 0; at < bytes.byteLength;) {
          const { bytesWritten } = await handle.write(bytes, at, bytes.byteLength - at, position + at);
          at += bytesWritten;
        }
      }
    }

    private async closeFile(): Promise<void> {
      const handle = this.handle;
      this.handle = undefined;
      await (await handle?.catch(() => undefined))?.close();
    }
  } as unknown as TargetClass;
}
