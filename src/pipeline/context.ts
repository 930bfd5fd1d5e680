/**
 * The explicit context every pipeline stage receives: the task, the ports it may use, the
 * limits, and one AbortSignal. Stages never import adapters; the worker builds the context.
 */
import type { OutputFormat } from '../contract/formats.js';
import type { Page } from '../domain/ocr-tree.js';
import type { Logger } from '../platform/logger.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Normaliser } from '../ports/normaliser.js';
import type { PageImage, Recognizer } from '../ports/ocr-engine.js';
import type { Renderer } from '../ports/renderer.js';
import type { SourceFetcher } from '../ports/source-fetcher.js';
import type { TaskPatch, TaskRecord, TaskStore } from '../ports/task-store.js';

/** Table and paragraph detection on a recognised page (src/layout's analyseLayout). */
export type LayoutAnalyser = (page: Page, image?: PageImage) => Promise<Page>;

export interface PipelineDeps {
  store: TaskStore;
  blobs: BlobStore;
  normaliser: Normaliser;
  recognizer: Recognizer;
  renderers: (format: OutputFormat) => Renderer;
  fetcher: SourceFetcher;
  /** Defaults to src/layout's analyseLayout; tests of the pipeline may pass another. */
  analyseLayout?: LayoutAnalyser;
  /** Pages of one task recognised at once (default: the machine's cores, the pool's default size). */
  pageConcurrency?: number;
  clock: Clock;
  log: Logger;
  /** Opens a task's sealed password; a task that carries one fails (INTERNAL) without it. */
  secrets?: SecretBox;
}

export interface PipelineLimits {
  /** Whole-task time limit (SPEC §3: default 180 s) → -8. */
  processingTimeoutMs: number;
  /** image_url size cap (SPEC §5: 30 MB) → -5. */
  urlMaxBytes: number;
  /** Root under which each task gets its own work dir, removed when the task ends. */
  workRoot: string;
  /** Refund policy (SPEC §1.4): true gives the task's credit back when it ends in `state`. */
  refundOn?: (state: number, task: TaskRecord) => boolean;
}

/**
 * Why a task's signal aborted. `timeout` and `cancelled` end the task (-8, -13); `shutdown`
 * and `lease-lost` abandon it without a final state (it is re-queued or another worker owns it).
 */
export type AbortKind = 'timeout' | 'cancelled' | 'shutdown' | 'lease-lost';

export class TaskAbort extends Error {
  constructor(readonly kind: AbortKind) {
    super(`task aborted: ${kind}`);
    this.name = 'TaskAbort';
  }
}

export interface TaskContext {
  task: TaskRecord;
  /** The lease owner (worker id) every store write is made as. */
  owner: string;
  deps: PipelineDeps;
  limits: PipelineLimits;
  /** Aborts with a TaskAbort reason. */
  signal: AbortSignal;
  workDir: string;
  log: Logger;
  /** Writes a progress patch; throws TaskAbort('lease-lost') when the task is no longer ours. */
  report(patch: TaskPatch): Promise<void>;
}

/** Rejects as soon as `signal` aborts, even when `work` ignores the signal (a hung engine). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => { work.catch(() => {}); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** A reporter that keeps progress rising even if a stage computes a smaller figure. */
export function createReporter(store: TaskStore, taskId: string, owner: string): (patch: TaskPatch) => Promise<void> {
  let progress = 0;
  return async (patch) => {
    const next = { ...patch };
    if (next.progress !== undefined) next.progress = progress = Math.max(progress, next.progress);
    if (!(await store.update(taskId, owner, next))) throw new TaskAbort('lease-lost');
  };
}
