/** Entry of an engine worker thread (see engine-host.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { hostEngine } from './engine-host.js';
import type { WorkerConfig } from './protocol.js';

const port = parentPort!;
await hostEngine(workerData as WorkerConfig, {
  post: (m) => port.postMessage(m),
  onMessage: (fn) => port.on('message', fn),
  close: () => port.close(),
});
