/**
 * An infrastructure kit: the ports a mode runs on. Embedded: SQLite, the local disk, an
 * in-process queue. Scaled: PostgreSQL, S3-compatible storage, BullMQ on Redis, shared rate
 * limits. Roles (roles/) take a kit and never ask which one it is.
 */
import type { Logger } from '../../platform/logger.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { Clock } from '../../ports/clock.js';
import type { JobQueue } from '../../ports/job-queue.js';
import type { RateLimiter } from '../../ports/rate-limiter.js';
import type { TaskStore } from '../../ports/task-store.js';
import type { RecoverEnv } from '../../worker/index.js';

export interface Kit {
  readonly store: TaskStore;
  readonly blobs: BlobStore;
  readonly queue: JobQueue;
  /** Buckets shared by every API node (scaled); undefined: each API process keeps its own. */
  readonly limiter?: RateLimiter;
  /** HMAC secret of the API's own result URLs (/api/results/...). */
  readonly urlSecret: string;
  /** Seals task passwords at rest; every process of a deployment must share its key. */
  readonly secrets: SecretBox;
  /**
   * Runs once before this process's worker takes its first task. Embedded: the store has no
   * other process, so every task left working is recovered at once and the in-memory queue
   * is refilled from the store.
   */
  prepareWorker?(env: RecoverEnv): Promise<void>;
  /** Each backing service answers (readiness). */
  check(): Promise<Record<string, boolean>>;
  close(): Promise<void>;
}

export interface KitEnv {
  clock: Clock;
  log: Logger;
}
