// Generate All: runs a storyboard's shots through the one submit path with at most N generations at once.
// Rules, each covered by test/unit/storyboardBatch.test.ts:
// - shots start in file order; a shot that must wait (it continues a shot whose take is not ready) lets
//   the next ready shots go first instead of holding a slot;
// - a slot is held from the create request until the take has finished (that is a "generation at once");
// - a shot with invalid input is reported and skipped, the others go on; a continuation of a shot that
//   did not produce a take (invalid, failed, uncertain) is blocked, never sent without its frame;
// - every shot is sent at most once: an uncertain create is never followed by a second create, and `submit`
//   re-checks the shot just before its create: a take or a create that appeared since the run was planned
//   (another run, a Generate Shot) is answered `existing`, and the run waits for that take instead;
// - an error thrown by `submit` (a budget refusal, no API key) stops the batch: nothing more is sent and the
//   shots that were not started are named.

export interface BatchShot {
  /** The shot's key (its id). */
  readonly key: string;
  readonly title: string;
  /** The key of the shot whose last frame this one starts from. */
  readonly continuesFrom?: string;
  /** Why the shot cannot be sent as written (empty: valid). */
  readonly errors: readonly string[];
}

export type SubmitResult =
  | { readonly kind: 'accepted'; readonly localId: string }
  /** Nothing was created (the service refused it, or the input was refused before sending). */
  | { readonly kind: 'refused'; readonly message: string }
  /** The create may have reached the service: it must not be sent again. */
  | { readonly kind: 'uncertain'; readonly message: string }
  /** Not sent: the shot already has a take, or one on its way (`localId`: wait for that one). */
  | { readonly kind: 'existing'; readonly localId?: string };

export type ShotRunState =
  | 'pending' | 'submitting' | 'running' | 'done' | 'existing' | 'failed' | 'invalid' | 'uncertain' | 'blocked' | 'notStarted';

export interface BatchEvent {
  readonly key: string;
  readonly state: ShotRunState;
  readonly message?: string;
  /** A pending continuation: the key of the shot whose take it waits for. */
  readonly waitingFor?: string;
}

export interface BatchDeps {
  readonly concurrency: number;
  /** Sends one shot. Throws to stop the whole batch (budget refused, no key, bad configuration). */
  submit(shot: BatchShot): Promise<SubmitResult>;
  /** Resolves when a submitted take has finished: true when its video is there, false when it failed. */
  finished(localId: string): Promise<boolean>;
  /** For a continuation whose predecessor is not part of this batch: true once the predecessor's take is ready. */
  predecessorReady(key: string): Promise<boolean>;
  onEvent?(event: BatchEvent): void;
  /** Checked before each start: true stops starting new shots (the person cancelled). */
  isCancelled?(): boolean;
}

export interface BatchResult {
  readonly states: ReadonlyMap<string, { readonly state: ShotRunState; readonly message?: string }>;
  /** Set when `submit` threw: the error, and the shots that were not started (in order). */
  readonly stopped?: { readonly error: unknown; readonly remaining: readonly string[] };
  readonly cancelled: boolean;
}

const SETTLED_OK: ReadonlySet<ShotRunState> = new Set(['done', 'existing']);
const SETTLED_BAD: ReadonlySet<ShotRunState> = new Set(['failed', 'invalid', 'uncertain', 'blocked', 'notStarted']);

