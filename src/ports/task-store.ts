/**
 * Persistence of tasks and API keys. Embedded mode: SQLite; scaled mode: PostgreSQL. One
 * contract suite (test/contract/task-store.suite.ts) runs against every implementation.
 * All timestamps are Unix milliseconds (the wire shows seconds, converted in http/).
 * What claim, update, requeue and cancel may change is decided by the shared lifecycle
 * rules (src/domain/task-lifecycle.ts); a store only applies them by compare-and-set.
 */
import type { InputKind, OutputFormat } from '../contract/formats.js';

export type TaskSource =
  /** `filename` is the name the client gave the file part: never used to decide the type, only to catch a disguise. */
  | { kind: 'upload'; blobKey: string; size: number; filename?: string }
  | { kind: 'url'; url: string };

export interface TaskOptions {
  languages: string[];
  format: OutputFormat;
  /**
   * The document password sealed by the server's SecretBox (src/platform/secret-box.ts, the
   * task id as context), never the clear text; undefined when none was given. Only the
   * pipeline opens it. The store removes it in the write that makes the task final.
   */
  sealedPassword?: string;
  callbackUrl?: string;
  sync: boolean;
  /** beyond (SPEC §7): pages to read, "1-3,5"; undefined reads every page. */
  pages?: string;
}

export interface CallbackStatus {
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  delivered: boolean;
  /** When the next attempt is due; undefined when delivered or given up. */
  nextAttemptAt?: number;
}

export interface TaskRecord {
  id: string;
  keyId: string;
  state: number;
  /** 0..100, never decreasing; 100 exactly when state is 1. */
  progress: number;
  source: TaskSource;
  options: TaskOptions;
  inputKind?: InputKind;
  inputSize?: number;
  filePages?: number;
  ocrPages?: number;
  pagesDone?: number;
  pagesTotal?: number;
  outputSize?: number;
  /** language=auto: the language names found on the pages, in order of first appearance. */
  languagesDetected?: string[];
  /** BlobStore key of the result. */
  resultKey?: string;
  errorCode?: string;
  errorMessage?: string;
  createdAt: number;
  processedAt?: number;
  completedAt?: number;
  /** Processing attempts so far (a crash mid-task re-queues it and counts one). */
  attempts: number;
  /** The worker holding the task, and until when (a lease renewed while it works). */
  leaseOwner?: string;
  leaseUntil?: number;
  callback?: CallbackStatus;
  idempotencyKey?: string;
  /** SHA-256 over the create's fields and upload: a replayed Idempotency-Key must carry the same request. */
  requestFingerprint?: string;
}

/** Fields a worker may change while it holds the task. */
export type TaskPatch = Partial<Pick<TaskRecord,
  'state' | 'progress' | 'inputKind' | 'inputSize' | 'filePages' | 'ocrPages' | 'pagesDone' | 'pagesTotal'
  | 'outputSize' | 'languagesDetected' | 'resultKey' | 'errorCode' | 'errorMessage' | 'processedAt' | 'completedAt' | 'callback'
  | 'leaseOwner' | 'leaseUntil'>>;

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  /** Secret for signing callbacks (Standard Webhooks, "whsec_..." form). */
  webhookSecret: string;
  credits: number;
  /** Creates per second. */
  qps: number;
  disabled: boolean;
  createdAt: number;
}

export interface TaskStore {
  /**
   * Inserts a queued task and takes one credit from its key in one transaction.
   * Throws DocrError INSUFFICIENT_CREDITS (nothing inserted) when the key has none left.
   * With an idempotency key already used by the same key within 24 h, returns that task
   * instead and charges nothing. `creditsLeft`, when given, is the key's credits just after
   * this charge (callers that need them need not read the key again).
   */
  insertCharged(task: TaskRecord): Promise<{ task: TaskRecord; created: boolean; creditsLeft?: number }>;
  get(id: string): Promise<TaskRecord | undefined>;
  /**
   * Optional, for the hot polling path: the task as `get` reads it, but the same object for as
   * long as the stored task is unchanged (a new one once anything in it changed), so that a
   * caller can keep what it derives from a record (the serialised query body) by identity.
   * The record is shared: never modify it.
   */
  peek?(id: string): Promise<Readonly<TaskRecord> | undefined>;
  /**
   * Compare-and-set claim: succeeds only if the task is queued (or its lease expired),
   * then sets state Preparing, leaseOwner, leaseUntil and attempts+1. Only one caller wins.
   */
  claim(id: string, owner: string, leaseUntil: number): Promise<TaskRecord | undefined>;
  /**
   * Applies a patch if `owner` still holds the task; progress never decreases. Returns false
   * when the lease was lost. A patch that makes the task final also removes
   * `options.sealedPassword` (a password is kept only while the task may still need it).
   */
  update(id: string, owner: string, patch: TaskPatch): Promise<boolean>;
  /** Updates callback bookkeeping of a finished task. */
  updateCallback(id: string, status: CallbackStatus): Promise<void>;
  /** Tasks in a working state whose lease expired before `now` (their worker died). */
  listExpiredLeases(now: number): Promise<TaskRecord[]>;
  /** Puts a task whose worker died back to Queued (keeps attempts). */
  requeue(id: string): Promise<void>;
  /** Queued tasks, oldest first (to refill an in-memory queue after a restart). */
  listQueued(limit: number): Promise<TaskRecord[]>;
  /** Finished tasks with undelivered callbacks due before `now`. */
  listDueCallbacks(now: number): Promise<TaskRecord[]>;
  /** Finished tasks completed before `before` that still have a result (for the sweeper). */
  listExpiredResults(before: number): Promise<TaskRecord[]>;
  clearResult(id: string): Promise<void>;
  /**
   * Ends a task that is not final yet in state -13 (Cancelled) with `message`: the client's
   * DELETE (SPEC §7), removing `options.sealedPassword` as `update` does. The worker holding it notices at its next lease renewal and stops.
   * Returns the record afterwards (unchanged when it was already final), undefined when unknown.
   */
  cancel(id: string, message: string): Promise<TaskRecord | undefined>;
  /**
   * Resolves when task `id` may have changed (another node's or process's write included), or
   * after `timeoutMs`, or when `signal` aborts; whichever comes first. Optional: callers that
   * find it absent poll. Lets sync=1 and the event stream answer as soon as a worker anywhere
   * writes, without polling the database at a high rate.
   */
  waitForChange?(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Gives a credit back (refund policy). */
  refund(keyId: string): Promise<void>;

  createKey(key: ApiKeyRecord): Promise<void>;
  findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Changes a key; returns false when there is no such key. */
  updateKey(id: string, patch: Partial<Pick<ApiKeyRecord, 'credits' | 'qps' | 'disabled' | 'name'>>): Promise<boolean>;

  close(): Promise<void>;
}
