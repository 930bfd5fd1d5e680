/**
 * DocrClient: the three calls of the PicWish Document OCR API as docr serves them —
 * create, query, download — with waiting done right: the event stream when the server has
 * one, else polling every second as the reference advises; 429 answers waited out per
 * Retry-After; failures as typed errors (errors.ts).
 */
import {
  ConnectionError, DocrApiError, DocrError, RateLimitError, ResultExpiredError, TaskFailedError, TaskNotFoundError,
  WaitTimeoutError, apiError,
} from './errors.js';
import { readEvents } from './events.js';
import type { ClientOptions, CreateTaskOptions, Envelope, Task, WaitOptions } from './types.js';
import { createBody, resolveUniversalUpload, type Upload, type UploadResolver } from './uploads.js';

const TASKS = 'api/tasks/document/ocr';
/** The reference: poll once a second, for about 120 seconds. */
export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_TIMEOUT_MS = 120_000;

export const isFinal = (task: Pick<Task, 'state'>) => task.state === 1 || task.state < 0;

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return; }
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
function retryAfterOf(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (v === null) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

export interface ClientInternals {
  /** How `file` inputs are read: the Node entry adds paths and Node streams. */
  resolveUpload?: UploadResolver;
  /** Whether fetch can send a stream as a request body (Node's can; browsers need HTTP/2). */
  streamUploads?: boolean;
  /** Sends creates with a file (Node: one that reads an answer given before the upload ends). */
  uploadFetch?: typeof fetch;
}

export class DocrClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly maxRetries: number;
  private readonly fetchImpl: typeof fetch;
  private readonly resolveUpload: UploadResolver;
  private readonly streamUploads: boolean;
  private readonly uploadFetch: typeof fetch;

  constructor(options: ClientOptions & ClientInternals) {
    if (!options.apiKey) throw new TypeError('apiKey is required (docr keys create)');
    this.baseUrl = String(options.baseUrl).replace(/\/*$/, '/');
    this.apiKey = options.apiKey;
    this.maxRetries = options.maxRetries ?? 4;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
    this.resolveUpload = options.resolveUpload ?? resolveUniversalUpload;
    this.streamUploads = options.streamUploads ?? false;
    this.uploadFetch = options.fetch ?? options.uploadFetch ?? this.fetchImpl;
  }

  /**
   * Creates a task from `file` (upload) or `url` (docr downloads it). Answers `{task_id}`,
   * or with `sync: true` the task as it stands when the server stops waiting.
   */
  async createTask(options: CreateTaskOptions): Promise<Pick<Task, 'task_id'> & Partial<Task>> {
    const hasFile = options.file !== undefined && options.file !== null;
    if (hasFile === (options.url !== undefined)) throw new TypeError('createTask: give exactly one of file and url');
    const fields: [string, string][] = [];
    const add = (name: string, value: string | undefined) => { if (value !== undefined) fields.push([name, value]); };
    add('image_url', options.url?.toString());
    add('language', Array.isArray(options.languages) ? options.languages.join(',') : options.languages as string | undefined);
    add('format', options.format);
    add('password', options.password);
    add('sync', options.sync === undefined ? undefined : options.sync ? '1' : '0');
    add('callback_url', options.callbackUrl?.toString());
    add('pages', options.pages);
    const upload: Upload | undefined = hasFile ? await this.resolveUpload(options.file, options.fileName) : undefined;
    const headers: Record<string, string> = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {};
    let sent = false;
    const body = await this.call<Pick<Task, 'task_id'> & Partial<Task>>('POST', TASKS, async () => {
      if (sent && upload && !upload.again) return undefined; // a stream cannot be sent twice
      sent = true;
      const b = await createBody(fields, upload, this.streamUploads);
      return { body: b.body, headers: { ...headers, ...b.headers }, ...(b.duplex ? { duplex: b.duplex } : {}) } as RequestInit;
    }, options.signal, upload !== undefined);
    return body.data;
  }

  /** The task as it stands now. */
  async getTask(taskId: string, options: { signal?: AbortSignal } = {}): Promise<Task> {
    return (await this.call<Task>('GET', `${TASKS}/${encodeURIComponent(taskId)}`, async () => ({}), options.signal)).data;
  }

  /** Cancels a task that has not ended and deletes its input and result (docr's extra). */
  async cancelTask(taskId: string, options: { signal?: AbortSignal } = {}): Promise<Task> {
    return (await this.call<Task>('DELETE', `${TASKS}/${encodeURIComponent(taskId)}`, async () => ({}), options.signal)).data;
  }

  /**
   * Waits until the task ends. Answers the succeeded task (state 1, `file` set); throws
   * TaskFailedError for a negative state and WaitTimeoutError when `timeoutMs` passes.
   */
  async waitForResult(task: string | Pick<Task, 'task_id'>, options: WaitOptions = {}): Promise<Task> {
    const taskId = typeof task === 'string' ? task : task.task_id;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    const deadline = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
    const signal = anySignal([options.signal, deadline]);
    let last: Task | undefined;
    let seen = '';
    const report = (t: Task) => {
      last = t;
      const key = `${t.state}/${t.progress}/${t.pages_done ?? ''}/${t.pages_total ?? ''}`;
      if (key !== seen) { seen = key; options.onProgress?.(t); }
    };
    let useEvents = options.events ?? true;
    try {
      report(await this.getTask(taskId, { signal }));
      while (!isFinal(last!)) {
        if (useEvents) {
          const outcome = await this.follow(taskId, report, signal);
          if (outcome === 'final') break;
          if (outcome === 'closed') continue; // the server's wait limit passed: reconnect
          if (outcome === 'unavailable') useEvents = false;
        }
        await sleep(interval, signal);
        report(await this.getTask(taskId, { signal }));
      }
    } catch (e) {
      if (deadline?.aborted && !options.signal?.aborted) {
        throw new WaitTimeoutError(`the task did not end within ${timeoutMs / 1000} s (state ${last?.state ?? 'unknown'}, ${last?.progress ?? 0} %); it goes on on the server`, { state: last?.state, taskId });
      }
      throw e;
    }
    const done = last!;
    if (done.state < 0) throw new TaskFailedError(done.err_message ?? `the task failed with state ${done.state}`, { status: 200, state: done.state, taskId });
    return done;
  }

  /**
   * Fetches a result (the task's `file` URL, signed: no key is sent). Results are kept for
   * a limited time (1 hour by default): download as soon as the task ends. Throws
   * ResultExpiredError once the URL has expired or the result was deleted (404 or 410).
   */
  async download(task: string | Pick<Task, 'file' | 'task_id'>, options: { signal?: AbortSignal } = {}): Promise<Response> {
    const url = typeof task === 'string' ? task : task.file;
    const taskId = typeof task === 'string' ? undefined : task.task_id;
    if (!url) throw new DocrError('the task has no result yet: wait for state 1 (waitForResult)', { taskId });
    const res = await this.send(url, { signal: options.signal });
    if (res.ok) return res;
    if (res.status === 404 || res.status === 410) {
      const said = (await res.json().catch(() => undefined) as { message?: string } | undefined)?.message;
      throw new ResultExpiredError(`${said ?? 'the result has expired or was deleted'}; run the task again`, { status: res.status, taskId });
    }
    throw new DocrApiError(`the result could not be downloaded (HTTP ${res.status})`, { status: res.status, taskId });
  }

  /**
   * Follows the event stream until the task ends ('final') or the server closes it
   * ('closed'); 'unavailable' when the server has no stream, 'refused' when it answered
   * an error this time (the caller polls once before trying again).
   */
  private async follow(taskId: string, report: (t: Task) => void, signal?: AbortSignal): Promise<'final' | 'closed' | 'unavailable' | 'refused'> {
    const res = await this.send(this.baseUrl + `${TASKS}/${encodeURIComponent(taskId)}/events`, { headers: this.authHeaders({ accept: 'text/event-stream' }), signal });
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await res.body?.cancel();
      // A 404 after the task was found means this server has no event stream (the reference's has none).
      return res.status === 404 || res.status === 405 || res.ok ? 'unavailable' : 'refused';
    }
    let any = false;
    for await (const ev of readEvents(res)) {
      if (ev.event !== 'state') continue;
      const task = (JSON.parse(ev.data) as Envelope<Task>).data;
      any = true;
      report(task);
      if (isFinal(task)) return 'final';
    }
    return any ? 'closed' : 'refused';
  }

  private authHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return { 'x-api-key': this.apiKey, ...extra };
  }

  private async send(url: string, init: RequestInit, upload = false): Promise<Response> {
    try {
      return await (upload ? this.uploadFetch : this.fetchImpl)(url, init);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError') throw e;
      throw new ConnectionError(`cannot reach docr at ${new URL(url).origin}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`, { cause: e });
    }
  }

  /** One API call; 429 and 503 answers are retried after Retry-After while `init` can give the body again. */
  private async call<T>(method: string, path: string, init: () => Promise<RequestInit | undefined>, signal?: AbortSignal, upload = false): Promise<Envelope<T>> {
    for (let attempt = 0; ; attempt++) {
      const request = await init();
      if (!request) throw new RateLimitError('over the rate limit, and the upload (a stream) cannot be sent again', 1, { status: 429 });
      const res = await this.send(this.baseUrl + path, { ...request, method, headers: this.authHeaders(request.headers as Record<string, string>), signal }, upload);
      const body = await res.json().catch(() => undefined) as Envelope<T> | undefined;
      if (res.ok && body?.status === 200) return body;
      if (!body || typeof body.message !== 'string') {
        throw new ConnectionError(`docr answered HTTP ${res.status} without its JSON envelope: is ${this.baseUrl} a docr server?`, { status: res.status });
      }
      const retryAfter = retryAfterOf(res);
      // 429 (over the key's rate) and 503 with Retry-After (docr's queue is full) pass with time.
      if ((res.status === 429 || (res.status === 503 && retryAfter !== undefined)) && attempt < this.maxRetries) {
        await sleep((retryAfter ?? 2 ** attempt) * 1000, signal);
        continue;
      }
      const error = apiError(body.status ?? res.status, body.message, retryAfter);
      if (error instanceof TaskNotFoundError) Object.assign(error, { taskId: path.split('/').pop() });
      throw error;
    }
  }
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
