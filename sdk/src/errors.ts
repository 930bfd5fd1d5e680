/**
 * The SDK's typed errors. Every one carries `status` (the HTTP status of the answer that
 * caused it, 0 when there was none), `state` (the task's state when a task is concerned)
 * and a message a person can act on (the server's own sentence where there is one).
 */
export class DocrError extends Error {
  readonly status: number;
  readonly state?: number;
  readonly taskId?: string;
  constructor(message: string, init: { status?: number; state?: number; taskId?: string; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status ?? 0;
    this.state = init.state;
    this.taskId = init.taskId;
  }
}

/** The server refused the call (`status` is the HTTP code; `message` the server's `message`). */
export class DocrApiError extends DocrError {}
/** 400: a field is wrong; the message names it. */
export class BadRequestError extends DocrApiError {}
/** 401: the key is missing, unknown or disabled. */
export class AuthenticationError extends DocrApiError {}
/** 402: the key has no credit left. */
export class InsufficientCreditsError extends DocrApiError {}
/** 404: no such task for this key. */
export class TaskNotFoundError extends DocrApiError {}
/** 413: the upload is larger than the server takes. */
export class PayloadTooLargeError extends DocrApiError {}
/** 429: over the key's rate; still so after the client's retries. */
export class RateLimitError extends DocrApiError {
  constructor(message: string, readonly retryAfterSeconds: number, init: { status?: number } = {}) { super(message, init); }
}
/** 5xx: the server failed. */
export class ServerError extends DocrApiError {}

/** The task ended in a negative state; `state` says which and `message` why. */
export class TaskFailedError extends DocrError {}
/** waitForResult gave up before the task ended (the task goes on on the server). */
export class WaitTimeoutError extends DocrError {}
/** The result URL has expired (or its result was deleted): the result is gone. */
export class ResultExpiredError extends DocrError {}
/** The server could not be reached, or answered something that is not the API's JSON. */
export class ConnectionError extends DocrError {}
/** A callback's Standard Webhooks signature, timestamp or body did not verify. */
export class WebhookVerificationError extends DocrError {}

/** The typed error for a non-success answer of the API. */
export function apiError(status: number, message: string, retryAfterSeconds = 1): DocrApiError {
  switch (status) {
    case 400: return new BadRequestError(message, { status });
    case 401: return new AuthenticationError(message, { status });
    case 402: return new InsufficientCreditsError(message, { status });
    case 404: return new TaskNotFoundError(message, { status });
    case 413: return new PayloadTooLargeError(message, { status });
    case 429: return new RateLimitError(message, retryAfterSeconds, { status });
    default: return status >= 500 ? new ServerError(message, { status }) : new DocrApiError(message, { status });
  }
}
