/**
 * Entry of an engine child process (see engine-host.ts). Its configuration comes in the
 * DOCR_ENGINE_HOST environment variable; it leaves as soon as its parent does (the IPC
 * channel closes), so a killed server leaves no engine behind.
 */
import { hostEngine } from './engine-host.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

process.on('disconnect', () => process.exit(0));
await hostEngine(JSON.parse(process.env.DOCR_ENGINE_HOST ?? '{}') as WorkerConfig, {
  post: (m: FromWorker) => { process.send?.(m); },
  onMessage: (fn: (m: ToWorker) => void) => { process.on('message', fn); },
  close: () => process.disconnect(),
});
