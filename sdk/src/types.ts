/**
 * The SDK's public types. Wire shapes come from docr's contract (src/contract), so the SDK,
 * the server and the OpenAPI document describe one thing; only type information crosses
 * over, never server code.
 */
import type { Envelope, QueryData } from '../../src/contract/query-body.js';
import type { OutputFormat } from '../../src/contract/formats.js';

export type { Envelope, OutputFormat };
/** A task as the query endpoint, the event stream, sync creates and callbacks describe it. */
export type Task = QueryData;

/** What a task reads from: in Node also a file path, a `file:` URL or a Node stream (sdk/src/node.ts). */
export type FileInput = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

export interface CreateTaskOptions {
  /** The document: bytes, a Blob/File, a stream; in Node also a path. Exactly one of `file` and `url`. */
  file?: unknown;
  /** An http(s) URL docr downloads the document from (`image_url`; ports 80 and 443 only). */
  url?: string | URL;
  /** File name sent with the upload (docr types files by content; the name only labels it). */
  fileName?: string;
  /** Language names as the API takes them, e.g. ['English', 'ChinesePRC', 'Digits']. */
  languages?: readonly string[] | string;
  format?: OutputFormat;
  /** Opens password-protected PDF and Office files (up to 32 characters). */
  password?: string;
  /** Wait on the server for the end of the task: the answer is the task (or its state when the wait limit passed). */
  sync?: boolean;
  /** docr POSTs the task here when it ends (verify it with verifyWebhook). */
  callbackUrl?: string | URL;
  /** Pages to read, e.g. '1-3,5'. */
  pages?: string;
  /** The same key within 24 h returns the same task and charges once. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Give up (WaitTimeoutError) after this long; the reference polls for 120 s. Infinity waits for good. */
  timeoutMs?: number;
  /** Poll interval when the event stream is not available (the reference: 1 s). */
  intervalMs?: number;
  /** Follow the server's event stream when it has one (default true); polling otherwise. */
  events?: boolean;
  /** Called on each change of state or progress. */
  onProgress?: (task: Task) => void;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** Where docr answers, e.g. http://localhost:8080 (the API paths are added). */
  baseUrl: string | URL;
  apiKey: string;
  /** Retries of a call answered 429 before RateLimitError (each waits Retry-After). Default 4. */
  maxRetries?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}
