/**
 * The main-thread side of a MuPDF worker: a promise per request, DocrErrors rebuilt from
 * their codes, and a crash of the thread (WASM out of memory, an abort) turned into the
 * caller's chosen error instead of taking the service down. One worker per document: ending
 * it returns the WASM heap to the system.
 *
 * A thread, not a process (issue 13 measured both): MuPDF is WebAssembly, so its faults are
 * JavaScript exceptions or a trapped thread, never a native crash of the server, and as a
 * child process (platform/child-host.ts) the same 13 pages of 5 PDFs took 14.4–18.4 s against
 * 7.8–11.3 s here (process start-up per document, pixels copied over IPC). Hangs are bounded
 * per call (pageTimeoutMs) and bombs refused up front (content-size.ts, preflight).
 */
import { Worker } from 'node:worker_threads';
import { DocrError, type ErrorCode } from '../../domain/errors.js';
import type { ResolvedOptions } from '../options.js';

export type MupdfRequest = { id: number } & (
  | { op: 'open'; path: string }
  | { op: 'authenticate'; password: string }
  | { op: 'prepare' }
  | { op: 'preflight'; index: number }
  | { op: 'load'; index: number }
  | { op: 'render'; index: number }
  | { op: 'bmpToPng'; path: string }
  | { op: 'close' });

export type MupdfReply =
  | { id: number; value: unknown; error?: undefined; warning?: undefined }
  | { id: number; error: { code: ErrorCode; message: string; details: Record<string, unknown> }; value?: undefined; warning?: undefined }
  | { warning: string; id?: undefined };

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** One MuPDF call (open, a page's text and render) never takes longer than this. */
const CALL_TIMEOUT_MS = 120_000;

interface Pending { resolve(v: unknown): void; reject(e: unknown): void; crash: () => DocrError }

/** Buffers cross the thread boundary as plain Uint8Arrays: make them Buffers again. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * Starts the worker module. Under tsx the sources are .ts, and Node 20 does not apply
 * `--import tsx` to a worker's entry module in time, so a small bootstrap registers tsx's
 * loader first (resolved from here, not from the process's cwd) and then imports the entry.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./mupdf-worker.js', import.meta.url), { workerData });
  const entry = new URL('./mupdf-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class MupdfWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;

  constructor(options: ResolvedOptions, onWarning?: (message: string) => void) {
    this.worker = startWorker({ options, forwardWarnings: onWarning !== undefined });
    this.worker.on('message', (m: MupdfReply) => {
      if (m.warning !== undefined) { onWarning?.(m.warning); return; }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new DocrError(m.error.code, m.error.message, m.error.details));
      else p.resolve(m.value);
    });
    const fail = () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(p.crash());
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * Sends one request; `crash` is the error to report if the thread dies meanwhile. A call
   * that runs past `timeoutMs` (a pathological page) ends the thread and rejects with
   * `late()` when given, else with `crash()`.
   */
  call<T>(req: DistributiveOmit<MupdfRequest, 'id'>, crash: () => DocrError,
    timing: { timeoutMs?: number; late?: () => DocrError } = {}): Promise<T> {
    if (this.exited) return Promise.reject(crash());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (p && timing.late) p.crash = timing.late;
        void this.terminate();
      }, timing.timeoutMs ?? CALL_TIMEOUT_MS);
      const settle = <A>(f: (a: A) => void) => (a: A) => { clearTimeout(timer); f(a); };
      this.pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject), crash });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** An idle thread does not keep the process alive; a busy one does. */
  setIdle(idle: boolean): void {
    if (idle) this.worker.unref(); else this.worker.ref();
  }

  /** Ends the thread; pending calls reject with their crash error. */
  async terminate(): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    for (const p of this.pending.values()) p.reject(p.crash());
    this.pending.clear();
    await this.worker.terminate();
  }
}

/** Past these, a thread's WASM heap is large or old: it is ended rather than reused. */
const RECYCLE_PEAK_PIXELS = 16_000_000;
const RECYCLE_DOCUMENTS = 50;
const MAX_IDLE = 2;

/**
 * Warm MuPDF threads (starting one costs 0.3–0.8 s: the WASM compile). A document borrows a
 * thread and gives it back on close; a thread that rendered a big page (its heap has grown
 * and never shrinks), served many documents or crashed is ended instead.
 */
export class MupdfPool {
  private idle: MupdfWorker[] = [];
  private closed = false;

  constructor(private readonly options: ResolvedOptions, private readonly onWarning?: (m: string) => void) {}

  acquire(): MupdfWorker {
    const w = this.idle.pop() ?? new MupdfWorker(this.options, this.onWarning);
    w.setIdle(false);
    return w;
  }

  /** Closes the thread's document and keeps the thread if it is still small and healthy. */
  async release(w: MupdfWorker): Promise<void> {
    // A thread still working (an abandoned page) or dead is not worth waiting for.
    if (w.busy || !w.alive) { await w.terminate(); return; }
    const usage = await w.call<{ peakPixels: number; documents: number }>({ op: 'close' }, () => new DocrError('INTERNAL', 'MuPDF thread gone'))
      .catch(() => undefined);
    const keep = usage && !this.closed && this.idle.length < MAX_IDLE
      && usage.peakPixels <= RECYCLE_PEAK_PIXELS && usage.documents < RECYCLE_DOCUMENTS;
    if (keep) { w.setIdle(true); this.idle.push(w); } else await w.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((w) => w.terminate()));
  }
}
