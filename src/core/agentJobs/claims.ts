// The claim on one job: exactly one process at a time creates it, checks it and downloads its video. A
// claim is a generation-numbered file, claim-N.json, in the job's folder. Taking a job means creating the
// next number with an exclusive create (O_EXCL), which only one process can win; nobody ever deletes or
// renames another's claim, so two processes cannot both believe they took the same dead claim (the race
// lock files with "delete the stale one, then create" have). The holder renews its own file (an atomic
// rewrite); it has lost the job the moment a higher number exists, and checks that before it records a
// result. A holder killed with SIGKILL stops renewing: on the same machine its dead pid frees the job at
// once, elsewhere the TTL does.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { jobFolder, readJob, writeAtomically } from './jobFiles';
import { leaseIsLive, parseLease, sameOwner, type LeaseOwner, type LeaseRecord, type LivenessProbe } from './lease';

/** A claim file still being written (created, not yet filled) counts as live this long after its mtime. */
const UNREADABLE_GRACE_MS = 5_000;

export interface HeldClaim {
  readonly localId: string;
  readonly generation: number;
}

function claimFile(workspace: string, localId: string, generation: number): string {
  return path.join(jobFolder(workspace, localId), `claim-${generation}.json`);
}

/** Whether the newest claim of a job is live (held by a process that is still working on it). */
export function claimIsLive(claim: { lease?: LeaseRecord; mtimeMs: number } | undefined, probe: LivenessProbe): boolean {
  if (!claim) return false;
  if (!claim.lease) return probe.now - claim.mtimeMs < UNREADABLE_GRACE_MS;
  return leaseIsLive(claim.lease, probe);
}

/**
 * Takes the job for `owner` when nobody live holds it (or `owner` already does). Resolves with the held
 * claim, or undefined when another process holds it or won the race for the next number.
 */
export async function acquireClaim(
  workspace: string,
  localId: string,
  owner: LeaseOwner,
  now = Date.now(),
): Promise<HeldClaim | undefined> {
  const files = await readJob(workspace, localId);
  const top = files.claim;
  if (top?.lease && sameOwner(top.lease.owner, owner) && !top.lease.released) return { localId, generation: top.generation };
  if (claimIsLive(top, { now })) return undefined;
  const generation = (top?.generation ?? 0) + 1;
  const record: LeaseRecord = { owner, renewedAt: now };
  await fs.mkdir(jobFolder(workspace, localId), { recursive: true });
  try {
    // 'wx': exactly one process creates claim-N; the loser sees EEXIST.
    await fs.writeFile(claimFile(workspace, localId, generation), JSON.stringify(record), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  return { localId, generation };
}

/** Whether `claim` is still the newest one (nobody took the job over). */
export async function stillHeld(workspace: string, claim: HeldClaim): Promise<boolean> {
  try {
    await fs.access(claimFile(workspace, claim.localId, claim.generation + 1));
    return false;
  } catch {
    return true;
  }
}

/** Renews the claim; false when it was lost (a higher number exists), and then nothing is written. */
export async function renewClaim(workspace: string, claim: HeldClaim, owner: LeaseOwner, now = Date.now()): Promise<boolean> {
  if (!(await stillHeld(workspace, claim))) return false;
  await writeAtomically(
    claimFile(workspace, claim.localId, claim.generation),
    JSON.stringify({ owner, renewedAt: now } satisfies LeaseRecord),
  );
  return true;
}

/** Gives the job up: anyone may take it at once. */
export async function releaseClaim(workspace: string, claim: HeldClaim, owner: LeaseOwner, now = Date.now()): Promise<void> {
  if (!(await stillHeld(workspace, claim))) return;
  await writeAtomically(
    claimFile(workspace, claim.localId, claim.generation),
    JSON.stringify({ owner, renewedAt: now, released: true } satisfies LeaseRecord),
  ).catch(() => undefined);
}

/**
 * Keeps a set of claims renewed while their holder works (one timer for all of them), and reports the
 * ones that were lost. Its timer does not keep the process alive.
 */
export class ClaimKeeper {
  private readonly held = new Map<string, HeldClaim>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly workspace: string,
    private readonly owner: LeaseOwner,
    private readonly everyMs: number,
    private readonly onLost: (localId: string) => void = () => undefined,
  ) {}

  add(claim: HeldClaim): void {
    this.held.set(claim.localId, claim);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renewAll(), this.everyMs);
      this.timer.unref?.();
    }
  }

  get(localId: string): HeldClaim | undefined {
    return this.held.get(localId);
  }

  async release(localId: string): Promise<void> {
    const claim = this.held.get(localId);
    if (!claim) return;
    this.held.delete(localId);
    await releaseClaim(this.workspace, claim, this.owner);
    this.stopIfIdle();
  }

  /** Forgets a claim without releasing it (e.g. lost); its file is left to expire. */
  drop(localId: string): void {
    this.held.delete(localId);
    this.stopIfIdle();
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((id) => this.release(id)));
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private stopIfIdle(): void {
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async renewAll(): Promise<void> {
    for (const claim of [...this.held.values()]) {
      const kept = await renewClaim(this.workspace, claim, this.owner).catch(() => true);
      if (!kept) {
        this.held.delete(claim.localId);
        this.onLost(claim.localId);
      }
    }
    this.stopIfIdle();
  }
}

/** The editor's presence lease (`.seedance/editor.json`) is live: the extension has this workspace open. */
export async function editorIsPresent(file: string, probe: LivenessProbe): Promise<boolean> {
  try {
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return leaseIsLive(parseLease(raw), probe);
  } catch {
    return false;
  }
}
