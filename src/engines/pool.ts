/**
 * The engine pool: a fixed number of warm engine instances (slots) shared by every engine
 * id, one page per instance at a time, a bounded FIFO queue in front. An idle instance of
 * another engine is swapped out when the head of the queue needs a different one, so the
 * pool never runs more instances than its size. Instances are replaced after a crash or a
 * timeout and recycled after N pages or when the process's resident set passes a
 * high-water mark (worker threads share one process, so the mark is process-wide: the
 * instance that just finished a page is the one recycled).
 */
import { DocrError } from '../domain/errors.js';
import type { Page } from '../domain/ocr-tree.js';
import type { EngineDescriptor, PageImage, RecognizeOptions } from '../ports/ocr-engine.js';
import { InlineSlot, WorkerSlot, type EngineSlot } from './pool/slot.js';

const MIN_PAGES_BEFORE_MEMORY_RECYCLE = 5;

export interface PoolOptions {
  /** Instances at most (default: the machine's cores). */
  size: number;
  /** Pages waiting for an instance at most; one more is rejected with NO_RESOURCES. */
  queueLimit: number;
  pageTimeoutMs: number;
  /** Replace an instance after it has read this many pages. */
  recycleAfterPages: number;
  /** Replace the instance that just finished when the process RSS is above this many bytes. */
  rssHighWaterBytes: number;
  /** Compute threads per instance. */
  threadsPerEngine?: number;
}

interface Job {
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

  constructor(private readonly opts: PoolOptions) {}

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
    const slot = d.source ? new WorkerSlot({ ...d, source: d.source }, this.opts.threadsPerEngine) : new InlineSlot(d, this.opts.threadsPerEngine);
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
      if (!slot) return;
      const job = this.queue.shift()!;
      if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
      this.start(slot, job);
    }
  }

  private start(slot: EngineSlot, job: Job): void {
    slot.busy = true;
    const run = slot.run({ image: job.image, languages: job.options.languages, timeoutMs: this.opts.pageTimeoutMs, signal: job.options.signal });
    run.page.then((p) => { slot.pages++; job.resolve(p); }, job.reject);
    void run.idle.then(() => {
      slot.busy = false;
      this.afterPage(slot, job.descriptor);
      this.dispatch();
    });
  }

  /** Replaces a dead instance at once (keeping the pool warm) and recycles worn ones. */
  private afterPage(slot: EngineSlot, d: EngineDescriptor): void {
    if (this.closed) return;
    // A few pages at least before a memory recycle, so memory held elsewhere in the process
    // cannot make the pool reload models after every page.
    const bloated = slot.pages >= MIN_PAGES_BEFORE_MEMORY_RECYCLE && process.memoryUsage.rss() > this.opts.rssHighWaterBytes;
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
