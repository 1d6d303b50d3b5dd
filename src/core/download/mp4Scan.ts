// A cheap completeness check for downloaded videos (CONTRACT 5.2: truncated downloads were seen with a
// plausible size and a broken container). It walks only the top-level MP4 box headers as bytes stream
// past, so it costs nothing per byte and never holds the file: the file must start with 'ftyp', contain a
// 'moov', and its boxes must end exactly at the end of the file.

interface SeenBox {
  readonly type: string;
  readonly start: number;
  readonly headerSize: number;
  /** The header's bytes, kept so a rewind into the header can restore the partial state. */
  readonly header: Buffer;
}

export type Mp4Verdict = { ok: true } | { ok: false; reason: string };

/** At most this many top-level boxes are remembered (real files have a handful). */
const MAX_BOXES = 4096;

export class Mp4BoxScanner {
  private boxes: SeenBox[] = [];
  /** Absolute offset of the next top-level box header; Infinity after a box that runs to end of file. */
  private nextBoxAt = 0;
  /** Header bytes of the next box read so far (8, or 16 for 64-bit sizes). */
  private partial = Buffer.alloc(16);
  private partialLength = 0;
  private broken: string | undefined;

  /** Feeds bytes that start at absolute offset `offset` (bytes before what is already known are ignored). */
  feed(chunk: Uint8Array, offset: number): void {
    const end = offset + chunk.length;
    while (this.broken === undefined && this.nextBoxAt !== Infinity) {
      const at = this.nextBoxAt + this.partialLength;
      if (at >= end) return;
      if (at < offset) {
        this.broken = 'bytes were skipped';
        return;
      }
      const need = this.headerNeed();
      const take = Math.min(need - this.partialLength, end - at);
      this.partial.set(chunk.subarray(at - offset, at - offset + take), this.partialLength);
      this.partialLength += take;
      if (this.partialLength < 8) return;
      if (this.headerNeed() > this.partialLength) continue; // a 64-bit size follows
      this.completeHeader();
    }
  }

  /** Forgets everything at or after `offset` (a resumed or restarted download rewrites from there). */
  rewind(offset: number): void {
    this.broken = undefined;
    for (;;) {
      if (offset >= this.nextBoxAt + this.partialLength) return;
      if (offset >= this.nextBoxAt) {
        this.partialLength = offset - this.nextBoxAt;
        return;
      }
      const last = this.boxes[this.boxes.length - 1];
      if (!last) {
        this.nextBoxAt = 0;
        this.partialLength = 0;
        return;
      }
      if (offset >= last.start + last.headerSize) {
        // Inside the body of the last box: its header stands, the next box starts where it did.
        return;
      }
      this.boxes.pop();
      this.nextBoxAt = last.start;
      last.header.copy(this.partial, 0, 0, last.headerSize);
      this.partialLength = last.headerSize;
    }
  }

  /** Whether `totalBytes` fed bytes make a complete MP4 as far as the top-level boxes can tell. */
  verdict(totalBytes: number): Mp4Verdict {
    if (this.broken) return { ok: false, reason: this.broken };
    if (totalBytes === 0) return { ok: false, reason: 'the file is empty' };
    const first = this.boxes[0];
    if (!first || first.type !== 'ftyp') return { ok: false, reason: "it does not start with an MP4 'ftyp' box" };
    // Complete means the last box ends exactly at the end of the file (no box cut short, no half header).
    if (this.nextBoxAt !== Infinity && (this.nextBoxAt !== totalBytes || this.partialLength !== 0)) {
      return { ok: false, reason: `it ends inside a box (cut short at ${totalBytes} bytes)` };
    }
    if (!this.boxes.some((b) => b.type === 'moov')) return { ok: false, reason: "it has no 'moov' box" };
    return { ok: true };
  }

  private headerNeed(): number {
    return this.partialLength >= 4 && this.partial.readUInt32BE(0) === 1 ? 16 : 8;
  }

  private completeHeader(): void {
    const size32 = this.partial.readUInt32BE(0);
    const type = this.partial.toString('latin1', 4, 8);
    const headerSize = size32 === 1 ? 16 : 8;
    const size = size32 === 1 ? Number(this.partial.readBigUInt64BE(8)) : size32;
    const start = this.nextBoxAt;
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      this.broken = `it has an unreadable box at byte ${start}`;
      return;
    }
    if (size !== 0 && size < headerSize) {
      this.broken = `it has a malformed '${type}' box at byte ${start}`;
      return;
    }
    if (this.boxes.length >= MAX_BOXES) {
      this.broken = 'it has implausibly many top-level boxes';
      return;
    }
    this.boxes.push({ type, start, headerSize, header: Buffer.from(this.partial.subarray(0, headerSize)) });
    this.partialLength = 0;
    // size 0: the box runs to the end of the file (allowed for the last box).
    this.nextBoxAt = size === 0 ? Infinity : start + size;
  }
}
