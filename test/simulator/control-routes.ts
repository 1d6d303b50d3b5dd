// The test-only endpoints under /__sim/ on the API port (not part of CometAPI). No auth, loopback only:
// they let a test in another process (the VS Code extension host) arm faults, move tasks and read the log.
// test/simulator/control.ts is the typed client for them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults';
import type { LoggedRequest } from './log';
import type { SimulatorConfig } from './options';
import type { TaskView } from './tasks';

export interface ControlOps {
  faults(): Faults;
  setFaults(input: unknown): Faults;
  clearFaults(): void;
  tasks(): TaskView[];
  setTaskState(id: string, change: unknown): TaskView;
  requests(): LoggedRequest[];
  clearRequests(): void;
  config(): SimulatorConfig;
  setConfig(patch: unknown): SimulatorConfig;
  reset(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const INDEX = {
  endpoints: [
    'GET    /__sim/faults            armed faults and remaining counts',
    'POST   /__sim/faults            arm faults (JSON object; a fault set to null is cleared)',
    'DELETE /__sim/faults            clear all faults',
    'GET    /__sim/tasks             every task, all accounts',
    'POST   /__sim/tasks/{id}/state  {"status"?:"completed"|"failed"|"error"|"stuck"|"queued"|"in_progress", "wireStatus"?: any word, "progress"?, "error"?}',
    'GET    /__sim/requests          request log (?server=api|video&since=<seq>)',
    'DELETE /__sim/requests          clear the request log',
    'GET    /__sim/config            current config',
    'POST   /__sim/config            change config (JSON object, partial; {"deterministic":true} for fixed timing, no random faults)',
    'POST   /__sim/reset             back to the start state: config, faults, no tasks, empty log',
  ],
  docs: 'test/simulator/README.md',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
  res.end(bytes);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 1024 * 1024) return reject(new Error('control body over 1 MB'));
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

export function createControlHandler(ops: ControlOps) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: 'control endpoints answer loopback clients only' });
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    try {
      if (path === '/__sim') return send(res, 200, INDEX);
      if (path === '/__sim/faults') {
        if (method === 'GET') return send(res, 200, ops.faults());
        if (method === 'POST') return send(res, 200, ops.setFaults(await readJson(req)));
        if (method === 'DELETE') {
          ops.clearFaults();
          return send(res, 200, ops.faults());
        }
      }
      if (path === '/__sim/tasks' && method === 'GET') return send(res, 200, ops.tasks());
      const state = /^\/__sim\/tasks\/([^/]+)\/state$/.exec(path);
      if (state && method === 'POST') {
        const id = decodeURIComponent(state[1]);
        if (!ops.tasks().some((t) => t.id === id)) return send(res, 404, { error: `no task ${id}` });
        return send(res, 200, ops.setTaskState(id, await readJson(req)));
      }
      if (path === '/__sim/requests') {
        if (method === 'GET') {
          const server = url.searchParams.get('server');
          const since = Number(url.searchParams.get('since') ?? 0);
          return send(res, 200, ops.requests().filter((r) => (!server || r.server === server) && r.seq > since));
        }
        if (method === 'DELETE') {
          ops.clearRequests();
          return send(res, 200, []);
        }
      }
      if (path === '/__sim/config') {
        if (method === 'GET') return send(res, 200, ops.config());
        if (method === 'POST') return send(res, 200, ops.setConfig(await readJson(req)));
      }
      if (path === '/__sim/reset' && method === 'POST') {
        ops.reset();
        return send(res, 200, { ok: true });
      }
      return send(res, 404, { error: `no control endpoint ${method} ${path}`, ...INDEX });
    } catch (err) {
      return send(res, 400, { error: (err as Error).message });
    }
  };
}
