// The Seedance view's cost: getChildren + getTreeItem over 1,000 tasks (target <= 50 ms), the tooltip built
// on hover, and how many refresh events one poll pass over many running tasks causes (target: one).
//
//   npm run bench:tree
//
// Uses the real TaskStore, TaskPoller and TaskTreeProvider with a manual clock; VS Code is a minimal stub
// (bench/vscodeStub.ts). Figures are printed, not asserted.
import { performance } from 'node:perf_hooks';
import { installVscodeStub } from './vscodeStub';

installVscodeStub();

/* eslint-disable @typescript-eslint/no-require-imports */
const { TaskStore } = require('../src/core/tasks/taskStore') as typeof import('../src/core/tasks/taskStore');
const { TaskPoller } = require('../src/core/polling/poller') as typeof import('../src/core/polling/poller');
const { ManualClock } = require('../src/core/clock') as typeof import('../src/core/clock');
const { TaskTreeProvider } = require('../src/vscode/taskTreeProvider') as typeof import('../src/vscode/taskTreeProvider');
/* eslint-enable @typescript-eslint/no-require-imports */
import type { TrackedStatus, TrackedTask } from '../src/core/tasks/task';
import type { VideoTask } from '../src/core/api/types';

const STATUSES: TrackedStatus[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'running', 'queued', 'stalled', 'uncertain'];

function makeTasks(count: number, now: number, status?: TrackedStatus): TrackedTask[] {
  return Array.from({ length: count }, (_, i) => {
    const s = status ?? STATUSES[i % STATUSES.length];
    return {
      localId: `local-${i}`,
      ...(s === 'uncertain' ? {} : { remoteId: `task_${i}` }),
      status: s,
      progress: s === 'succeeded' ? 100 : (i * 7) % 100,
      request: {
        prompt: `Shot ${i}: a slow dolly across a rain-soaked neon street at night, reflections everywhere, cinematic`,
        model: 'doubao-seedance-2-0-fast',
        seconds: 5,
        size: '16:9',
        resolution: '720p',
      },
      createdAt: now - i * 1000,
      submittedAt: now - i * 1000,
      ...(s === 'succeeded' || s === 'failed' ? { finishedAt: now - i * 500 } : {}),
      ...(s === 'failed' ? { failure: { kind: 'service' as const, message: 'The prompt was refused by the safety check.' } } : {}),
      download: s === 'succeeded' ? { state: 'downloaded' as const, bytes: 12_345 } : { state: 'none' as const },
      ...(s === 'succeeded' ? { file: `/work/videos/shot-${i}.mp4` } : {}),
    };
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function renderBench(): void {
  const clock = new ManualClock();
  const store = new TaskStore({ initial: makeTasks(1000, clock.now()) });
  const tree = new TaskTreeProvider(store, { clock });
  const times: number[] = [];
  let items = 0;
  for (let run = 0; run < 30; run++) {
    const t0 = performance.now();
    const nodes = tree.getChildren();
    for (const node of nodes) {
      tree.getTreeItem(node);
      items++;
    }
    times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) tree.resolveTreeItem(tree.getTreeItem(tree.nodeFor(`local-${i}`)), tree.nodeFor(`local-${i}`));
  const tooltipMs = (performance.now() - t0) / 100;
  console.log(`getChildren + getTreeItem, 1,000 tasks: first ${times[0].toFixed(1)} ms, median ${median(times).toFixed(1)} ms, worst ${Math.max(...times).toFixed(1)} ms (target <= 50 ms; ${items / 30} items per render)`);
  console.log(`resolveTreeItem (tooltip on hover): ${tooltipMs.toFixed(3)} ms per item`);
  tree.dispose();
  store.dispose();
}

async function refreshBench(): Promise<void> {
  const clock = new ManualClock();
  const running = 50;
  const store = new TaskStore({ initial: [...makeTasks(running, clock.now(), 'running'), ...makeTasks(950, clock.now() - 10_000_000, 'succeeded').map((t) => ({ ...t, localId: `done-${t.localId}` }))] });
  const tree = new TaskTreeProvider(store, { clock });
  let storeEvents = 0;
  store.onDidChange(() => storeEvents++);
  const calls = new Map<string, number>();
  const getVideo = async (id: string): Promise<VideoTask> => {
    const n = (calls.get(id) ?? 0) + 1;
    calls.set(id, n);
    return { id, status: 'running', rawStatus: 'IN_PROGRESS', unknownStatus: false, progress: Math.min(99, n * 5) };
  };
  const poller = new TaskPoller({ store, getVideo, clock });
  poller.start();
  let passes = 0;
  let before = poller.counters.wakeUps;
  const refreshesPerPass: string[] = [];
  for (let i = 0; i < 10; i++) {
    const refreshBefore = tree.refreshCount;
    const requestsBefore = poller.counters.requests;
    const next = poller.nextWakeAt;
    if (next === undefined) break;
    await clock.advanceTo(next);
    await clock.advance(500); // let the tree's coalescing window close
    if (poller.counters.wakeUps > before) {
      passes += poller.counters.wakeUps - before;
      before = poller.counters.wakeUps;
      refreshesPerPass.push(`${poller.counters.requests - requestsBefore} checked -> ${tree.refreshCount - refreshBefore} refresh`);
    }
  }
  const requests = poller.counters.requests;
  console.log(
    `poll passes over ${running} running tasks (of 1,000): ${passes} passes, ${requests} status requests, ${storeEvents} store events, ` +
      `per pass: ${refreshesPerPass.join('; ')} (target: one refresh per pass)`,
  );
  poller.dispose();
  tree.dispose();
  store.dispose();
}

renderBench();
void refreshBench();
