/**
 * Recognition ports. An OcrEngine reads one upright-or-not page image into an OCR tree page.
 * A Recognizer is what the pipeline uses: it routes a language set to an engine, runs it in
 * a bounded pool of warm instances, and honours cancellation.
 */
import type { Page } from '../domain/ocr-tree.js';

/** One page image handed to recognition. */
export interface PageImage {
  /** Encoded image bytes (PNG preferred; JPEG accepted). */
  data: Buffer;
  width: number;
  height: number;
  /** Resolution the page was rendered at (72 for images whose dpi is unknown is wrong: use 300 as the default guess). */
  dpi: number;
  /** 1-based page index in the document. */
  index: number;
}

export interface RecognizeOptions {
  /** API language names (already validated), e.g. ['ChinesePRC', 'English', 'Digits']. */
  languages: readonly string[];
  /** Aborts the page: the engine instance is killed or abandoned and the promise rejects with CANCELLED. */
  signal?: AbortSignal;
}

/**
 * An engine instance. Contract: `recognize` never resolves with a page of another size than
 * the image it was given (boxes are in the given image's pixels, after undoing any rotation
 * the engine applied internally: `Page.rotation` reports it). Throws DocrError
 * (ENGINE_FAILED, CANCELLED, TIMED_OUT). Not required to be re-entrant: the pool gives one
 * page at a time to an instance.
 */
export interface OcrEngine {
  readonly id: string;
  recognize(image: PageImage, options: RecognizeOptions): Promise<Page>;
  close(): Promise<void>;
  /**
   * Optional: the pool's idle cores an instance may use now besides its own (0 when every
   * core has an instance at work). Called whenever that changes, also mid-page; an engine
   * that can split a page's work uses them, and gives them back at once when told 0.
   */
  setSpareThreads?(threads: number): void;
}

/** How an instance should be built (all optional: an engine picks its own defaults). */
export interface EngineCreateOptions {
  /** Compute threads this instance may use (intra-op threads for ONNX Runtime). */
  threads?: number;
}

export interface EngineDescriptor {
  id: string;
  /** True when this engine can read every one of the given API language names. */
  covers(languages: readonly string[]): boolean;
  create(options?: EngineCreateOptions): Promise<OcrEngine>;
  /**
   * Where a worker thread can import this descriptor from (`module`: a file URL, usually the
   * descriptor module's own `import.meta.url`; `export`: the export's name). The engine pool
   * runs instances of a locatable descriptor in worker threads, so a hung or crashing
   * instance can be terminated without touching the caller; without it instances run on
   * the caller's thread, where only asynchronous hangs can be abandoned.
   */
  source?: { module: string; export: string };
}

/**
 * What the pipeline calls. Implementations own routing (language set → engine), the warm
 * pool, its bounded queue, per-page timeouts and recycling. Safe to call concurrently.
 */
export interface Recognizer {
  recognize(image: PageImage, options: RecognizeOptions): Promise<Page>;
  /** Which engine id would read this language set (for logs and the docs). */
  route(languages: readonly string[]): string;
  close(): Promise<void>;
}
