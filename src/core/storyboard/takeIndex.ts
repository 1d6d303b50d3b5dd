// Takes found by what they are, not by where the storyboard is: every take record in the output folder(s)
// (today's and the ones used before, since a setting change must not hide paid work), indexed by shot id.
// A storyboard's takes are the records and tasks naming one of its shot ids, wherever the file now lives or
// is called. A shot that lost its id (an undo, a hand edit) but whose prompt and settings match the takes
// of an id the file no longer has is re-attached to that id; records of ids the file no longer has, named
// after this file and matching no shot, are its orphans (reported with a quick fix).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GENERATION_FIELDS, settingsOf, type GenerationFields, type UncheckedFields } from '../generationRequest';
import type { Shot, Storyboard } from './parse';
import type { ResolvedShot } from './rules';
import { type Take } from './takes';

/** A take read from its record, with what it was made from (to re-attach a shot that lost its id). */
export interface IndexedTake extends Take {
  /** The storyboard file the record names (workspace-relative, as it was when the take was made). */
  readonly storyboardFile: string;
  readonly made: ShotSignature;
}

/** What a shot asks for: a take made from the same is the same shot. */
export type ShotSignature = GenerationFields;

/** A take record (outputNaming.ts's VideoMetadataRecord) as read from disk, before its fields are checked. */
interface RecordOnDisk extends UncheckedFields {
  schema?: unknown;
  storyboard?: { file?: unknown; shotId?: unknown };
  videoFile?: unknown;
  createdAt?: unknown;
  localId?: unknown;
  inputReference?: { name?: unknown };
}

/** Reads every storyboard take record in the output folders: their own files and one level of subfolders. */
export async function readTakeIndex(outputFolders: readonly string[]): Promise<IndexedTake[]> {
  const folders = new Set<string>();
  for (const output of new Set(outputFolders.map((f) => path.resolve(f)))) {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(output, { withFileTypes: true });
    } catch {
      continue;
    }
    folders.add(output);
    for (const e of entries) if (e.isDirectory()) folders.add(path.join(output, e.name));
  }
  const found = await Promise.all([...folders].map((f) => readFolder(f)));
  // The same record reached twice (a folder inside another output folder) is one take.
  const byRecord = new Map<string, IndexedTake>();
  for (const t of found.flat()) byRecord.set(t.recordFile ?? t.key, t);
  return [...byRecord.values()];
}

async function readFolder(folder: string): Promise<IndexedTake[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const takes: IndexedTake[] = [];
  await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (name) => {
    const recordFile = path.join(folder, name);
    let record: RecordOnDisk;
    try {
      record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as RecordOnDisk;
    } catch {
      return; // not a record of ours, or half written by someone else
    }
    if (record.schema !== 'seedance-studio.video' || !record.storyboard || typeof record.videoFile !== 'string') return;
    if (typeof record.storyboard.shotId !== 'string') return;
    const videoFile = path.join(folder, path.basename(record.videoFile));
    try {
      await fs.access(videoFile);
    } catch {
      return; // the record of a video that was deleted
    }
    const created = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : NaN;
    takes.push({
      key: path.basename(videoFile),
      shotId: record.storyboard.shotId,
      status: 'saved',
      progress: 100,
      createdAt: Number.isFinite(created) ? created : 0,
      videoFile,
      recordFile,
      ...(typeof record.localId === 'string' ? { localId: record.localId } : {}),
      storyboardFile: typeof record.storyboard.file === 'string' ? record.storyboard.file : '',
      made: {
        prompt: typeof record.prompt === 'string' ? record.prompt : '',
        model: typeof record.model === 'string' ? record.model : '',
        seconds: typeof record.seconds === 'number' ? record.seconds : 0,
        size: typeof record.size === 'string' ? record.size : '',
        resolution: typeof record.resolution === 'string' ? record.resolution : '',
      },
      ...(record.inputReference && typeof record.inputReference.name === 'string' ? { firstReference: record.inputReference.name } : {}),
      ...(typeof record.seconds === 'number' ? { seconds: record.seconds } : {}),
    });
  }));
  return takes;
}

export function signatureOf(shot: ResolvedShot): ShotSignature {
  return { prompt: shot.args.prompt, ...settingsOf(shot) };
}

function sameSignature(a: ShotSignature, b: ShotSignature): boolean {
  return GENERATION_FIELDS.every((key) => (key === 'prompt' ? a.prompt.trim() === b.prompt.trim() : a[key] === b[key]));
}

/**
 * Shots without an id whose prompt and settings match the takes of an id the file does not have: shot
 * index -> that id. Each id goes to one shot (the first that matches), and only ids no shot has.
 */
export function reattach(shots: readonly ResolvedShot[], index: readonly IndexedTake[]): Map<number, string> {
  const ids = new Set(shots.map((s) => s.shot.id).filter((id): id is string => !!id));
  const out = new Map<number, string>();
  const used = new Set<string>();
  for (const s of shots) {
    if (s.shot.id) continue;
    const sig = signatureOf(s);
    const match = index.find((t) => !ids.has(t.shotId) && !used.has(t.shotId) && sameSignature(t.made, sig));
    if (!match) continue;
    out.set(s.shot.index, match.shotId);
    used.add(match.shotId);
  }
  return out;
}

/** The board as if the re-attached ids were written (everything else reads ids from here). */
export function withIds(board: Storyboard, ids: ReadonlyMap<number, string>): Storyboard {
  if (ids.size === 0) return board;
  return { ...board, shots: board.shots.map((s): Shot => (ids.has(s.index) && !s.id ? { ...s, id: ids.get(s.index)! } : s)) };
}

/**
 * Takes of this storyboard whose id it no longer has. "This storyboard" is its file, and any file named by
 * records of the ids it still has: the names it had before a rename or move.
 */
export interface Orphan {
  readonly shotId: string;
  readonly takes: readonly IndexedTake[];
  /** The prompt the takes were made from (to tell the person which shot it was). */
  readonly prompt: string;
}

export function orphansOf(file: string, shotIds: ReadonlySet<string>, index: readonly IndexedTake[]): Orphan[] {
  const names = new Set([file]);
  for (const t of index) if (shotIds.has(t.shotId)) names.add(t.storyboardFile);
  const byId = new Map<string, IndexedTake[]>();
  for (const t of index) {
    if (!names.has(t.storyboardFile) || shotIds.has(t.shotId)) continue;
    byId.set(t.shotId, [...(byId.get(t.shotId) ?? []), t]);
  }
  return [...byId].map(([shotId, takes]) => ({ shotId, takes, prompt: takes[0].made.prompt }));
}
