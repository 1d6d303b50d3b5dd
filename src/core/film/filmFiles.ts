// Where a storyboard's film lives and what its sidecar says: `<takes folder>/<name>.film.mp4` beside
// `<name>.film.json` (per shot: the take file, its SHA-256, its length and where it starts in the film)
// and `<name>.otio` (the timeline for an editing application). The sidecar also holds the film's own
// SHA-256: a film that no longer matches it was replaced by hand and is never overwritten without asking.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { STORYBOARD_SUFFIX } from '../storyboard/takes';

export const FILM_SCHEMA = 'seedance-studio.film';

export interface FilmPaths {
  readonly film: string;
  readonly sidecar: string;
  readonly timeline: string;
}

/** "teaser.storyboard.md" -> teaser.film.mp4, teaser.film.json, teaser.otio in the takes folder. */
export function filmPaths(takesFolder: string, storyboardFile: string): FilmPaths {
  const base = path.basename(storyboardFile.replace(/\\/g, '/'));
  const name = base.toLowerCase().endsWith(STORYBOARD_SUFFIX) ? base.slice(0, -STORYBOARD_SUFFIX.length) : base;
  return {
    film: path.join(takesFolder, `${name}.film.mp4`),
    sidecar: path.join(takesFolder, `${name}.film.json`),
    timeline: path.join(takesFolder, `${name}.otio`),
  };
}

export interface FilmShot {
  readonly shotId: string;
  readonly title: string;
  /** The take's file name (in the takes folder). */
  readonly take: string;
  readonly sha256: string;
  /** Seconds. */
  readonly duration: number;
  /** Where it starts in the film, seconds. */
  readonly start: number;
}

export interface FilmSidecar {
  readonly schema: typeof FILM_SCHEMA;
  readonly version: 1;
  /** The storyboard, workspace-relative with "/" separators. */
  readonly storyboard: string;
  readonly createdAt: string;
  readonly film: {
    readonly file: string;
    readonly sha256: string;
    readonly bytes: number;
    readonly duration: number;
    readonly width: number;
    readonly height: number;
    /** Pictures per second (frames / duration of the takes). */
    readonly frameRate: number;
    /** "mp4a.40.2", or undefined for a silent film. */
    readonly audio?: string;
  };
  readonly shots: readonly FilmShot[];
}

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The sidecar, or undefined when there is none or it is not ours. */
export async function readSidecar(file: string): Promise<FilmSidecar | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<FilmSidecar>;
    if (parsed.schema !== FILM_SCHEMA || parsed.version !== 1 || !parsed.film || !Array.isArray(parsed.shots)) return undefined;
    return parsed as FilmSidecar;
  } catch {
    return undefined;
  }
}

/** Writes beside and renames: never half a file under the final name. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.part-${process.pid}-${Date.now()}`);
  try {
    await fs.writeFile(partial, data, { flag: 'wx' });
    await fs.rename(partial, target);
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Whether the film on disk is the one this extension wrote: 'none' (no film), 'ours' (its bytes match
 * the sidecar), 'replaced' (a film without a sidecar, or with other bytes: someone put it there).
 */
export async function filmOwnership(paths: FilmPaths): Promise<'none' | 'ours' | 'replaced'> {
  let stat;
  try {
    stat = await fs.stat(paths.film);
  } catch {
    return 'none';
  }
  const sidecar = await readSidecar(paths.sidecar);
  if (!sidecar || sidecar.film.bytes !== stat.size) return 'replaced';
  return (await sha256File(paths.film)) === sidecar.film.sha256 ? 'ours' : 'replaced';
}

export interface ChosenNow {
  readonly shotId: string;
  /** The chosen take's file name, or undefined when the shot has none on disk. */
  readonly take: string | undefined;
  /** The take file's modification time, ms. */
  readonly modifiedMs?: number;
}

/**
 * Whether the film still shows the chosen takes (cheap: names and times, no hashing): the shots that
 * changed since it was assembled (another take chosen, a shot added or removed, a take file rewritten).
 */
export function staleShots(sidecar: FilmSidecar, chosen: readonly ChosenNow[]): string[] {
  const assembled = Date.parse(sidecar.createdAt);
  const inFilm = new Map(sidecar.shots.map((s) => [s.shotId, s]));
  const changed: string[] = [];
  for (const c of chosen) {
    const was = inFilm.get(c.shotId);
    if (!c.take) {
      if (was) changed.push(c.shotId);
      continue;
    }
    if (
      !was || was.take !== c.take ||
      (c.modifiedMs !== undefined && Number.isFinite(assembled) && c.modifiedMs > assembled + 1000)
    ) {
      changed.push(c.shotId);
    }
  }
  const now = new Set(chosen.map((c) => c.shotId));
  for (const s of sidecar.shots) if (!now.has(s.shotId)) changed.push(s.shotId);
  // The film's shots in another order than the storyboard's.
  const order = chosen.filter((c) => c.take && inFilm.has(c.shotId)).map((c) => c.shotId);
  const filmOrder = sidecar.shots.map((s) => s.shotId).filter((id) => order.includes(id));
  if (changed.length === 0 && order.join('\n') !== filmOrder.join('\n')) changed.push(...order);
  return changed;
}
