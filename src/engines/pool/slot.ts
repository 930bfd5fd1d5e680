/**
 * One warm engine instance the pool can give a page to. A remote slot hosts the instance in
 * a child process or a worker thread (channels.ts), ended on timeout, hang, crash or runaway
 * memory; an inline slot runs it on the caller's thread for descriptors that cannot be
 * located by a host. Either way `run` settles exactly once with the page or a DocrError, and
 * `dead` tells the pool to replace the slot. A page lost because its host died carries
 * `details.crashed` (the pool retries it once on a fresh slot).
 */
import { DocrError, isDocrError, type ErrorCode } from '../../domain/errors.js';
import type { Page } from '../../domain/ocr-tree.js';
import type { EngineDescriptor, OcrEngine, PageImage } from '../../ports/ocr-engine.js';
import { openChannel, type ChannelOptions, type Isolation, type SlotChannel } from './channels.js';
import { checkPage } from './page-check.js';
import type { FromWorker, SerialisedError, ToWorker } from './protocol.js';

/** An instance that cannot load its models in this long is treated as crashed. */
const INIT_TIMEOUT_MS = 120_000;
/** Time a cancelled instance gets to stop its page cleanly (kill its child process) before it is ended. */
const ABORT_GRACE_MS = 1_000;
/** How often a busy process's memory is looked at. */
const MEMORY_WATCH_MS = 250;

export interface SlotJob {
  image: PageImage;
  languages: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SlotRun {
  /** The page, or a DocrError; settles early on timeout or cancellation. */
  page: Promise<Page>;
  /** Resolves when the instance can take another page (or is dead): after a cancelled page stopped. */
  idle: Promise<void>;
}

export interface EngineSlot {
  readonly engineId: string;
  /** Pages completed by this instance. */
  pages: number;
  busy: boolean;
  /** Set once the instance is gone or unusable: the pool drops and replaces it. */
  readonly dead: boolean;
  run(job: SlotJob): SlotRun;
  /** The pool's idle cores this instance may use now (OcrEngine.setSpareThreads); told only on change. */
  setSpare(threads: number): void;
  /** Resident bytes of this instance alone; undefined when it shares the server's process. */
  residentBytes(): number | undefined;
  /** Graceful close (after the current page); `kill` is immediate. */
  close(): Promise<void>;
  kill(): Promise<void>;
}

export interface RemoteSlotOptions extends ChannelOptions {
  isolation: Isolation;
  threads?: number;
  /** A process whose resident memory passes this mid-page is killed (its page counts as crashed). */
  memoryCapBytes?: number;
}

function fromSerialised(e: SerialisedError): DocrError {
  return new DocrError(e.code as ErrorCode, e.message, e.details);
}

const cancelled = () => new DocrError('CANCELLED', 'Recognition was cancelled.');
const timedOut = (ms: number, index: number) =>
  new DocrError('TIMED_OUT', `Recognition of page ${index} took longer than ${Math.round(ms / 1000)} s; the engine instance was restarted.`,
    { page: index, timeoutMs: ms, why: `took longer than ${Math.round(ms / 1000)} s` });

/** Settles a page once: by the engine, the per-page timer or the caller's signal. */
function guardPage(job: SlotJob, start: (settle: (e: DocrError | null, page?: Page) => void) => void,
  onTimeout: () => void, onAbort: () => void): Promise<Page> {
  return new Promise<Page>((resolve, reject) => {
    let done = false;
    const settle = (e: DocrError | null, page?: Page) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', abort);
      if (e) reject(e); else resolve(page!);
    };
    const timer = setTimeout(() => { settle(timedOut(job.timeoutMs, job.image.index)); onTimeout(); }, job.timeoutMs);
    const abort = () => { settle(cancelled()); onAbort(); };
    if (job.signal?.aborted) { settle(cancelled()); return; }
    job.signal?.addEventListener('abort', abort, { once: true });
    start(settle);
  });
}

export class RemoteSlot implements EngineSlot {
  pages = 0;
  busy = false;
  dead = false;
  readonly engineId: string;
  private readonly channel: SlotChannel;
  private readonly ready: Promise<void>;
  private nextId = 1;
  /** Why the host was ended on purpose (memory), for the page's message. */
  private endedBecause: string | undefined;
  /** The page in flight: called with the engine's answer, or with an error when the instance dies. */
  private current: { id: number; answer: (e: DocrError | null, page?: Page) => void } | undefined;

