/**
 * A second reader of one page's lines, for the time the pool has an idle core (issue 11): a
 * one-page scan, or the last page of a document while the other engine has nothing left,
 * used one core of two. Recognition of the lines is most of a page's work, and one crop per
 * run gives intra-op threads little to share (2 threads: 0-20 % faster), so the helper is a
 * worker thread with a recogniser session of its own that reads lines from the last one
 * backwards while the engine reads from the first. Each line is claimed in a shared array
 * before it is read, so every line is read exactly once, by the same model on one thread
 * either way: the page's text does not depend on who read what. Once made, the helper is
 * offered every page, but is sent one (a shared copy of its raster) only while the pool says a
 * core is idle (`setEnabled`), also from the middle of a page (a long page outlasting the other
 * engine's last one); a helper that fails or dies costs nothing: the engine reads the lines it
 * had claimed.
 */
import { Worker } from 'node:worker_threads';
import { runsCompiled } from '../../platform/compiled.js';
import type { OrientedBox } from './geometry.js';
import { ENGINE, HELPER, type HelperData, type HelperPage, type HelperReply } from './line-helper-protocol.js';
import type { Raster } from './raster.js';
import type { SegmentText } from './words.js';

const BOOT = new URL(runsCompiled ? './line-helper-main.js' : './line-helper-boot.mjs', import.meta.url);

/** Reads one line on the engine's own thread. */
export type ReadLine = (raster: Raster, box: OrientedBox) => Promise<SegmentText>;

interface Waiting { resolve: (t: SegmentText | undefined) => void }

export class LineHelper {
  private readonly worker: Worker;
  private readonly enabled = new Int32Array(new SharedArrayBuffer(4));
  private dead = false;
  private nextPage = 1;
  /** Lines the helper claimed on the current page, waiting for their text. */
  private waiting = new Map<number, Waiting>();
  private readonly early = new Map<number, SegmentText | undefined>();
  private page = 0;
  /** Pages sent to the helper thread (each a copy of its raster): only pages it was switched on for. */
  private sent = 0;
  /** True once the helper's recogniser is loaded; false if it failed (it then takes no lines). */
  readonly ready: Promise<boolean>;
  private settleReady!: (ok: boolean) => void;

  constructor(opts: { modelDir?: string; precision: string; charset: readonly string[] }) {
    this.ready = new Promise((r) => { this.settleReady = r; });
    const data: HelperData = { ...opts, enabled: this.enabled.buffer as SharedArrayBuffer };
    this.worker = new Worker(BOOT, { workerData: data });
    this.worker.unref();
    this.worker.on('message', (m: HelperReply) => {
      if ('ready' in m) { this.settleReady(true); return; }
      if (m.page !== this.page) return;
      this.answer(m.index, 'text' in m ? m.text : undefined);
    });
    const gone = () => {
      this.dead = true;
      this.settleReady(false);
      Atomics.store(this.enabled, 0, 0);
      for (const [i, w] of this.waiting) { this.waiting.delete(i); w.resolve(undefined); }
    };
    this.worker.once('error', gone);
    this.worker.once('exit', gone);
  }

  /** Whether the helper may claim lines (the pool has an idle core for it). */
  setEnabled(on: boolean): void {
    if (this.dead) return;
    Atomics.store(this.enabled, 0, on ? 1 : 0);
    Atomics.notify(this.enabled, 0);
  }

  /** Pages the helper was sent so far (a page read while it was switched off is not sent). */
  get pagesSent(): number {
    return this.sent;
  }

  /** Whether pages should be offered to the helper (it takes lines only while enabled, also mid-page). */
  get usable(): boolean {
    return !this.dead;
  }

  private answer(index: number, text: SegmentText | undefined): void {
    const w = this.waiting.get(index);
    if (w) { this.waiting.delete(index); w.resolve(text); } else this.early.set(index, text);
  }

  /**
   * Every line's text, in `boxes` order, read by this thread from the first and by the helper
   * from the last. `check` throws to stop the page (cancelled): the helper stops too.
   * A line the helper could not read (its error, its death) is read here.
   */
  async readLines(raster: Raster, boxes: readonly OrientedBox[], mask: Uint8Array | undefined, read: ReadLine, check: () => void): Promise<SegmentText[]> {
    const n = boxes.length;
    const claims = new Int32Array(new SharedArrayBuffer(4 * (n + 1)));
    const page = this.nextPage++;
    this.page = page;
    this.early.clear();
    // The page goes to the helper (its raster copied into shared memory, ~25 MB for an A4 scan)
    // only once it may claim lines: switched off, as it is while every core has a page, it
    // costs the page nothing. It is switched on from this thread's event loop (setEnabled), so
    // checking between lines sees every switch.
    let posted = false;
    const offer = () => {
      if (posted || this.dead || Atomics.load(this.enabled, 0) === 0) return;
      posted = true;
      this.sent++;
      const shared = new SharedArrayBuffer(raster.data.byteLength);
      new Uint8Array(shared).set(raster.data);
      this.worker.postMessage({ page, raster: shared, width: raster.width, height: raster.height, boxes: [...boxes], mask, claims: claims.buffer as SharedArrayBuffer } satisfies HelperPage);
    };
    const texts: Array<SegmentText | undefined> = new Array(n);
    try {
      let i = 0;
      for (; i < n; i++) {
        offer();
        if (Atomics.compareExchange(claims, i, 0, ENGINE) !== 0) break;
        check();
        texts[i] = await read(raster, boxes[i]);
      }
      // The rest were claimed by the helper: wait for them (or read them if it cannot).
      for (; i < n; i++) {
        texts[i] = await this.helperText(i);
        if (texts[i] === undefined) { check(); texts[i] = await read(raster, boxes[i]); }
      }
      return texts as SegmentText[];
    } finally {
      Atomics.store(claims, n, 1);
      Atomics.notify(this.enabled, 0); // a helper waiting to be switched on sees the page end
      this.page = 0;
      this.early.clear();
    }
  }

  private helperText(index: number): Promise<SegmentText | undefined> {
    if (this.early.has(index)) { const t = this.early.get(index); this.early.delete(index); return Promise.resolve(t); }
    if (this.dead) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.set(index, { resolve }));
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
