/**
 * The engine pool: a fixed number of warm engine instances (slots) shared by every engine
 * id, one page per instance at a time, a bounded FIFO queue in front. An idle instance of
 * another engine is swapped out when the head of the queue needs a different one, so the
 * pool never runs more instances than its size. Instances live in child processes (or, on
 * request, worker threads). They are replaced after a crash, a hang or a memory cap breach,
 * and the page they held is tried once more on a fresh instance; a second loss ends it in
 * ENGINE_CRASHED. Worn instances are recycled after N pages or past a memory high-water
 * mark: their own resident set for a process, the server's for threads (which share it).
 */
import { DocrError, isDocrError } from '../domain/errors.js';
import type { Page } from '../domain/ocr-tree.js';
import type { Metrics } from '../platform/metrics.js';
import type { EngineDescriptor, PageImage, RecognizeOptions } from '../ports/ocr-engine.js';
import type { Isolation } from './pool/channels.js';
import { InlineSlot, RemoteSlot, type EngineSlot } from './pool/slot.js';

const MIN_PAGES_BEFORE_MEMORY_RECYCLE = 5;

export interface PoolOptions {
  /** Instances at most (default: the machine's cores). */
  size: number;
  /** Pages waiting for an instance at most; one more is rejected with NO_RESOURCES. */
  queueLimit: number;
  pageTimeoutMs: number;
  /** Replace an instance after it has read this many pages. */
  recycleAfterPages: number;
  /**
   * Replace the instance that just finished when its resident set (a process) or the server's
   * (threads) is above this many bytes.
   */
  rssHighWaterBytes: number;
  /** Compute threads per instance. */
  threadsPerEngine?: number;
  /** Where instances live (default 'process'). */
  isolation?: Isolation;
  /** An engine process above this resident size mid-page is killed (default: no cap). */
  memoryCapBytes?: number;
  /** Niceness of engine processes (default 0). */
  nice?: number;
  /** Told about every instance replaced after a crash, hang or memory breach. */
  onRestart?: (engineId: string, why: string) => void;
  /** Pages by engine and outcome, page latency, instance restarts. */
  metrics?: Metrics;
}

/** What the pool reports (a no-op without a registry). */
function poolSeries(m: Metrics | undefined) {
  if (!m) return { page: () => undefined, restart: () => undefined };
  const pages = m.counter('docr_pages_total', 'Pages given to recognition, by engine and outcome (read or the error code)', ['engine', 'outcome']);
  const seconds = m.histogram('docr_page_seconds', 'Seconds from a page reaching an engine instance to its answer, pages read', ['engine']);
  const restarts = m.counter('docr_engine_restarts_total', 'Engine instances replaced after a crash, a hang or a memory cap breach', ['engine']);
  return {
    page: (engine: string, outcome: string, s?: number) => { pages({ engine, outcome }); if (s !== undefined) seconds({ engine }, s); },
    restart: (engine: string) => restarts({ engine }),
  };
}

interface Job {
  /** Set once the page lost an instance: the next loss is final. */
  retried?: boolean;
  descriptor: EngineDescriptor;
  image: PageImage;
  options: RecognizeOptions;
  resolve: (p: Page) => void;
  reject: (e: unknown) => void;
  onAbort?: () => void;
}

export class EnginePool {
  private readonly slots: EngineSlot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  private readonly report: ReturnType<typeof poolSeries>;

  constructor(private readonly opts: PoolOptions) {
    this.report = poolSeries(opts.metrics);
  }

  /** Instances alive now, by engine id (for tests and the doctor command). */
  get instances(): string[] {
    return this.slots.map((s) => s.engineId);
  }

  /** Starts idle instances of one engine (up to `instances`, at most the pool's size), so the first pages do not wait for models to load. */
  prewarm(descriptor: EngineDescriptor, instances = this.opts.size): void {
    while (!this.closed && this.slots.length < Math.min(instances, this.opts.size)) this.newSlot(descriptor);
  }