  constructor(descriptor: EngineDescriptor & { source: { module: string; export: string } }, private readonly opts: RemoteSlotOptions) {
    this.engineId = descriptor.id;
    this.channel = openChannel(opts.isolation, { ...descriptor.source, threads: opts.threads }, opts);
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new DocrError('ENGINE_FAILED', `The ${this.engineId} engine did not start in time.`)); void this.kill(); }, INIT_TIMEOUT_MS);
      this.channel.onMessage((m: FromWorker) => {
        if (m.type === 'ready') { clearTimeout(timer); resolve(); }
        else if (m.type === 'init-failed') { clearTimeout(timer); this.dead = true; reject(fromSerialised(m.error)); void this.kill(); }
        else if (this.current?.id === m.id) this.current.answer(m.type === 'failed' ? fromSerialised(m.error) : null, m.type === 'done' ? m.page : undefined);
      });
      this.channel.onGone((how) => {
        clearTimeout(timer);
        this.dead = true;
        const why = this.endedBecause ?? how;
        const err = new DocrError('ENGINE_FAILED', `The ${this.engineId} engine instance ${why}; the page was not read. A fresh instance replaces it.`, { engine: this.engineId, crashed: true, why });
        reject(err);
        this.current?.answer(err);
      });
    });
    this.ready.catch(() => { /* reported to the page that waits for it */ });
  }

  private spare = 0;
  setSpare(threads: number): void {
    if (threads === this.spare) return;
    this.spare = threads;
    // A message before the host listens would be lost: sent once it is ready, with the latest value.
    void this.ready.then(() => { if (!this.dead && this.spare === threads) this.channel.send({ type: 'spare', threads } satisfies ToWorker); }, () => undefined);
  }

  residentBytes(): number | undefined {
    return this.channel.residentBytes();
  }

  run(job: SlotJob): SlotRun {
    let markIdle!: () => void;
    const idle = new Promise<void>((r) => { markIdle = r; });
    const page = this.ready.then(() => {
      if (job.signal?.aborted) { markIdle(); throw cancelled(); }
      const id = this.nextId++;
      let settleRef: (e: DocrError | null, page?: Page) => void = () => undefined;
      const stopWatch = this.watchMemory();
      const answered = new Promise<void>((r) => {
        this.current = { id, answer: (e, p) => { this.current = undefined; stopWatch(); r(); settleRef(e, p); } };
      });
      void answered.then(markIdle);
      // After a timeout the instance is always replaced; after a cancellation only if it does not stop in time.
      const stop = (always: boolean) => {
        this.channel.send({ type: 'abort', id } satisfies ToWorker);
        if (always) this.dead = true;
        const grace = new Promise<boolean>((r) => setTimeout(() => r(false), ABORT_GRACE_MS).unref());
        void Promise.race([answered.then(() => true), grace]).then((ok) => {
          if (always || !ok) { this.dead = true; void this.kill().finally(markIdle); }
        });
      };
      return guardPage(job, (settle) => {
        settleRef = (e, p) => settle(e ?? checkPage(p, job.image, this.engineId) ?? null, p);
        const { data, width, height, dpi, index } = job.image;
        this.channel.send({ type: 'page', id, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, dpi, index, languages: [...job.languages] } satisfies ToWorker);
      }, () => stop(true), () => stop(false));
    }, (e: unknown) => {
      markIdle();
      throw isDocrError(e) ? e : new DocrError('ENGINE_FAILED', `The ${this.engineId} engine could not start.`);
    });
    return { page, idle };
  }

  /** Kills a process that passes its memory cap mid-page (it would take the machine into swap). */
  private watchMemory(): () => void {
    const cap = this.opts.memoryCapBytes;
    if (!cap || this.opts.isolation !== 'process') return () => undefined;
    const timer = setInterval(() => {
      const rss = this.channel.residentBytes() ?? 0;
      if (rss <= cap) return;
      this.endedBecause = `used ${Math.round(rss / 1048576)} MB, more than its ${Math.round(cap / 1048576)} MB cap, and was ended`;
      void this.kill();
    }, MEMORY_WATCH_MS);
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    if (this.dead) return this.kill();
    this.dead = true;
    const gone = new Promise<void>((r) => this.channel.onGone(() => r()));
    this.channel.send({ type: 'close' } satisfies ToWorker);
    const t = setTimeout(() => void this.channel.kill(), 5_000);
    await gone;
    clearTimeout(t);
  }

  async kill(): Promise<void> {
    this.dead = true;
    await this.channel.kill();
  }
}

/** Runs an instance on the caller's thread: a hang can only be abandoned (and the instance dropped), not stopped. */
export class InlineSlot implements EngineSlot {
  pages = 0;
  busy = false;
  dead = false;
  readonly engineId: string;
  private readonly engine: Promise<OcrEngine>;

  constructor(descriptor: EngineDescriptor, threads?: number) {
    this.engineId = descriptor.id;
    this.engine = descriptor.create({ threads });
    this.engine.catch(() => { this.dead = true; });
  }

  run(job: SlotJob): SlotRun {
    const ac = new AbortController();
    let markIdle!: () => void;
    const idle = new Promise<void>((r) => { markIdle = r; });
    const page = this.engine.then((engine) => {
      if (job.signal?.aborted) { markIdle(); throw cancelled(); }
      return guardPage(job, (settle) => {
      engine.recognize(job.image, { languages: job.languages, signal: ac.signal }).then(
        (p) => settle(checkPage(p, job.image, this.engineId) ?? null, p),
        (e: unknown) => {
          if (!isDocrError(e) || e.code === 'ENGINE_FAILED') this.dead = true;
          settle(isDocrError(e) ? e : new DocrError('ENGINE_FAILED', `The ${this.engineId} engine failed: ${(e as Error)?.message}`));
        }).finally(markIdle);
    }, () => { ac.abort(); this.dead = true; markIdle(); }, () => ac.abort());
    }, (e: unknown) => {
      this.dead = true;
      markIdle();
      throw isDocrError(e) ? e : new DocrError('ENGINE_FAILED', `The ${this.engineId} engine could not start: ${(e as Error)?.message}`);
    });
    return { page, idle };
  }

  private spare = 0;
  setSpare(threads: number): void {
    if (threads === this.spare) return;
    this.spare = threads;
    void this.engine.then((e) => { if (this.spare === threads) e.setSpareThreads?.(threads); }, () => undefined);
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.engine.then((e) => e.close(), () => undefined);
  }

  kill(): Promise<void> { return this.close(); }

  residentBytes(): undefined { return undefined; }
}
