/**
 * The one error catalogue. Every failure docr reports is a DocrError with a stable code.
 * A code fixes the task state it ends in (for failures during processing) or the HTTP
 * status (for rejected requests), and whether a retry may help. Messages tell the user
 * what to do. Map with `httpStatusOf`, `taskStateOf`, `exitCodeOf`; never match on text.
 */
import { TaskState } from './task-state.js';

interface CatalogueEntry {
  /** HTTP status when the error rejects a request. */
  http: number;
  /** Task state when the error ends a task. */
  state: number;
  retryable: boolean;
}

export const ERROR_CATALOGUE = {
  // Request errors (HTTP).
  BAD_PARAMETER: { http: 400, state: TaskState.Failed, retryable: false },
  UNAUTHORIZED: { http: 401, state: TaskState.Failed, retryable: false },
  INSUFFICIENT_CREDITS: { http: 402, state: TaskState.Failed, retryable: false },
  NOT_FOUND: { http: 404, state: TaskState.Failed, retryable: false },
  GONE: { http: 410, state: TaskState.Failed, retryable: false },
  PAYLOAD_TOO_LARGE: { http: 413, state: TaskState.Failed, retryable: false },
  RATE_LIMITED: { http: 429, state: TaskState.Failed, retryable: true },
  // Task failures (state).
  INTERNAL: { http: 500, state: TaskState.Failed, retryable: false },
  STORE_FAILED: { http: 500, state: TaskState.StoreFailed, retryable: true },
  DOWNLOAD_FAILED: { http: 400, state: TaskState.DownloadFailed, retryable: false },
  DOWNLOAD_TOO_LARGE: { http: 413, state: TaskState.DownloadTooLarge, retryable: false },
  INVALID_FILE: { http: 400, state: TaskState.InvalidFile, retryable: false },
  UNSUPPORTED_FORMAT: { http: 400, state: TaskState.InvalidFile, retryable: false },
  PASSWORD_REQUIRED: { http: 400, state: TaskState.InvalidFile, retryable: false },
  WRONG_PASSWORD: { http: 400, state: TaskState.InvalidFile, retryable: false },
  TIMED_OUT: { http: 500, state: TaskState.TimedOut, retryable: false },
  PAGE_FAILED: { http: 500, state: TaskState.PageFailed, retryable: false },
  EMPTY_RESULT: { http: 500, state: TaskState.EmptyResult, retryable: false },
  CANCELLED: { http: 500, state: TaskState.Cancelled, retryable: false },
  OUTSIDE_LIMITS: { http: 400, state: TaskState.OutsideLimits, retryable: false },
  NO_RESOURCES: { http: 503, state: TaskState.NoResources, retryable: true },
  ENGINE_FAILED: { http: 500, state: TaskState.Failed, retryable: true },
  // A server docr runs on (scaled mode's PostgreSQL, Redis, object store) cannot be used.
  UNAVAILABLE: { http: 503, state: TaskState.Failed, retryable: true },
  /** An engine instance died (native crash, hang, memory cap) twice on one page: the task stops (issue 13). */
  ENGINE_CRASHED: { http: 500, state: TaskState.Cancelled, retryable: true },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class DocrError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable facts (the field name, the detected type, ...). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocrError';
    this.code = code;
    this.details = details;
  }

  get retryable(): boolean {
    return ERROR_CATALOGUE[this.code].retryable;
  }
}

export function isDocrError(e: unknown): e is DocrError {
  return e instanceof DocrError;
}

/** Wrap anything thrown into a DocrError; unknown errors become INTERNAL with the cause kept. */
export function toDocrError(e: unknown): DocrError {
  if (isDocrError(e)) return e;
  const err = e as { name?: string } | undefined;
  if (err?.name === 'AbortError') return new DocrError('CANCELLED', 'The task was cancelled.', {}, { cause: e });
  return new DocrError('INTERNAL', 'Processing failed because of an internal error; retry later or report the task_id.', {}, { cause: e });
}

export function httpStatusOf(e: DocrError): number {
  return ERROR_CATALOGUE[e.code].http;
}

export function taskStateOf(e: DocrError): number {
  return ERROR_CATALOGUE[e.code].state;
}

/** CLI exit codes: 2 usage, 3 invalid input, 4 limits, 5 timeout, 1 anything else. */
export function exitCodeOf(e: DocrError): number {
  switch (e.code) {
    case 'BAD_PARAMETER': return 2;
    case 'INVALID_FILE': case 'UNSUPPORTED_FORMAT': case 'PASSWORD_REQUIRED': case 'WRONG_PASSWORD': return 3;
    case 'OUTSIDE_LIMITS': return 4;
    case 'TIMED_OUT': return 5;
    default: return 1;
  }
}

/** Shorthand constructors for the most used errors. */
export const badParameter = (field: string, message: string) => new DocrError('BAD_PARAMETER', message, { field });
