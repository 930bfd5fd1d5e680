/**
 * Recognition as the pipeline sees it: `createRecognizer` routes each page's language set
 * to an engine from the registry and reads it in the shared warm pool.
 */
import { availableParallelism } from 'node:os';
import type { EngineDescriptor, PageImage, RecognizeOptions, Recognizer } from '../ports/ocr-engine.js';
import type { Page } from '../domain/ocr-tree.js';
import { AUTO, isAuto } from '../contract/languages.js';
import { readDetectingLanguages } from './auto-languages.js';
import type { Metrics } from '../platform/metrics.js';
import { EnginePool } from './pool.js';
import type { Isolation } from './pool/channels.js';
import { ENGINE_DESCRIPTORS } from './registry.js';
import { installedLanguageNamesNow, routeLanguages } from './router.js';
import { installedTesseractCodes } from './tesseract/installed.js';

export { validateLanguages, installedLanguageNames, installedLanguageNamesNow, routeLanguages } from './router.js';
export { ENGINE_DESCRIPTORS, engineDescriptor, engineIds } from './registry.js';

export interface RecognizerOptions {
  /** Engine instances at most (default: the machine's cores). */
  workers?: number;
  /**
   * Compute threads per instance. Default 1, i.e. one single-threaded engine per core: in the
   * benchmark (bench/results.md) it used less CPU per dense page than one 2-thread engine
   * (2.9–3.0 s against 3.3–4.8 s), and PP-OCR's recognition and orientation sessions run on
   * one thread whatever this says, so a single engine cannot keep two cores busy.
   */
  threadsPerEngine?: number;
  /** Pages waiting at most before NO_RESOURCES (default 256). */
  queueLimit?: number;
  /** Per-page limit (default 120 s): TIMED_OUT, and the instance is replaced. */
  pageTimeoutMs?: number;
  /** Replace an instance after this many pages (default 500). */
  recycleAfterPages?: number;
  /**
   * Recycle an instance after a page when its process passes this resident size (default
   * 1 GiB; an engine holds about 400 MiB). With threads: the server's RSS (default 1 GiB per
   * worker + 512 MiB).
   */
  rssHighWaterBytes?: number;
  /**
   * 'process' (default): each instance in a child process of its own process group, so a
   * native crash, a hang or runaway memory costs one page's retry, never the server.
   * 'thread': worker threads of this process (no isolation from native crashes).
   */
  isolation?: Isolation;
  /** An engine process above this resident size mid-page is killed and its page retried (default 2 GiB). */
  memoryCapBytes?: number;
  /**
   * Niceness of engine processes and the programs they run (default 10): under OCR load the
   * HTTP event loop, at the server's own priority, still gets the CPU when it needs it.
   */
  nice?: number;
  /** Told each time an instance is replaced after a crash, hang or memory breach. */
  onRestart?: (engineId: string, why: string) => void;
  /** Where pages by engine, page latency and instance restarts are reported. */
  metrics?: Metrics;
  /** The engines, in order of preference (default: the registry). Tests inject faulty engines here. */
  descriptors?: EngineDescriptor[];
  /**
   * Load models now rather than on the first page: `true` loads the first engine in every
   * worker (servers); `{ languages, instances }` starts that many instances of the engine that
   * reads those languages (`docr ocr`: one, while the input is still being opened).
   */
  prewarm?: boolean | { languages: readonly string[]; instances: number };
}

export function createRecognizer(options: RecognizerOptions = {}): Recognizer {
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const descriptors = options.descriptors ?? [...ENGINE_DESCRIPTORS];
  const isolation = options.isolation ?? 'process';
  const MiB = 1024 * 1024;
  const pool = new EnginePool({
    size: workers,
    queueLimit: options.queueLimit ?? 256,
    pageTimeoutMs: options.pageTimeoutMs ?? 120_000,
    recycleAfterPages: options.recycleAfterPages ?? 500,
    rssHighWaterBytes: options.rssHighWaterBytes ?? (isolation === 'process' ? 1024 * MiB : (workers * 1024 + 512) * MiB),
    threadsPerEngine: options.threadsPerEngine ?? 1,
    isolation,
    memoryCapBytes: options.memoryCapBytes ?? 2048 * MiB,
    nice: options.nice ?? 10,
    onRestart: options.onRestart,
    metrics: options.metrics,
  });
  // Routing depends on the installed models, listed once; a missing Tesseract shows up
  // as ENGINE_FAILED when an instance is created, not here.
  const listed = installedTesseractCodes().catch(() => undefined);
  const warm = options.prewarm;
  if (warm === true && descriptors.length > 0) pool.prewarm(descriptors[0]);
  // Routed at once, without waiting for the listing (before it, Tesseract is taken to have every
  // known model): `docr ocr` checks the names against the listing meanwhile and closes the
  // engine if they are refused. An unroutable set simply warms nothing.
  if (typeof warm === 'object') {
    try { pool.prewarm(routeLanguages(warm.languages, descriptors), warm.instances); } catch { /* nothing to warm */ }
  }
  // Engines that decide per page (PP-OCR's policy) say why; the others were chosen by language.
  const runRouted = async (image: PageImage, opts: RecognizeOptions): Promise<Page> => {
    const engine = routeLanguages(opts.languages, descriptors);
    const page = await pool.run(engine, image, opts);
    return page.engine ? page : { ...page, engine: { id: engine.id, reason: `languages ${opts.languages.join(',')}` } };
  };
  return {
    route: (languages) => (isAuto(languages) ? AUTO : routeLanguages(languages, descriptors).id),
    async recognize(image, opts) {
      await listed;
      // language=auto: each page's languages are found first, then it is routed like any other.
      if (isAuto(opts.languages)) return readDetectingLanguages(image, (img, languages) => runRouted(img, { ...opts, languages }), installedLanguageNamesNow());
      return runRouted(image, opts);
    },
    close: () => pool.close(),
  };
}
