/** The worker's settings and dependencies (wired by a composition root). */
import type { OutputFormat } from '../contract/formats.js';
import type { LayoutAnalyser } from '../pipeline/index.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Normaliser } from '../ports/normaliser.js';
import type { Notifier } from '../ports/notifier.js';
import type { Recognizer } from '../ports/ocr-engine.js';
import type { Renderer } from '../ports/renderer.js';
import type { SourceFetcher } from '../ports/source-fetcher.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';

export type RendererLookup =
  | ((format: OutputFormat) => Renderer)
  | ReadonlyMap<OutputFormat, Renderer>
  | Partial<Record<OutputFormat, Renderer>>;

export interface WorkerOptions {
  /** Tasks run at once by this worker. */
  concurrency: number;
  /** Whole-task time limit → -8 (SPEC default 180 000). */
  processingTimeoutMs: number;
  /** Lease length; renewed every third of it while a task runs. A dead worker's task is recovered after it. */
  leaseMs: number;
  /** Claims a task may use: a task whose worker died this many times ends in -13 instead of another re-queue. */
  maxAttempts: number;
  /** Root of the per-task work dirs (removed after each task; stale ones swept on start). */
  workDir: string;
  /** image_url cap → -5 (SPEC: 30 MB). */
  urlMaxBytes: number;
  /** Refund policy (SPEC §1.4): true gives the credit back for a task that ended in `state`. */
  refundOn?: (state: number, task: TaskRecord) => boolean;
  /** How often expired leases and due callbacks are looked for; default 1000 ms. */
  pollMs?: number;
  /** Lease owner id; default a fresh `worker-<host>-<pid>-<random>`. */
  workerId?: string;
}

export const DEFAULT_WORKER_OPTIONS = {
  processingTimeoutMs: 180_000, leaseMs: 30_000, maxAttempts: 3, urlMaxBytes: 30 * 1024 * 1024, pollMs: 1000,
} as const;

export interface WorkerDeps {
  store: TaskStore;
  blobs: BlobStore;
  queue: JobQueue;
  normaliser: Normaliser;
  recognizer: Recognizer;
  /** The renderer of each format: a function, or the Map/Record that src/renderers' createRenderers returns. */
  renderers: RendererLookup;
  fetcher: SourceFetcher;
  notifier: Notifier;
  clock: Clock;
  options: WorkerOptions;
  log?: Logger;
  /** Defaults to src/layout's analyseLayout. */
  analyseLayout?: LayoutAnalyser;
  /** Opens tasks' sealed passwords (the server's secret, as the API that sealed them). */
  secrets?: SecretBox;
  /** Pages of one task recognised at once (PipelineDeps.pageConcurrency; default the cores + 1). */
  pageConcurrency?: number;
  /** Where tasks by final state, task latency, callback outcomes and queue age are reported. */
  metrics?: Metrics;
}

export interface WorkerHandle {
  readonly id: string;
  /**
   * Stops intake, lets running tasks finish for up to `timeoutMs`, then aborts the rest and
   * hands them back: queued again, and enqueued for another worker (or this one's next start).
   */
  stop(timeoutMs?: number): Promise<void>;
  /** Tasks this worker is running now. */
  running(): number;
  /** One pass of lease recovery and callback delivery now (also runs every pollMs). */
  poll(): Promise<void>;
  /** Resolves when start-up recovery (stale leases, re-queued tasks, work-dir sweep) is done. */
  readonly ready: Promise<void>;
}