export async function runBatch(shots: readonly BatchShot[], deps: BatchDeps): Promise<BatchResult> {
  const states = new Map<string, { state: ShotRunState; message?: string }>();
  const inBatch = new Set(shots.map((s) => s.key));
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((r) => (wake = r));
  const signal = () => {
    const w = wake;
    changed = new Promise<void>((r) => (wake = r));
    w();
  };
  const set = (key: string, state: ShotRunState, message?: string, waitingFor?: string) => {
    states.set(key, { state, ...(message !== undefined ? { message } : {}) });
    deps.onEvent?.({ key, state, ...(message !== undefined ? { message } : {}), ...(waitingFor !== undefined ? { waitingFor } : {}) });
    signal();
  };
  const announcedWaiting = new Set<string>();

  // Predecessors outside the batch: asked once, up front, and remembered when they answer.
  const outside = new Map<string, boolean | undefined>();
  for (const s of shots) {
    const from = s.continuesFrom;
    if (from === undefined || inBatch.has(from) || outside.has(from)) continue;
    outside.set(from, undefined);
    deps.predecessorReady(from).then(
      (ok) => { outside.set(from, ok); signal(); },
      () => { outside.set(from, false); signal(); },
    );
  }

  const pending: BatchShot[] = [];
  for (const s of shots) {
    if (s.errors.length > 0) set(s.key, 'invalid', s.errors.join(' '));
    else {
      set(s.key, 'pending');
      pending.push(s);
    }
  }

  let stopped: BatchResult['stopped'];
  let cancelled = false;

  /** undefined: not known yet; true: its take is ready; false: it will never have one from this run. */
  const predecessor = (key: string): boolean | undefined => {
    if (!inBatch.has(key)) return outside.get(key);
    const state = states.get(key)?.state;
    if (state && SETTLED_OK.has(state)) return true;
    if (state && SETTLED_BAD.has(state)) return false;
    return undefined;
  };

  /** The first pending shot that can start now; blocks continuations whose predecessor failed. */
  const next = (): BatchShot | 'wait' | undefined => {
    for (let i = 0; i < pending.length; i++) {
      const s = pending[i];
      if (s.continuesFrom === undefined) return pending.splice(i, 1)[0];
      const ready = predecessor(s.continuesFrom);
      if (ready === true) return pending.splice(i, 1)[0];
      if (ready === undefined && !announcedWaiting.has(s.key)) {
        announcedWaiting.add(s.key);
        deps.onEvent?.({ key: s.key, state: 'pending', waitingFor: s.continuesFrom });
      }
      if (ready === false) {
        pending.splice(i, 1);
        set(s.key, 'blocked', `It continues from a shot that has no take.`);
        i--;
      }
    }
    return pending.length > 0 ? 'wait' : undefined;
  };

  const stopAll = (error: unknown, current: BatchShot) => {
    const remaining = [current, ...pending.splice(0)].map((s) => s.key);
    stopped = { error, remaining };
    for (const key of remaining) set(key, 'notStarted');
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      if (deps.isCancelled?.()) {
        if (!cancelled) {
          cancelled = true;
          for (const s of pending.splice(0)) set(s.key, 'notStarted');
        }
        return;
      }
      const shot = next();
      if (shot === undefined) return;
      if (shot === 'wait') {
        await changed;
        continue;
      }
      set(shot.key, 'submitting');
      let result: SubmitResult;
      try {
        result = await deps.submit(shot);
      } catch (error) {
        stopAll(error, shot);
        return;
      }
      if (result.kind === 'refused') {
        set(shot.key, 'failed', result.message);
        continue;
      }
      if (result.kind === 'uncertain') {
        set(shot.key, 'uncertain', result.message);
        continue;
      }
      if (result.kind === 'existing') {
        // Someone else's create: the slot waits for that take like for our own (its successors need it).
        let ok = true;
        if (result.localId) {
          try {
            ok = await deps.finished(result.localId);
          } catch {
            ok = false;
          }
        }
        set(shot.key, ok ? 'existing' : 'failed');
        continue;
      }
      set(shot.key, 'running');
      let ok: boolean;
      try {
        ok = await deps.finished(result.localId);
      } catch {
        ok = false;
      }
      set(shot.key, ok ? 'done' : 'failed');
    }
  };

  const workers = Math.max(1, Math.floor(deps.concurrency) || 1);
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return { states, ...(stopped ? { stopped } : {}), cancelled };
}