  run(descriptor: EngineDescriptor, image: PageImage, options: RecognizeOptions): Promise<Page> {
    if (this.closed) return Promise.reject(new DocrError('NO_RESOURCES', 'The recognition pool is shut down.'));
    if (options.signal?.aborted) return Promise.reject(new DocrError('CANCELLED', 'Recognition was cancelled.'));
    if (this.queue.length >= this.opts.queueLimit) {
      return Promise.reject(new DocrError('NO_RESOURCES', `Recognition is busy (${this.queue.length} pages waiting): retry later.`, { queueLimit: this.opts.queueLimit }));
    }
    return new Promise<Page>((resolve, reject) => {
      const job: Job = { descriptor, image, options, resolve, reject };
      if (options.signal) {
        job.onAbort = () => {
          const i = this.queue.indexOf(job);
          if (i >= 0) { this.queue.splice(i, 1); reject(new DocrError('CANCELLED', 'Recognition was cancelled.')); }
        };
        options.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  private newSlot(d: EngineDescriptor): EngineSlot {
    const o = this.opts;
    const slot = d.source
      ? new RemoteSlot({ ...d, source: d.source }, { isolation: o.isolation ?? 'process', threads: o.threadsPerEngine, memoryCapBytes: o.memoryCapBytes, nice: o.nice })
      : new InlineSlot(d, o.threadsPerEngine);
    this.slots.push(slot);
    return slot;
  }

  private drop(slot: EngineSlot, how: 'kill' | 'close'): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void (how === 'kill' ? slot.kill() : slot.close()).catch(() => undefined);
  }

  /** A slot for the job's engine: an idle one, a new one, or an idle one of another engine swapped out. */
  private slotFor(d: EngineDescriptor): EngineSlot | undefined {
    const same = this.slots.find((s) => !s.busy && !s.dead && s.engineId === d.id);
    if (same) return same;
    for (const s of this.slots.filter((x) => x.dead && !x.busy)) this.drop(s, 'kill');
    if (this.slots.length < this.opts.size) return this.newSlot(d);
    const other = this.slots.find((s) => !s.busy);
    if (!other) return undefined;
    this.drop(other, 'close');
    return this.newSlot(d);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.slotFor(this.queue[0].descriptor);
      if (!slot) break;
      const job = this.queue.shift()!;
      if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
      this.start(slot, job);
    }
    this.shareIdleCores();
  }

  /**
   * Tells the instances at work how many of the pool's cores are idle for each (issue 11): a
   * lone page, or the last page of a document, can then use a core no other page needs
   * (PP-OCR reads some of its lines on a helper thread). Told after dispatching, so a page
   * that ends and is at once replaced by a queued one does not flap the others.
   */
  private shareIdleCores(): void {
    const busy = this.slots.filter((s) => s.busy && !s.dead);
    const each = busy.length === 0 ? 0 : Math.floor((this.opts.size - busy.length) / busy.length);
    for (const s of busy) s.setSpare(each);
  }

  private start(slot: EngineSlot, job: Job): void {
    slot.busy = true;
    const run = slot.run({ image: job.image, languages: job.options.languages, timeoutMs: this.opts.pageTimeoutMs, signal: job.options.signal });
    const t0 = performance.now();
    run.page.then((p) => {
      slot.pages++;
      this.report.page(slot.engineId, 'read', (performance.now() - t0) / 1000);
      job.resolve(p);
    }, (e: unknown) => this.lost(slot, job, e));
    void run.idle.then(() => {
      slot.busy = false;
      this.afterPage(slot, job.descriptor);
      this.dispatch();
    });
  }

  /**
   * A page that failed: when its instance died under it (crash, hang, memory), it goes back
   * to the head of the queue once, for a fresh instance; a second loss is ENGINE_CRASHED.
   */
  private lost(slot: EngineSlot, job: Job, e: unknown): void {
    const died = slot.dead && isDocrError(e) && (e.code === 'TIMED_OUT' || e.details.crashed === true);
    if (!died) {
      this.report.page(slot.engineId, isDocrError(e) ? e.code : 'INTERNAL');
      job.reject(e);
      return;
    }
    this.opts.onRestart?.(slot.engineId, e.message);
    this.report.restart(slot.engineId);
    if (job.retried || this.closed || job.options.signal?.aborted) {
      this.report.page(slot.engineId, 'ENGINE_CRASHED');
      job.reject(new DocrError('ENGINE_CRASHED',
        `The ${slot.engineId} engine failed twice on page ${job.image.index} (its instance ${String(e.details.why ?? e.message)}); the task was stopped. Retry it later; if it fails again, report the task_id.`,
        { engine: slot.engineId, page: job.image.index }, { cause: e }));
      return;
    }
    job.retried = true;
    if (job.onAbort) job.options.signal?.addEventListener('abort', job.onAbort, { once: true });
    this.queue.unshift(job);
    this.dispatch(); // the dead instance may already have been replaced, with nothing queued then
  }

  /** Replaces a dead instance at once (keeping the pool warm) and recycles worn ones. */
  private afterPage(slot: EngineSlot, d: EngineDescriptor): void {
    if (this.closed) return;
    // A few pages at least before a memory recycle, so memory held elsewhere in the process
    // cannot make the pool reload models after every page.
    const rss = slot.residentBytes() ?? process.memoryUsage.rss();
    const bloated = slot.pages >= MIN_PAGES_BEFORE_MEMORY_RECYCLE && rss > this.opts.rssHighWaterBytes;
    const worn = slot.pages >= this.opts.recycleAfterPages || bloated;
    if (!slot.dead && !worn) return;
    this.drop(slot, slot.dead ? 'kill' : 'close');
    if (this.slots.length < this.opts.size) this.newSlot(d);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new DocrError('CANCELLED', 'The recognition pool was shut down.'));
    await Promise.all(this.slots.splice(0).map((s) => s.close().catch(() => undefined)));
  }
}
