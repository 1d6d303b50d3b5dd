// The storyboard side of seedance_generate_storyboard: which shots a call would send (with their estimates
// and problems), and starting them through the same Generate All as the editor (scheduler, concurrency,
// budget, continuity). The tool returns once every shot that can start now has been sent or refused; the
// rest (continuations waiting for a take, shots beyond the concurrency) go on in the background.
import type * as vscode from 'vscode';
import type { BatchEvent } from '../../core/storyboard/batch';
import type { ResolvedShot } from '../../core/storyboard/rules';
import { hasTakeOrPending } from '../../core/storyboard/takes';
import type { TaskStore } from '../../core/tasks/taskStore';
import { shotEstimate, type ShotPricer } from '../storyboard/pricing';
import type { ShotGeneration } from '../storyboard/shotGeneration';
import type { StoryboardService, StoryboardSnapshot } from '../storyboard/storyboardService';
import type { StoryboardPlan, StoryboardRunner, StoryboardRunResult } from './agentToolDeps';

/** How long a call waits for the first wave of shots to be sent before it answers. */
const FIRST_WAVE_MS = 20_000;

export function storyboardRunner(deps: {
  service: StoryboardService;
  shots: ShotGeneration;
  pricer: ShotPricer;
  store: TaskStore;
}): StoryboardRunner {
  /** The shots a call is about: the named ones (id, #N or title), else every shot without a take. */
  const select = (snap: StoryboardSnapshot, names?: readonly string[]): { shots: ResolvedShot[]; unknown: string[] } => {
    const all = snap.resolved.shots;
    if (!names) return { shots: all.filter((s) => !s.shot.id || !hasTakeOrPending(snap.takes.get(s.shot.id))), unknown: [] };
    const shots: ResolvedShot[] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const wanted = name.toLowerCase();
      const hit = all.find((s) => s.shot.id === name || `#${s.shot.index + 1}` === name || s.shot.title.toLowerCase() === wanted);
      if (hit) {
        if (!shots.includes(hit)) shots.push(hit);
      } else {
        unknown.push(name);
      }
    }
    return { shots, unknown };
  };
  const keyOf = (s: ResolvedShot) => s.shot.id ?? `#${s.shot.index + 1}`;

  return {
    async plan(file: vscode.Uri, names?: readonly string[]): Promise<StoryboardPlan> {
      const snap = await deps.service.snapshot(file);
      const { shots, unknown } = select(snap, names);
      return {
        title: snap.resolved.title ?? snap.file,
        unknownShots: unknown,
        available: snap.resolved.shots.map((s) => ({ id: keyOf(s), title: s.shot.title })),
        shots: shots.map((s) => ({
          id: keyOf(s),
          title: s.shot.title,
          estimate: shotEstimate(deps.pricer, s),
          problems: s.errors.map((e) => e.message),
        })),
      };
    },

    async run(file: vscode.Uri, names?: readonly string[]): Promise<StoryboardRunResult> {
      const snap = await deps.service.snapshot(file);
      const { shots } = select(snap, names);
      const indices = new Set(shots.map((s) => s.shot.index));
      const started = Date.now();
      const states = new Map<string, BatchEvent>();
      let settle: () => void = () => undefined;
      const firstWave = new Promise<void>((resolve) => (settle = resolve));
      const running = deps.shots.generateAll(file, {
        shots: shots.map(keyOf),
        by: 'agent',
        onEvent: (e) => {
          states.set(e.key, e);
          // Every shot has been sent, refused or is waiting on something that takes minutes.
          if (states.size >= shots.length && [...states.values()].every((s) => s.state !== 'pending' && s.state !== 'submitting')) settle();
        },
      });
      let stopped: StoryboardRunResult['stopped'];
      const timer = setTimeout(settle, FIRST_WAVE_MS);
      await Promise.race([firstWave, running.then((r) => {
        if (r?.stopped) stopped = { reason: r.stopped.message, remaining: r.stopped.remaining };
      }, (error: unknown) => {
        throw error;
      })]);
      clearTimeout(timer);
      running.catch(() => undefined);

      // Shot ids were written into the file before sending: read them back to match takes to shots.
      const after = await deps.service.snapshot(file);
      const submitted: { shotId: string; title: string; taskId: string }[] = [];
      const skipped: { shotId: string; title: string; reason: string }[] = [];
      for (const resolved of after.resolved.shots.filter((s) => indices.has(s.shot.index))) {
        const id = resolved.shot.id ?? keyOf(resolved);
        const take = deps.store.list().find((t) => t.request.storyboard?.shotId === id && t.createdAt >= started);
        const event = states.get(id);
        if (take) submitted.push({ shotId: id, title: resolved.shot.title, taskId: take.remoteId ?? take.localId });
        else if (event?.message) skipped.push({ shotId: id, title: resolved.shot.title, reason: event.message });
        else skipped.push({ shotId: id, title: resolved.shot.title, reason: 'not sent yet: it waits for a previous shot or a free slot and is sent by this same run; calling the tool again only joins this run' });
      }
      return { submitted, skipped, ...(stopped ? { stopped } : {}) };
    },
  };
}
