/**
 * Where a warm engine instance lives, seen from the pool: a child process (the default: a
 * native crash, a hang or runaway memory ends only that process, which is killed with its
 * process group and everything it started) or a worker thread of the server's own process
 * (cheaper to start; a native crash there takes the server down). Both speak protocol.ts.
 */
import { Worker } from 'node:worker_threads';
import { forkHost } from '../../platform/child-host.js';
import { runsCompiled } from '../../platform/compiled.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

export type Isolation = 'process' | 'thread';

export interface SlotChannel {
  send(m: ToWorker): void;
  onMessage(fn: (m: FromWorker) => void): void;
  /** Called once when the host is gone (exit, crash, kill), saying how. */
  onGone(fn: (how: string) => void): void;
  /** Ends the host at once, with whatever it started. */
  kill(): Promise<void>;
  /** Resident bytes of the host alone; undefined when it shares the server's process. */
  residentBytes(): number | undefined;
}

export interface ChannelOptions {
  /** Scheduling niceness of an engine process (0..19): OCR yields the CPU to the HTTP event loop. */
  nice?: number;
}

// The compiled build's entries need no loader; TypeScript ones start through a boot that registers tsx.
const THREAD_BOOT = new URL(runsCompiled ? './worker-main.js' : './worker-boot.mjs', import.meta.url);
const PROCESS_BOOT = new URL(runsCompiled ? './process-main.js' : './process-boot.mjs', import.meta.url);

function threadChannel(config: WorkerConfig): SlotChannel {
  const worker = new Worker(THREAD_BOOT, { workerData: config });
  return {
    send: (m) => worker.postMessage(m),
    onMessage: (fn) => { worker.on('message', fn); },
    onGone: (fn) => {
      worker.once('error', (e) => fn(`crashed (${e.message})`));
      worker.once('exit', (code) => fn(`exited with code ${code}`));
    },
    kill: async () => { await worker.terminate(); },
    residentBytes: () => undefined,
  };
}

function processChannel(config: WorkerConfig, opts: ChannelOptions): SlotChannel {
  return forkHost<ToWorker, FromWorker>(PROCESS_BOOT, { env: { DOCR_ENGINE_HOST: JSON.stringify(config) }, nice: opts.nice });
}

export function openChannel(isolation: Isolation, config: WorkerConfig, opts: ChannelOptions = {}): SlotChannel {
  return isolation === 'process' ? processChannel(config, opts) : threadChannel(config);
}
