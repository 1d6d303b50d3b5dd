// A CPU load like a CI runner's, for tests about races that only show when the machine is busy (issue 23:
// a keystroke answered late). One busy thread per core, started for a test and stopped after it; each
// thread also stops by itself at a deadline, so a test that dies midway cannot leave the machine loaded.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Runs in each worker: spins in short slices until the deadline (a message or terminate() ends it sooner). */
const SPIN = `
const { workerData } = require('node:worker_threads');
const until = workerData.until;
let x = 0;
while (Date.now() < until) {
  for (let i = 0; i < 1e5; i++) x = (x * 31 + i) % 1000003;
}
`;

export interface CpuLoad {
  /** How many busy threads were started. */
  readonly threads: number;
  stop(): Promise<void>;
}

/** Starts `threads` busy threads (default: one per core) for at most `maxMs`. */
export function startCpuLoad(maxMs: number, threads = os.availableParallelism?.() ?? os.cpus().length): CpuLoad {
  const until = Date.now() + maxMs;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(SPIN, { eval: true, workerData: { until } });
    worker.unref(); // never keeps the extension host alive
    worker.on('error', () => undefined);
    return worker;
  });
  return {
    threads,
    async stop() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
